"""Skills: what each PDDL action means for the arm.

``pick-*`` is *approach, grasp, lift*; ``place-*`` is *transport, place,
release, retreat*. Every skill plans its whole motion first (inverse
kinematics within joint limits, collision checks against the table, blocks
and regions, the workspace box) and only then moves, so an unreachable pose
is found before anything moves. Grasps are physical: the fingers close with a
force limit and friction holds the block.

Skills see the world only through an :class:`lam_robot.world_state.Observer`
and move it only through an :class:`ArmController`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Sequence

import numpy as np
import pybullet as p

from ..sim.layout import region_slots
from ..sim.appearance import DEFAULT_BLOCK_SIZE, TRAY_SIZE
from ..world_state import Observer, WorldState
from .controller import ArmController, MotionStatus
from .motion import FINE_SPEED, HOME_CONFIG, TRAVEL_SPEED, HeldObject, MotionPlanner, PathResult, gripper_yaw

FINGER_OPEN = 0.04  # metres per finger
GRASP_OPEN = 0.036  # metres per finger before a grasp: 1 cm beside a 5 cm block
TIGHT_GRASP_GAP = 0.005  # metres beside the block when the roomy opening would hit something
#: metres beside the block for the last resort, a snug grasp high on the block: neighbours 3 cm away on
#: both sides (a packed grid) leave room only for the thin fingertips, and only near the block's top
SNUG_GRASP_GAP = 0.003
HIGH_GRASP_BELOW_TOP = 0.012  # metres from a block's top down to the grasp frame in a high grasp
GRASP_FORCE_N = 40.0
MIN_TRAVEL_Z = 0.20  # metres, grasp frame height for free travel
CLEARANCE_Z = 0.06  # metres above the tallest thing when travelling
PRE_GRASP_Z = 0.06  # metres above a block's top before the slow descent
PLACE_GAP_Z = 0.002  # metres between a placed block and its support at release
TABLE_AREA = ((0.33, 0.66), (-0.2, 0.2))  # metres: where blocks may be put on the table
TABLE_SPACING = 0.115  # metres between block centres on the table (the least)
#: metres: where a block may be set down when :data:`TABLE_AREA` is full (a crowded table): still well
#: within reach, beyond the block area people set up
TABLE_AREA_WIDE = ((0.30, 0.70), (-0.30, 0.30))
#: metres between block centres preferred for a block set down on the table: a stack beside it may
#: grow into a tall tower later, and the hand must still come down between them to pick the block
TABLE_SPACING_PREFERRED = 0.17
SHADOW_HEIGHT = 0.12  # metres: stacks at least this tall block the forearm's way to places behind them
SHADOW_WIDTH = 0.09  # metres either side of the robot-to-place line


class SkillStatus(str, Enum):
    OK = "ok"
    UNREACHABLE = "unreachable"  # no collision-free, in-limits motion found
    GRASP_FAILED = "grasp_failed"
    NO_ROOM = "no_room"  # no free place for the block
    STOPPED = "stopped"  # emergency stop
    CONTROL_ERROR = "control_error"


@dataclass(frozen=True)
class SkillResult:
    """How one skill went.

    Attributes:
        skill: approach, grasp, lift, transport, place, release, retreat or home.
        status: see :class:`SkillStatus`.
        reason: a sentence for anything but OK.
        sim_time_s: simulated (controller clock) seconds it took.
        wall_time_s: wall-clock seconds it took (planning included).
    """

    skill: str
    status: SkillStatus
    reason: str = ""
    sim_time_s: float = 0.0
    wall_time_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is SkillStatus.OK

    def to_dict(self) -> dict:
        return {"skill": self.skill, "status": self.status.value, "reason": self.reason or None,
                "sim_time_s": round(self.sim_time_s, 3), "wall_time_s": round(self.wall_time_s, 4)}


@dataclass
class _Motion:
    skill: str
    path: PathResult | None = None
    cartesian_speed: float = TRAVEL_SPEED
    gripper: float | None = None  # finger opening to command instead of moving
    force_n: float = GRASP_FORCE_N
    extra: dict = field(default_factory=dict)


class SkillLibrary:
    """Runs pick and place skills on an arm.

    Args:
        controller: the arm.
        observer: where poses come from.
        planner: the motion planner (a private one is made when None).
        settle_s: seconds to wait after releasing a block.
    """

    def __init__(self, controller: ArmController, observer: Observer, planner: MotionPlanner | None = None,
                 settle_s: float = 0.25):
        self.controller = controller
        self.observer = observer
        self.planner = planner or MotionPlanner()
        self.settle_s = settle_s
        self.held: HeldObject | None = None

    # ------------------------------------------------------------------ geometry helpers
    @staticmethod
    def _pose(state: WorldState, name: str) -> tuple[np.ndarray, float]:
        obj = state.scene.objects[name]
        pose = obj.attributes.get("pose")
        if pose is None:
            raise KeyError(name)
        return np.array(pose, dtype=float), float(obj.attributes.get("yaw", 0.0))

    @staticmethod
    def _size(state: WorldState, name: str) -> float:
        return state.scene.objects[name].size or DEFAULT_BLOCK_SIZE

    def _travel_z(self, state: WorldState, held: str | None = None) -> float:
        top = 0.0
        for name, obj in state.scene.objects.items():
            pose = obj.attributes.get("pose")
            if pose is None or name == held:
                continue
            if obj.type == "region":
                top = max(top, float(obj.attributes.get("wall_height", 0.03)))
            else:
                top = max(top, pose[2] + self._size(state, name) / 2)
        extra = self._size(state, held) if held else 0.0
        return max(MIN_TRAVEL_Z, top + CLEARANCE_Z + extra)

    def _yaw_candidates(self, object_yaw: float, rel: float = 0.0) -> list[float]:
        """Gripper yaws that line the fingers up with a cube's faces, nearest the current one first."""
        _, quat = self.planner.fk(self.controller.arm_positions())
        current = gripper_yaw(quat)
        cands = [_wrap(object_yaw - rel + k * math.pi / 2) for k in range(4)]
        return sorted(cands, key=lambda y: (abs(_wrap(y - current)), y))

    def free_table_spot(self, state: WorldState, block: str, near: Sequence[float]) -> tuple[float, float] | None:
        """The free table place nearest ``near`` (deterministic grid search), roomy when there is room.

        Places at least :data:`TABLE_SPACING_PREFERRED` from every other block come first, so that a
        block set aside is not boxed in by a tower built next to it later; when the table is too
        crowded for that, :data:`TABLE_SPACING` is the least, and when the block area is full the
        wider :data:`TABLE_AREA_WIDE` is searched.
        """
        for area, spacing in ((TABLE_AREA, TABLE_SPACING_PREFERRED), (TABLE_AREA, TABLE_SPACING),
                              (TABLE_AREA_WIDE, TABLE_SPACING)):
            spot = self._free_table_spot(state, block, near, spacing, area)
            if spot is not None:
                return spot
        return None

    def _free_table_spot(self, state: WorldState, block: str, near: Sequence[float],
                         spacing: float, area=TABLE_AREA) -> tuple[float, float] | None:
        (x0, x1), (y0, y1) = area
        taken = []
        for name, obj in state.scene.objects.items():
            pose = obj.attributes.get("pose")
            if name == block or pose is None:
                continue
            if obj.type == "region":
                inner = obj.attributes.get("inner") or TRAY_SIZE
                taken.append(("region", pose, max(inner) / 2 + 0.01 + 0.06))
            else:
                taken.append(("block", pose, spacing))
        best = None
        for x in np.arange(x0, x1 + 1e-6, 0.02):
            for y in np.arange(y0, y1 + 1e-6, 0.02):
                xy = (float(x), float(y))
                ok = True
                for kind, pose, radius in taken:
                    if kind == "region":
                        if abs(xy[0] - pose[0]) < radius and abs(xy[1] - pose[1]) < radius:
                            ok = False
                            break
                    elif math.dist(xy, pose[:2]) < radius:
                        ok = False
                        break
                if ok and self._shadowed(xy, state, block):
                    ok = False
                if ok:
                    d = math.dist(xy, near[:2])
                    if best is None or d < best[0] - 1e-9:
                        best = (d, xy)
        return None if best is None else best[1]

    def _shadowed(self, xy: Sequence[float], state: WorldState, block: str) -> bool:
        """True when a tall stack stands between the robot and ``xy``: the forearm would hit it."""
        r = math.hypot(xy[0], xy[1])
        for name, obj in state.scene.objects.items():
            pose = obj.attributes.get("pose")
            if obj.type == "region" or name == block or pose is None:
                continue
            if pose[2] + self._size(state, name) / 2 < SHADOW_HEIGHT:
                continue
            rs = math.hypot(pose[0], pose[1])
            if rs >= r:
                continue
            # distance of the stack from the ray base -> xy
            cross = abs(xy[0] * pose[1] - xy[1] * pose[0]) / max(r, 1e-6)
            if cross < SHADOW_WIDTH:
                return True
        return False

    def free_region_spot(self, state: WorldState, region: str, block: str) -> tuple[float, float] | None:
        """A free slot in a region (:func:`lam_robot.sim.layout.region_slots`), nearest the robot first but
        not behind a tall stack in the region: the forearm would have to reach over it."""
        obj = state.scene.objects[region]
        center = obj.attributes.get("pose")
        if center is None:
            return None
        inner = obj.attributes.get("inner") or ((obj.size, obj.size) if obj.size else TRAY_SIZE)
        size = self._size(state, block)
        slots = region_slots(center, inner, size)
        others = [o.attributes["pose"] for n, o in state.scene.objects.items()
                  if o.type != "region" and n != block and o.attributes.get("pose") is not None]
        free = [slot for slot in slots if all(math.dist(slot, q[:2]) >= size + 0.012 for q in others)]
        return min(free, key=lambda slot: self._shadowed(slot, state, block)) if free else None

    # ------------------------------------------------------------------ reach, before anything moves
    def out_of_reach(self, steps: Sequence, state: WorldState) -> str:
        """Why a plan cannot run, found before anything moves: a block it picks up, or every place in a
        region it puts a block in, lies where the hand cannot come down pointing at the table ("" when
        all are in reach).

        Without this a plan runs until the arm meets the far object, half done: a block near a bin
        beyond the arm's reach is picked up and left on the table. Collisions are not looked at (other
        motions may clear the way); only inverse kinematics, from the two postures a skill starts its
        approach in, so this never refuses what a skill would reach.
        """
        seen: set[str] = set()
        for step in steps:
            name, args = step.name, step.args
            if name.startswith("pick") and args[0] not in seen:
                seen.add(args[0])
                obj = state.scene.objects.get(args[0])
                pose = obj.attributes.get("pose") if obj else None
                if pose is not None and not any(f.predicate == "holding" and f.args[0] == args[0]
                                                for f in state.state):
                    if not self._reachable(pose[:2], pose[2] + 0.003, float(obj.attributes.get("yaw", 0.0))):
                        return (f"{obj.describe()} is out of the arm's reach "
                                f"(at {pose[0]:.2f}, {pose[1]:.2f} m from the robot's base)")
            if name == "place-in-region" and args[1] not in seen:
                seen.add(args[1])
                region = state.scene.objects[args[1]]
                center = region.attributes.get("pose")
                if center is None:
                    continue
                inner = region.attributes.get("inner") or ((region.size, region.size) if region.size else TRAY_SIZE)
                size = self._size(state, args[0])
                floor = float(region.attributes.get("floor_z", 0.004))
                yaw = float(region.attributes.get("yaw", 0.0))
                slots = region_slots(center, inner, size)
                if slots and not any(self._reachable(xy, floor + size / 2 + 0.003, yaw) for xy in slots):
                    return f"{region.describe()} is out of the arm's reach (at {center[0]:.2f}, {center[1]:.2f} m)"
        return ""

    def _reachable(self, xy: Sequence[float], z: float, yaw: float) -> bool:
        """Whether the grasp frame comes down to ``(xy, z)`` pointing at the table, at one of the four yaws
        square to a cube turned by ``yaw``, as an approach does: straight down from travel height."""
        seeds = (np.array(self.controller.arm_positions()), np.array(HOME_CONFIG))
        top_z = max(MIN_TRAVEL_Z, z + PRE_GRASP_Z)
        yaws = [_wrap(yaw + k * math.pi / 2) for k in range(4)]
        for g in yaws:
            for seed in seeds:
                top = self.planner.ik((xy[0], xy[1], top_z), g, seed)
                if top is not None and self.planner.line(top, [((xy[0], xy[1], z), g)]).ok:
                    return True
        # far out, inverse kinematics from a posture far away can miss what a straight line gets to
        return any(self.planner.line(seed, [((xy[0], xy[1], top_z), g), ((xy[0], xy[1], z), g)]).ok
                   for g in yaws for seed in seeds)

    # ------------------------------------------------------------------ running plans of motions
    def _run(self, motions: list[_Motion]) -> list[SkillResult]:
        results = []
        for m in motions:
            wall0, sim0 = time.perf_counter(), self.controller.clock_s()
            if m.gripper is not None:
                r = self.controller.set_gripper(m.gripper, m.force_n, m.extra.get("duration_s", 0.5))
            else:
                if m.path is None:
                    raise ValueError("motion without a path")
                current = self.controller.arm_positions()
                configs = list(m.path.configs)
                configs[0] = current  # start exactly where the arm is
                traj = self.planner.time_parameterize(configs, m.cartesian_speed)
                r = self.controller.follow(traj)
            status = SkillStatus.OK if r.ok else (SkillStatus.STOPPED if r.status is MotionStatus.STOPPED
                                                  else SkillStatus.CONTROL_ERROR)
            results.append(SkillResult(m.skill, status, r.reason, self.controller.clock_s() - sim0,
                                       time.perf_counter() - wall0))
            if not r.ok:
                break
        return results

    def _merge(self, results: list[SkillResult]) -> list[SkillResult]:
        """One result per skill name, in order (a skill may be several motions)."""
        merged: list[SkillResult] = []
        for r in results:
            if merged and merged[-1].skill == r.skill and merged[-1].ok:
                last = merged[-1]
                merged[-1] = SkillResult(r.skill, r.status, r.reason, last.sim_time_s + r.sim_time_s,
                                         last.wall_time_s + r.wall_time_s)
            else:
                merged.append(r)
        return merged

    # ------------------------------------------------------------------ free-space travel
    def _travel(self, q0: np.ndarray, z_travel: float, xy: Sequence[float], yaw: float, end_z: float,
                held: HeldObject | None = None, finger: float = FINGER_OPEN) -> tuple[PathResult, str]:
        """Rise to ``z_travel``, cross to above ``xy`` and come down to ``end_z``, checked.

        A straight Cartesian path is tried first; when it has no IK solution or
        collides, the crossing is done in joint space instead.
        """
        ee0, quat0 = self.planner.fk(q0)
        yaw0 = gripper_yaw(quat0)
        rise = [((ee0[0], ee0[1], z_travel), yaw0)] if ee0[2] < z_travel - 0.01 else []
        way = rise + [((xy[0], xy[1], z_travel), yaw), ((xy[0], xy[1], end_z), yaw)]
        path = self.planner.line(q0, way)
        why = path.reason or self.planner.check_path(path.configs, held=held, finger=finger)
        if not why:
            return path, ""
        up = self.planner.line(q0, rise) if rise else PathResult((np.array(q0, dtype=float),))
        if not up.ok:
            return PathResult(), why
        top = None
        for seed in (up.configs[-1], np.array(HOME_CONFIG)):
            top = self.planner.ik((xy[0], xy[1], z_travel), yaw, seed)
            if top is not None:
                break
        if top is None:
            return PathResult(), why
        down = self.planner.line(top, [((xy[0], xy[1], end_z), yaw)])
        if not down.ok:
            return PathResult(), down.reason
        configs = tuple(up.configs) + tuple(down.configs)
        why2 = self.planner.check_path(configs, held=held, finger=finger)
        if why2:
            return PathResult(), why2
        return PathResult(configs), ""

    # ------------------------------------------------------------------ pick
    def pick(self, block: str, attempt: int = 0) -> list[SkillResult]:
        """Approach, grasp and lift ``block``. ``attempt`` > 0 starts from another grasp yaw."""
        wall0 = time.perf_counter()
        state = self.observer.observe()
        self.planner.sync(state)
        try:
            pos, yaw = self._pose(state, block)
        except KeyError:
            return [SkillResult("approach", SkillStatus.UNREACHABLE, f"no pose observed for {block}")]
        size = self._size(state, block)
        z_travel = self._travel_z(state)
        q0 = self.controller.arm_positions()
        ee0, _ = self.planner.fk(q0)
        top = pos[2] + size / 2
        grasp_z = pos[2] + 0.003
        roomy = min(FINGER_OPEN, size / 2 + GRASP_OPEN - DEFAULT_BLOCK_SIZE / 2)
        tight = size / 2 + TIGHT_GRASP_GAP  # between walls (a small tray): less room, less slack
        # packed neighbours: the fingers are thinnest at their tips, so only those go down beside the block
        snug, high_z = size / 2 + SNUG_GRASP_GAP, max(grasp_z, top - HIGH_GRASP_BELOW_TOP)
        cands = self._yaw_candidates(yaw)
        cands = cands[attempt % 4:] + cands[:attempt % 4]
        reasons: list[str] = []
        tiers = ((roomy, grasp_z), (tight, grasp_z), (snug, high_z))
        for grasp_open, grasp_z, g in [(o, z, g) for o, z in tiers for g in cands]:
            approach, why = self._travel(q0, z_travel, pos[:2], g, top + PRE_GRASP_Z, finger=grasp_open)
            if why:
                reasons.append(f"approach: {why}")
                continue
            descend = self.planner.line(approach.configs[-1], [((pos[0], pos[1], grasp_z), g)], step_m=0.01)
            why = descend.reason or self.planner.check_path(descend.configs, allow_gripper=[block],
                                                            finger=grasp_open)
            if why:
                reasons.append(f"grasp: {why}")
                continue
            held = HeldObject(block, size, (0.0, 0.0, pos[2] - grasp_z))
            self.planner.sync(state, exclude=[block])
            lift = self.planner.line(descend.configs[-1], [((pos[0], pos[1], z_travel), g)], step_m=0.02)
            why = lift.reason or self.planner.check_path(lift.configs, allow_gripper=[block], held=held,
                                                         finger=size / 2)
            self.planner.sync(state)
            if why:
                reasons.append(f"lift: {why}")
                continue
            planning_s = time.perf_counter() - wall0
            results = self._run([
                _Motion("approach", approach, TRAVEL_SPEED),
                _Motion("approach", gripper=grasp_open, extra={"duration_s": 0.15}),
                _Motion("grasp", descend, FINE_SPEED),
                _Motion("grasp", gripper=0.0, force_n=GRASP_FORCE_N, extra={"duration_s": 0.5}),
            ])
            if results and results[0].ok:
                results[0] = _add_wall(results[0], planning_s)
            if not all(r.ok for r in results):
                return self._merge(results)
            fingers = self.controller.finger_positions()
            closed = float(np.sum(fingers))
            if closed < size - 0.012:
                return self._merge(results) + [SkillResult(
                    "grasp", SkillStatus.GRASP_FAILED,
                    f"the fingers closed to {closed * 1000:.0f} mm: {block} is not between them")]
            results += self._run([_Motion("lift", PathResult(lift.configs[:4]), FINE_SPEED),
                                  _Motion("lift", PathResult(lift.configs[3:]), TRAVEL_SPEED)])
            if not all(r.ok for r in results):
                return self._merge(results)
            after = self.observer.observe()
            held_now = any(f.predicate == "holding" and f.args == (block,) for f in after.state)
            if not held_now:
                return self._merge(results) + [SkillResult("lift", SkillStatus.GRASP_FAILED,
                                                           f"{block} is not in the gripper after lifting")]
            self.held = self._measure_held(after, block, size, grasped=held)
            return self._merge(results)
        return [SkillResult("approach", SkillStatus.UNREACHABLE,
                            f"no grasp of {block} is reachable: {_summary(reasons)}",
                            0.0, time.perf_counter() - wall0)]

    def _measure_held(self, state: WorldState, block: str, size: float,
                      grasped: HeldObject | None = None) -> HeldObject:
        """Where ``block`` sits in the hand, from an observation of it held.

        Ground truth measures the few millimetres a block slid while the fingers closed, and placing by
        that offset keeps towers of small cubes straight. A camera sees a held block half hidden by the
        fingers, its estimate off by a centimetre or so: placing by that would add the camera's error, so
        with ``grasped`` (the hold assumed at the grasp: centred, at the height it was taken) the estimate
        is not used.
        """
        if grasped is not None and state.source != "ground_truth":
            return grasped
        pos, _ = self._pose(state, block)
        ee, quat = self.planner.fk(self.controller.arm_positions())
        inv_pos, inv_quat = p.invertTransform(ee.tolist(), quat.tolist())
        offset, _ = p.multiplyTransforms(inv_pos, inv_quat, pos.tolist(), [0, 0, 0, 1])
        return HeldObject(block, size, tuple(float(v) for v in offset))

    # ------------------------------------------------------------------ place
    def place(self, block: str, target: str) -> list[SkillResult]:
        """Transport, place, release, retreat. ``target``: ``"table"``, a block or a region."""
        wall0 = time.perf_counter()
        state = self.observer.observe()
        if not any(f.predicate == "holding" and f.args == (block,) for f in state.state):
            return [SkillResult("transport", SkillStatus.GRASP_FAILED, f"{block} is not in the gripper")]
        size = self._size(state, block)
        if self.held is None or self.held.name != block:
            self.held = self._measure_held(state, block, size)
        held = self.held
        self.planner.sync(state, exclude=[block])
        q0 = self.controller.arm_positions()
        ee0, quat0 = self.planner.fk(q0)
        bpos, byaw = self._pose(state, block)
        rel = _wrap(byaw - gripper_yaw(quat0))
        z_travel = self._travel_z(state, held=block)
        if target == "table":
            spot = self.free_table_spot(state, block, near=bpos)
            if spot is None:
                return [SkillResult("transport", SkillStatus.NO_ROOM, "no free place on the table")]
            support_top, target_yaw, allow = 0.0, 0.0, ["table"]
        elif state.scene.objects[target].type == "region":
            spot = self.free_region_spot(state, target, block)
            if spot is None:
                return [SkillResult("transport", SkillStatus.NO_ROOM, f"no free place left in {target}")]
            obj = state.scene.objects[target]
            support_top = float(obj.attributes.get("floor_z", 0.004))
            target_yaw = float(obj.attributes.get("yaw", 0.0))
            allow = [target]
        else:
            tpos, target_yaw = self._pose(state, target)
            spot = (float(tpos[0]), float(tpos[1]))
            support_top = tpos[2] + self._size(state, target) / 2
            allow = [target]
        # grasp frame height so the block's bottom is PLACE_GAP_Z above the support
        # the grasp frame points down: its +z is world -z, so the block centre is offset[2] below it
        place_z = support_top + size / 2 + PLACE_GAP_Z + held.offset[2]
        reasons: list[str] = []
        for g in self._yaw_candidates(target_yaw, rel)[:4]:
            self.planner.sync(state, exclude=[block])
            hand = _hand_xy(spot, g, held.offset)
            transport, why = self._travel(q0, z_travel, hand, g, place_z + 0.05, held=held, finger=size / 2)
            if why:
                reasons.append(f"transport: {why}")
                continue
            lower = self.planner.line(transport.configs[-1], [((hand[0], hand[1], place_z), g)], step_m=0.01)
            why = lower.reason or self.planner.check_path(lower.configs, allow_gripper=allow, held=held,
                                                          finger=size / 2)
            if why:
                reasons.append(f"place: {why}")
                continue
            self.planner.sync(state)  # after release the block is an obstacle like any other
            self._move_obstacle(block, (spot[0], spot[1], support_top + size / 2))
            retreat = self.planner.line(lower.configs[-1], [((hand[0], hand[1], z_travel), g)], step_m=0.02)
            release_open = min(FINGER_OPEN, size / 2 + 0.012)
            why = retreat.reason or self.planner.check_path(retreat.configs, allow_gripper=[block] + allow,
                                                            finger=release_open)
            if why:
                reasons.append(f"retreat: {why}")
                continue
            planning_s = time.perf_counter() - wall0
            results = self._run([_Motion("transport", transport, TRAVEL_SPEED)])
            if results and results[0].ok:
                results[0] = _add_wall(results[0], planning_s)
                if not self._holds(block):  # it fell out on the way: do not put down thin air
                    self.held = None
                    return results[:-1] + [SkillResult(
                        "transport", SkillStatus.GRASP_FAILED, f"{block} fell out of the gripper during transport",
                        results[-1].sim_time_s, results[-1].wall_time_s)]
                results += self._run([_Motion("place", lower, FINE_SPEED),
                                      _Motion("release", gripper=release_open, extra={"duration_s": 0.3})])
            if all(r.ok for r in results):
                self.controller.idle(self.settle_s)
                results += self._run([_Motion("retreat", PathResult(retreat.configs[:4]), FINE_SPEED),
                                      _Motion("retreat", PathResult(retreat.configs[3:]), TRAVEL_SPEED),
                                      _Motion("retreat", gripper=FINGER_OPEN, extra={"duration_s": 0.1})])
                self.held = None
            return self._merge(results)
        return [SkillResult("transport", SkillStatus.UNREACHABLE,
                            f"no way to put {block} on {target}: {_summary(reasons)}", 0.0,
                            time.perf_counter() - wall0)]

    def _holds(self, block: str) -> bool:
        return any(f.predicate == "holding" and f.args == (block,) for f in self.observer.observe().state)

    def _move_obstacle(self, name: str, xyz) -> None:
        body = self.planner._obstacles.get(name)
        if body is not None:
            p.resetBasePositionAndOrientation(body, list(xyz), [0, 0, 0, 1], physicsClientId=self.planner.client)

    # ------------------------------------------------------------------ safe pose
    def go_home(self) -> list[SkillResult]:
        """Rise to travel height, then move to :data:`HOME_CONFIG` (checked like every motion)."""
        wall0 = time.perf_counter()
        state = self.observer.observe()
        held = next((f.args[0] for f in state.state if f.predicate == "holding"), None)
        self.planner.sync(state, exclude=[held] if held else [])
        q0 = self.controller.arm_positions()
        ee0, quat0 = self.planner.fk(q0)
        z_travel = self._travel_z(state, held)
        configs = [q0]
        held_obj = self.held if held and self.held and self.held.name == held else None
        if ee0[2] < z_travel - 0.01:
            up = self.planner.line(q0, [((ee0[0], ee0[1], z_travel), gripper_yaw(quat0))])
            if up.ok:
                # straight up from wherever it stopped: the hand may still touch a block it failed to hold
                why = self.planner.check_path(up.configs, allow_gripper=state.scene.blocks, held=held_obj,
                                              finger=FINGER_OPEN)
                if not why:
                    configs = list(up.configs)
        configs.append(np.array(HOME_CONFIG))
        why = self.planner.check_path(configs[-2:], allow_gripper=[held] if held else [], held=held_obj)
        if why:
            return [SkillResult("home", SkillStatus.UNREACHABLE, f"cannot reach the safe pose: {why}", 0.0,
                                time.perf_counter() - wall0)]
        return self._merge([SkillResult(r.skill, r.status, r.reason, r.sim_time_s, r.wall_time_s)
                            for r in self._run([_Motion("home", PathResult(tuple(configs)), TRAVEL_SPEED)])])


