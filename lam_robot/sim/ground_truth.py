"""The simulator's ground truth as symbols: poses and contacts -> facts.

:class:`GroundTruthObserver` reads every block's pose and the gripper's
contacts from PyBullet and decides, with tolerances, what rests on what:

* ``(holding x)``: both fingers touch ``x`` and it is off every support;
* ``(on x y)``: ``x`` sits one half-height-sum above ``y`` and overlaps it;
* ``(in x r)``: ``x`` rests on the floor of region ``r``;
* ``(on-table x)``: ``x`` rests on the table outside every region.

A block that fits none of these (tilted against another, in mid-air) is
given its nearest support with a low confidence and listed as uncertain.
"""

from __future__ import annotations

import math

from ..scene import Scene, SceneObject, complete_facts
from ..symbolic.atoms import Atom
from ..symbolic.domain import Domain
from ..world_state import GroundedFact, Observer, WorldState
from .world import SimWorld

Z_TOLERANCE = 0.012  # metres: how far a resting block may be from its nominal height
XY_OVERLAP = 0.6  # fraction of the lower block's size the centres may be apart for "on"
CONFIDENCE_THRESHOLD = 0.5


class GroundTruthObserver(Observer):
    """Symbolic state straight from the physics engine.

    Args:
        world: the simulated world.
        domain: the planning domain (to type-check the facts).
    """

    source = "ground_truth"

    def __init__(self, world: SimWorld, domain: Domain | None = None):
        self.world = world
        self.domain = domain

    def observe(self) -> WorldState:
        world = self.world
        poses = {b: world.object_pose(b) for b in world.blocks}
        grounded: list[GroundedFact] = []
        held = self._held_block(poses)
        for block, (xyz, quat) in poses.items():
            if block == held:
                grounded.append(GroundedFact(Atom("holding", (block,)), 1.0))
                continue
            fact = self._support_fact(block, xyz, quat, poses, held)
            if held is None and fact.confidence < CONFIDENCE_THRESHOLD and any(world.finger_contact(block)):
                # in mid-air and touching a finger: stuck to the gripper, it is carried
                held = block
                fact = GroundedFact(Atom("holding", (block,)), 0.8)
            grounded.append(fact)
        uncertain = tuple(g for g in grounded if g.confidence < CONFIDENCE_THRESHOLD)
        facts = _repair([g.atom for g in grounded])
        objects = {}
        for name, obj in world.scene.objects.items():
            attrs = dict(obj.attributes)
            if name in poses:
                attrs["pose"] = [round(v, 4) for v in poses[name][0]]
                attrs["yaw"] = round(_yaw_mod_quarter(poses[name][1]), 4)
            elif name in world.regions:
                geo = world.regions[name]
                attrs["pose"] = [geo.center[0], geo.center[1], 0.0]
                attrs["inner"] = list(geo.inner)
                attrs["wall_height"] = geo.wall_height
                attrs["floor_z"] = geo.floor_z
            objects[name] = SceneObject(obj.name, obj.type, obj.color, obj.kind, obj.size, attrs)
        scene = Scene(objects, complete_facts(objects, facts, self.domain), world.scene.name)
        return WorldState(scene, tuple(grounded), uncertain, self.source)

    def _held_block(self, poses) -> str | None:
        """The block both fingers touch while it rests on nothing, if any."""
        for block in sorted(poses):
            left, right = self.world.finger_contact(block)
            if left and right and not self._rests_on_something(block, poses):
                return block
        return None

    def _rests_on_something(self, block, poses) -> bool:
        xyz = poses[block][0]
        size = self.world.block_sizes[block]
        bottom = xyz[2] - size / 2
        if bottom < 0.003 + Z_TOLERANCE / 3:
            return True
        for region in self.world.regions.values():
            if region.contains_xy(xyz, 0.01) and abs(bottom - region.floor_z) < 0.004:
                return True
        for other, (oxyz, _) in poses.items():
            if other == block:
                continue
            osize = self.world.block_sizes[other]
            if (abs(bottom - (oxyz[2] + osize / 2)) < 0.004
                    and math.dist(xyz[:2], oxyz[:2]) < osize * XY_OVERLAP):
                return True
        return False

    def _support_fact(self, block, xyz, quat, poses, held) -> GroundedFact:
        world = self.world
        size = world.block_sizes[block]
        bottom = xyz[2] - size / 2
        tilt = _tilt_rad(quat)
        upright = 1.0 if tilt < 0.2 else 0.6
        candidates: list[tuple[float, Atom]] = []  # (height error, fact)
        for other, (oxyz, _) in poses.items():
            if other in (block, held):
                continue
            osize = world.block_sizes[other]
            if math.dist(xyz[:2], oxyz[:2]) < osize * XY_OVERLAP:
                candidates.append((abs(bottom - (oxyz[2] + osize / 2)), Atom("on", (block, other))))
        for region in world.regions.values():
            if region.contains_xy(xyz, 0.01):
                candidates.append((abs(bottom - region.floor_z), Atom("in", (block, region.name))))
        if not any(c[1].predicate == "in" for c in candidates):
            candidates.append((abs(bottom - 0.0), Atom("on-table", (block,))))
        error, atom = min(candidates, key=lambda c: (c[0], str(c[1])))
        confidence = upright * (1.0 if error <= Z_TOLERANCE else max(0.05, 1.0 - error / 0.05))
        return GroundedFact(atom, round(confidence, 3))


def _yaw_mod_quarter(quat) -> float:
    """A cube's yaw (radians) folded into [-pi/4, pi/4): its faces repeat every quarter turn."""
    x, y, z, w = quat
    yaw = math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))
    return (yaw + math.pi / 4) % (math.pi / 2) - math.pi / 4


def _tilt_rad(quat) -> float:
    """Angle between the block's z axis and the world's (radians), modulo cube symmetry."""
    x, y, z, w = quat
    # rotation matrix columns; a cube is upright when any axis is vertical
    r = [
        (1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w)),
        (2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w)),
        (2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)),
    ]
    best = max(abs(axis[2]) for axis in r)
    return math.acos(min(1.0, best))


def _repair(facts: list[Atom]) -> list[Atom]:
    """Break impossible readings (two blocks on one, cycles) by moving extras to the table."""
    out = []
    taken: set[str] = set()
    on = {f.args[0]: f.args[1] for f in facts if f.predicate == "on"}
    for fact in sorted(facts, key=str):
        if fact.predicate == "on":
            x, y = fact.args
            seen, node = {x}, y
            cyclic = False
            while node in on:
                if node in seen:
                    cyclic = True
                    break
                seen.add(node)
                node = on[node]
            if y in taken or cyclic:
                out.append(Atom("on-table", (x,)))
                on.pop(x, None)
                continue
            taken.add(y)
        out.append(fact)
    return out