def _hand_xy(spot: Sequence[float], yaw: float, offset: Sequence[float]) -> tuple[float, float]:
    """Where the grasp frame goes, pointing down and turned by ``yaw``, for the held block ``offset`` from it
    (as measured after the lift) to land on ``spot``.

    A block seldom sits dead centre between the fingers: one finger meets it first and pushes it
    (8 mm for a 3 cm cube). Put down where the hand is, that error adds up storey by storey until a
    tower of small blocks topples; put down where the block is, it does not.
    """
    quat = p.getQuaternionFromEuler([math.pi, 0.0, yaw])
    world, _ = p.multiplyTransforms([0.0, 0.0, 0.0], quat, [float(offset[0]), float(offset[1]), 0.0],
                                    [0.0, 0.0, 0.0, 1.0])
    return float(spot[0]) - world[0], float(spot[1]) - world[1]


def _summary(reasons: list[str]) -> str:
    """Distinct reasons, most frequent first."""
    counts: dict[str, int] = {}
    for r in reasons:
        counts[r] = counts.get(r, 0) + 1
    return "; ".join(sorted(counts, key=lambda r: -counts[r])) or "no candidate"


def _add_wall(result: SkillResult, seconds: float) -> SkillResult:
    return SkillResult(result.skill, result.status, result.reason, result.sim_time_s, result.wall_time_s + seconds)


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi
