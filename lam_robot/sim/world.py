"""The simulated tabletop: a table, a Franka Panda, blocks and trays in PyBullet.

:class:`SimWorld` builds a world from a :class:`lam_robot.scene.Scene`: the
symbolic facts decide what stands on what; object attributes ``pose: [x, y, z]``
or ``position: [x, y]`` pin a base object's place, everything else is laid
out deterministically from the seed. The physics client is owned by the world
and passed explicitly to everything that needs it (no module globals).

Frames: the robot base and the table top share ``z = 0`` (metres); +x points
away from the robot, the usable table area is in front of it.

Example:
    >>> with SimWorld.from_scene(scene, seed=0) as world:
    ...     world.step(0.5)
    ...     xyz, quat = world.object_pose("red")
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pybullet as p
import pybullet_data

from ..errors import LamError
from ..scene import Scene
from .layout import region_slots
from .appearance import DEFAULT_BLOCK_SIZE, TABLE_HEIGHT, TRAY_SIZE, TRAY_WALL_HEIGHT, color_rgba

TIME_STEP_S = 1.0 / 240.0
BLOCK_MASS_KG = 0.1
BLOCK_FRICTION = 1.0
FINGER_FRICTION = 1.0
TRAY_FLOOR_THICKNESS = 0.004  # metres
TRAY_WALL_THICKNESS = 0.008  # metres
TABLE_EXTENT = ((-0.25, 1.0), (-0.75, 0.75))  # metres, x and y range of the table top

ARM_JOINTS = (0, 1, 2, 3, 4, 5, 6)
FINGER_JOINTS = (9, 10)
EE_LINK = 11
HAND_LINK = 8
JOINT_NAMES = tuple(f"panda_joint{i}" for i in range(1, 8))
FINGER_NAMES = ("panda_finger_joint1", "panda_finger_joint2")
HOME_CONFIG = (0.0, -0.55, 0.0, -2.2, 0.0, 1.65, 0.785)  # radians: = lam_robot.execution.motion.HOME_CONFIG
FINGER_OPEN = 0.04  # metres per finger

#: where regions go, in order (metres, centre of the footprint)
REGION_SLOTS = ((0.42, -0.38), (0.42, 0.38), (0.68, -0.30), (0.68, 0.30))
#: where blocks on the table may stand (metres)
BLOCK_AREA = ((0.33, 0.66), (-0.2, 0.2))
MIN_BLOCK_SPACING = 0.115  # metres between stack centres: room for open fingers
HOLD_FORCE_N = 40.0  # newtons per finger on a block held from the start (as a grasp squeezes)
REGION_MARGIN = 0.07  # metres beyond a region's inner edge where no table stack starts (wall, fingers)
LAYOUTS = ("random", "row")


class SimError(LamError, RuntimeError):
    """The simulated world cannot be built or queried as asked."""


@dataclass(frozen=True)
class RegionGeometry:
    """A tray/bin body. ``center`` is the footprint centre on the table (metres)."""

    name: str
    body: int
    center: tuple[float, float]
    inner: tuple[float, float]  # inner footprint, metres
    floor_z: float  # top of the floor, metres
    wall_height: float

    def contains_xy(self, xy: Sequence[float], margin: float = 0.0) -> bool:
        return (abs(xy[0] - self.center[0]) <= self.inner[0] / 2 + margin
                and abs(xy[1] - self.center[1]) <= self.inner[1] / 2 + margin)

    def slots(self, block_size: float) -> list[tuple[float, float]]:
        """Block places inside (see :func:`lam_robot.sim.layout.region_slots`)."""
        return region_slots(self.center, self.inner, block_size)


class SimWorld:
    """A PyBullet world made from a scene.

    Attributes:
        client: the PyBullet physics client id.
        robot: the Panda's body id.
        table: the table's body id.
        scene: the scene the world was built from.
        seed: the layout seed.
        sim_time_s: simulated seconds since the world was built.
    """

    def __init__(self, client: int, scene: Scene, seed: int = 0, gui: bool = False, visual: bool = True,
                 layout: str = "random"):
        if layout not in LAYOUTS:
            raise SimError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
        self.layout = layout
        self.client = client
        self.visual = visual or gui
        self.scene = scene
        self.seed = seed
        self.gui = gui
        self.sim_time_s = 0.0
        self.steps = 0
        self._bodies: dict[str, int] = {}
        self.block_sizes: dict[str, float] = {}
        self.finger_command: tuple[float, float] = (FINGER_OPEN, 40.0)  # last finger target, force
        self.regions: dict[str, RegionGeometry] = {}
        self._step_hooks: list = []
        self._closed = False
        self._gui_clock: float | None = None
        self.robot = -1
        self.table = -1

    # ------------------------------------------------------------------ build
    @classmethod
    def from_scene(cls, scene: Scene, seed: int = 0, gui: bool = False, settle_s: float = 0.3,
                   visual: bool = True, layout: str = "random") -> "SimWorld":
        """Connect, build the table, robot, regions and blocks, and let them settle.

        Args:
            scene: objects and facts; stacks follow ``on``/``in``/``on-table``.
            seed: the layout seed (same seed, same world).
            gui: open the PyBullet GUI instead of running headless.
            settle_s: simulated seconds to let the blocks come to rest.
            visual: load the robot's meshes for rendering (False: faster, camera
                images then show the robot without its meshes).
            layout: where unpinned stacks go: ``random`` (from the seed) or
                ``row`` (side by side in front of the robot, seed-independent).

        Raises:
            SimError: when the scene holds a block in the gripper (not supported
                at start) or a layout cannot be found.
        """
        if layout not in LAYOUTS:
            raise SimError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
        has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if gui and sys.platform.startswith("linux") and not has_display:
            raise SimError("the GUI needs a display and DISPLAY is not set; run headless (without --gui)")
        client = p.connect(p.GUI if gui else p.DIRECT)
        if client < 0:
            raise SimError("cannot connect to PyBullet" + (" GUI (is there a display?)" if gui else ""))
        world = cls(client, scene, seed, gui, visual, layout)
        try:
            world._build()
            world.step(settle_s)
        except Exception:
            world.close()
            raise
        return world

    def _build(self) -> None:
        c = self.client
        p.resetSimulation(physicsClientId=c)
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=c)
        p.setGravity(0, 0, -9.81, physicsClientId=c)
        p.setTimeStep(TIME_STEP_S, physicsClientId=c)
        # 20 solver iterations and pyramid friction: stacks of six stay put at 30x real time
        p.setPhysicsEngineParameter(numSolverIterations=20, deterministicOverlappingPairs=1, enableConeFriction=0,
                                    physicsClientId=c)
        if self.gui:
            p.configureDebugVisualizer(p.COV_ENABLE_GUI, 0, physicsClientId=c)
            p.resetDebugVisualizerCamera(1.2, 60, -35, [0.45, 0, 0.1], physicsClientId=c)
        self._build_table()
        flags = 0 if self.visual else p.URDF_IGNORE_VISUAL_SHAPES
        self.robot = p.loadURDF("franka_panda/panda.urdf", [0, 0, TABLE_HEIGHT], useFixedBase=True,
                                flags=flags, physicsClientId=c)
        for link in FINGER_JOINTS:
            p.changeDynamics(self.robot, link, lateralFriction=FINGER_FRICTION, spinningFriction=0.01,
                             physicsClientId=c)
        # the real hand couples its fingers mechanically: a gear keeps them symmetric
        gear = p.createConstraint(self.robot, FINGER_JOINTS[0], self.robot, FINGER_JOINTS[1], p.JOINT_GEAR,
                                  [1, 0, 0], [0, 0, 0], [0, 0, 0], physicsClientId=c)
        p.changeConstraint(gear, gearRatio=-1, erp=0.1, maxForce=50, physicsClientId=c)
        self.reset_arm(HOME_CONFIG, FINGER_OPEN)
        held = next((f.args[0] for f in self.scene.facts if f.predicate == "holding"), None)
        rng = np.random.default_rng(self.seed)
        for index, name in enumerate(self.scene.regions):
            self._add_region(name, index)
        self._add_blocks(rng, held)
        if held is not None:
            self._start_holding(held)
        for link in range(-1, 5):  # the base and upper arm never reach the table top: skip those pairs
            p.setCollisionFilterPair(self.robot, self.table, link, -1, 0, physicsClientId=c)

    def _build_table(self) -> None:
        c = self.client
        (x0, x1), (y0, y1) = TABLE_EXTENT
        half = [(x1 - x0) / 2, (y1 - y0) / 2, 0.025]
        center = [(x0 + x1) / 2, (y0 + y1) / 2, TABLE_HEIGHT - half[2]]
        col = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c)
        vis = p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=[0.62, 0.48, 0.33, 1],
                                  physicsClientId=c)
        self.table = p.createMultiBody(0, col, vis, center, physicsClientId=c)
        p.changeDynamics(self.table, -1, lateralFriction=0.8, physicsClientId=c)
        self._bodies["table"] = self.table

    def _add_region(self, name: str, index: int) -> None:
        c = self.client
        obj = self.scene.objects[name]
        inner = (obj.size, obj.size) if obj.size else TRAY_SIZE
        xy = _xy_attribute(obj.attributes)
        if xy is None:
            if index >= len(REGION_SLOTS):
                raise SimError(f"at most {len(REGION_SLOTS)} regions fit on the table without poses")
            xy = REGION_SLOTS[index]
        wall_h = TRAY_WALL_HEIGHT
        t = TRAY_WALL_THICKNESS
        ox, oy = inner[0] / 2 + t / 2, inner[1] / 2 + t / 2
        full_x, full_y = inner[0] / 2 + t, inner[1] / 2 + t
        boxes = [  # (half extents, centre offset) in the tray frame
            ([full_x, full_y, TRAY_FLOOR_THICKNESS / 2], [0, 0, TRAY_FLOOR_THICKNESS / 2]),
            ([t / 2, full_y, wall_h / 2], [ox, 0, wall_h / 2]),
            ([t / 2, full_y, wall_h / 2], [-ox, 0, wall_h / 2]),
            ([full_x, t / 2, wall_h / 2], [0, oy, wall_h / 2]),
            ([full_x, t / 2, wall_h / 2], [0, -oy, wall_h / 2]),
        ]
        rgba = list(color_rgba(obj.color, (0.55, 0.55, 0.58, 1.0)))
        col = p.createCollisionShapeArray([p.GEOM_BOX] * 5, halfExtents=[b[0] for b in boxes],
                                          collisionFramePositions=[b[1] for b in boxes], physicsClientId=c)
        vis = p.createVisualShapeArray([p.GEOM_BOX] * 5, halfExtents=[b[0] for b in boxes],
                                       visualFramePositions=[b[1] for b in boxes],
                                       rgbaColors=[rgba] * 5, physicsClientId=c)
        body = p.createMultiBody(0, col, vis, [xy[0], xy[1], TABLE_HEIGHT], physicsClientId=c)
        p.changeDynamics(body, -1, lateralFriction=0.8, physicsClientId=c)
        self._bodies[name] = body
        self.regions[name] = RegionGeometry(name, body, (float(xy[0]), float(xy[1])), inner,
                                            TABLE_HEIGHT + TRAY_FLOOR_THICKNESS, wall_h)

    def _add_blocks(self, rng: np.random.Generator, held: str | None = None) -> None:
        scene = self.scene
        on = {f.args[0]: f.args[1] for f in scene.facts if f.predicate == "on"}
        inside = {f.args[0]: f.args[1] for f in scene.facts if f.predicate == "in"}
        bases = [b for b in scene.blocks if b not in on and b != held]
        for b in scene.blocks:
            self.block_sizes[b] = scene.objects[b].size or DEFAULT_BLOCK_SIZE
        # base positions: pinned ones first, then regions' slots, then free table spots
        base_xy: dict[str, tuple[float, float]] = {}
        for b in bases:
            xy = _xy_attribute(scene.objects[b].attributes)
            if xy is not None:
                base_xy[b] = xy
        used_slots: dict[str, list] = {r: [] for r in self.regions}
        for b in bases:
            if b in inside and b not in base_xy:
                region = self.regions[inside[b]]
                free = [s for s in region.slots(self.block_sizes[b]) if s not in used_slots[region.name]]
                if not free:
                    raise SimError(f"no room left in {region.name} for {b}")
                base_xy[b] = free[0]
                used_slots[region.name].append(free[0])
        loose = [b for b in bases if b not in base_xy]
        laid = self._lay_out(loose, list(base_xy.values()), rng)
        if laid is None:  # too many for places drawn at random: pack them as tightly as fingers allow
            laid = self._lay_out(loose, list(base_xy.values()), rng, spots=_packed_spots())
        base_xy.update(laid)
        # build each stack bottom-up
        above = {v: k for k, v in on.items()}
        for b in bases:
            xy = base_xy[b]
            z = self.regions[inside[b]].floor_z if b in inside else TABLE_HEIGHT
            pin = scene.objects[b].attributes.get("pose")
            if isinstance(pin, (list, tuple)) and len(pin) == 3:
                z = float(pin[2]) - self.block_sizes[b] / 2
            current = b
            while current is not None:
                size = self.block_sizes[current]
                self._add_block(current, (xy[0], xy[1], z + size / 2 + 0.0005))
                z += size
                current = above.get(current)

    def _start_holding(self, name: str) -> None:
        """Put ``name`` between the fingers of the arm at home and squeeze it, as a scene that starts
        ``(holding name)`` says: a friction grasp like any other, the block's faces square to the fingers."""
        size = self.block_sizes.get(name) or self.scene.objects[name].size or DEFAULT_BLOCK_SIZE
        self.block_sizes[name] = size
        pos, quat = self.ee_pose()
        rot = np.asarray(p.getMatrixFromQuaternion(list(quat))).reshape(3, 3)
        yaw = math.atan2(rot[1, 0], rot[0, 0])
        body = self._add_block(name, pos)
        p.resetBasePositionAndOrientation(body, list(pos), p.getQuaternionFromEuler([0, 0, yaw]),
                                          physicsClientId=self.client)
        for joint in FINGER_JOINTS:  # fingers already at the block's faces, then squeezing it
            p.resetJointState(self.robot, joint, size / 2, physicsClientId=self.client)
        self.command_fingers(0.0, HOLD_FORCE_N)

    def _lay_out(self, loose: list[str], taken: list, rng: np.random.Generator,
                 spots: Sequence[tuple[float, float]] | None = None) -> dict[str, tuple[float, float]] | None:
        """Table places for stacks without a pose: from ``spots`` in order when given, else the row
        layout's places, then places the seed draws; None when one does not fit (and ``spots`` were
        given: raises, there is no denser packing to try)."""
        taken = list(taken)
        ordered = iter(spots if spots is not None else _row_spots() if self.layout == "row" else ())
        laid: dict[str, tuple[float, float]] = {}
        for b in loose:
            spot = next((s for s in ordered if self._free_on_table(s, taken)), None)
            if spot is None and spots is None:  # the row is full: the rest go where the seed says
                spot = self._random_free_spot(rng, taken)
            if spot is None:
                if spots is None:
                    return None
                raise SimError(f"no free place on the table for {b}; give it a position")
            laid[b] = spot
            taken.append(spot)
        return laid

    def _random_free_spot(self, rng: np.random.Generator, taken: list) -> tuple[float, float] | None:
        (x0, x1), (y0, y1) = BLOCK_AREA
        for _ in range(500):
            xy = (round(float(rng.uniform(x0, x1)), 3), round(float(rng.uniform(y0, y1)), 3))
            if self._free_on_table(xy, taken):
                return xy
        return None

    def _free_on_table(self, xy: Sequence[float], taken: list) -> bool:
        """Room for a stack on the table at ``xy``: spaced from the others and outside every region
        (a large bin may reach into the block area; a block put there would start inside it)."""
        return (all(math.dist(xy, t) >= MIN_BLOCK_SPACING for t in taken)
                and not any(r.contains_xy(xy, REGION_MARGIN) for r in self.regions.values()))

    def _add_block(self, name: str, xyz: Sequence[float]) -> int:
        c = self.client
        obj = self.scene.objects[name]
        half = [self.block_sizes[name] / 2] * 3
        col = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c)
        rgba = list(color_rgba(obj.color, (0.6, 0.6, 0.6, 1.0)))
        vis = p.createVisualShape(p.GEOM_BOX, halfExtents=half, rgbaColor=rgba, physicsClientId=c)
        body = p.createMultiBody(BLOCK_MASS_KG, col, vis, list(xyz), physicsClientId=c)
        p.changeDynamics(body, -1, lateralFriction=BLOCK_FRICTION, spinningFriction=0.005,
                         rollingFriction=0.0, restitution=0.0,
                         activationState=p.ACTIVATION_STATE_ENABLE_SLEEPING,  # resting blocks cost nothing
                         physicsClientId=c)
        self._bodies[name] = body
        return body

    # ------------------------------------------------------------------ queries
    def body_of(self, name: str) -> int:
        """The body id of a scene object (or ``"table"``).

        Raises:
            SimError: for a name the world does not hold.
        """
        try:
            return self._bodies[name]
        except KeyError:
            raise SimError(f"no body named {name!r}; the world has: {', '.join(self._bodies)}") from None

    @property
    def blocks(self) -> list[str]:
        return list(self.block_sizes)

    def object_pose(self, name: str) -> tuple[tuple[float, float, float], tuple[float, float, float, float]]:
        """Position (metres) and quaternion (x, y, z, w) of an object's base."""
        pos, quat = p.getBasePositionAndOrientation(self.body_of(name), physicsClientId=self.client)
        return tuple(pos), tuple(quat)

    def object_velocity(self, name: str) -> float:
        """Linear speed of an object in m/s."""
        lin, _ = p.getBaseVelocity(self.body_of(name), physicsClientId=self.client)
        return float(np.linalg.norm(lin))

    def arm_joints(self) -> np.ndarray:
        """The 7 arm joint angles in radians."""
        states = p.getJointStates(self.robot, ARM_JOINTS, physicsClientId=self.client)
        return np.array([s[0] for s in states])

    def finger_positions(self) -> tuple[float, float]:
        """Each finger's opening in metres (0 closed, 0.04 open)."""
        states = p.getJointStates(self.robot, FINGER_JOINTS, physicsClientId=self.client)
        return float(states[0][0]), float(states[1][0])

    def ee_pose(self) -> tuple[np.ndarray, np.ndarray]:
        """The grasp frame between the fingertips: position and quaternion."""
        state = p.getLinkState(self.robot, EE_LINK, computeForwardKinematics=True, physicsClientId=self.client)
        return np.array(state[4]), np.array(state[5])

    def contacts(self, body_a: int, body_b: int, link_a: int | None = None) -> list:
        kwargs = {} if link_a is None else {"linkIndexA": link_a}
        return p.getContactPoints(body_a, body_b, physicsClientId=self.client, **kwargs)

    def finger_contact(self, name: str) -> tuple[bool, bool]:
        """Whether each finger touches the object."""
        body = self.body_of(name)
        return (bool(self.contacts(self.robot, body, FINGER_JOINTS[0])),
                bool(self.contacts(self.robot, body, FINGER_JOINTS[1])))

    # ------------------------------------------------------------------ control
    def reset_arm(self, config: Sequence[float], finger: float = FINGER_OPEN) -> None:
        """Teleport the arm (only at build time or in tests; execution moves it with motors)."""
        for joint, q in zip(ARM_JOINTS, config):
            p.resetJointState(self.robot, joint, q, physicsClientId=self.client)
        for joint in FINGER_JOINTS:
            p.resetJointState(self.robot, joint, finger, physicsClientId=self.client)
        self.hold_arm(config, finger)

    def hold_arm(self, config: Sequence[float], finger: float | None = None, finger_force_n: float = 40.0) -> None:
        """Position targets for the arm (and fingers when given)."""
        c = self.client
        p.setJointMotorControlArray(self.robot, ARM_JOINTS, p.POSITION_CONTROL, targetPositions=list(config),
                                    targetVelocities=[0.0] * 7, forces=[87, 87, 87, 87, 12, 12, 12],
                                    positionGains=[0.2] * 7, physicsClientId=c)
        if finger is not None:
            self.command_fingers(finger, finger_force_n)

    def command_fingers(self, opening: float, force_n: float = 40.0) -> None:
        """Finger position target (metres per finger) at most ``force_n``; remembered in ``finger_command``,
        so a controller made later carries on with it (a held block stays squeezed)."""
        self.finger_command = (float(opening), float(force_n))
        p.setJointMotorControlArray(self.robot, FINGER_JOINTS, p.POSITION_CONTROL,
                                    targetPositions=[opening, opening], forces=[force_n, force_n],
                                    positionGains=[0.05, 0.05], physicsClientId=self.client)

    def add_step_hook(self, hook) -> None:
        """Call ``hook(world)`` after every physics step (scenario perturbations, recording)."""
        self._step_hooks.append(hook)

    def remove_step_hook(self, hook) -> None:
        if hook in self._step_hooks:
            self._step_hooks.remove(hook)

    def step(self, seconds: float = TIME_STEP_S) -> None:
        """Advance physics by ``seconds`` (rounded up to whole 1/240 s steps), never sleeping."""
        n = max(1, int(math.ceil(seconds / TIME_STEP_S - 1e-9)))
        for _ in range(n):
            self.step_once()

    def step_once(self) -> None:
        p.stepSimulation(physicsClientId=self.client)
        self.sim_time_s += TIME_STEP_S
        self.steps += 1
        if self.gui:  # a person is watching: keep to real time (headless runs never sleep)
            if self._gui_clock is None:
                self._gui_clock = time.perf_counter() - self.sim_time_s
            ahead_s = self.sim_time_s - (time.perf_counter() - self._gui_clock)
            if ahead_s > 0.005:
                time.sleep(ahead_s)
        for hook in list(self._step_hooks):
            hook(self)

    def settled(self, names: Iterable[str] | None = None, speed_mps: float = 0.01) -> bool:
        """True when the named blocks (default: all) move slower than ``speed_mps``."""
        return all(self.object_velocity(n) < speed_mps for n in (names or self.blocks))

    def wait_settled(self, timeout_s: float = 1.0, names: Iterable[str] | None = None) -> bool:
        """Step until the blocks are at rest or ``timeout_s`` simulated seconds pass."""
        deadline = self.sim_time_s + timeout_s
        names = list(names) if names is not None else None
        while self.sim_time_s < deadline:
            self.step(0.05)
            if self.settled(names):
                return True
        return False

    def teleport_block(self, name: str, xyz: Sequence[float], yaw: float = 0.0) -> None:
        """Move a block by hand: only scenario perturbations and tests do this, never the robot."""
        quat = p.getQuaternionFromEuler([0, 0, yaw])
        p.resetBasePositionAndOrientation(self.body_of(name), list(xyz), quat, physicsClientId=self.client)
        p.resetBaseVelocity(self.body_of(name), [0, 0, 0], [0, 0, 0], physicsClientId=self.client)
        p.changeDynamics(self.body_of(name), -1, activationState=p.ACTIVATION_STATE_WAKE_UP,
                         physicsClientId=self.client)

    def free_table_spot(self, size: float, exclude: Iterable[str] = (), near: Sequence[float] | None = None
                        ) -> tuple[float, float] | None:
        """A deterministic free place on the table for a block, nearest ``near`` (default: the area centre)."""
        (x0, x1), (y0, y1) = BLOCK_AREA
        exclude = set(exclude)
        taken = [self.object_pose(b)[0][:2] for b in self.blocks if b not in exclude]
        near = near if near is not None else ((x0 + x1) / 2, 0.0)
        best = None
        for x in np.arange(x0, x1 + 1e-6, 0.025):
            for y in np.arange(y0, y1 + 1e-6, 0.025):
                xy = (float(x), float(y))
                if any(math.dist(xy, t) < MIN_BLOCK_SPACING for t in taken):
                    continue
                if any(r.contains_xy(xy, 0.09) for r in self.regions.values()):
                    continue
                d = math.dist(xy, near)
                if best is None or d < best[0]:
                    best = (d, xy)
        return None if best is None else best[1]

    def free_region_spot(self, region: str, size: float, exclude: Iterable[str] = ()) -> tuple[float, float] | None:
        """A free slot inside a region for a block, or None when it is full."""
        geo = self.regions[region]
        exclude = set(exclude)
        taken = [self.object_pose(b)[0][:2] for b in self.blocks if b not in exclude]
        for slot in geo.slots(size):
            if all(math.dist(slot, t) >= size + 0.015 for t in taken):
                return slot
        return None

    # ------------------------------------------------------------------ images
    def camera_image(self, width: int = 320, height: int = 240, eye=(1.15, 0.0, 0.75),
                     target=(0.45, 0.0, 0.05), fov_deg: float = 55.0) -> np.ndarray:
        """An RGB image (height x width x 3, uint8) from a camera looking at the table."""
        view = p.computeViewMatrix(list(eye), list(target), [0, 0, 1], physicsClientId=self.client)
        proj = p.computeProjectionMatrixFOV(fov_deg, width / height, 0.05, 5.0, physicsClientId=self.client)
        _, _, rgba, _, _ = p.getCameraImage(width, height, view, proj, renderer=p.ER_TINY_RENDERER,
                                            physicsClientId=self.client)
        return np.reshape(np.asarray(rgba, dtype=np.uint8), (height, width, 4))[:, :, :3]

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Disconnect the physics client (idempotent)."""
        if not self._closed:
            self._closed = True
            try:
                p.disconnect(physicsClientId=self.client)
            except p.error:  # already gone
                pass

    def __enter__(self) -> "SimWorld":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _row_spots() -> list[tuple[float, float]]:
    """Table places for the ``row`` layout: a near row, then a far one, from the middle outwards."""
    return [(x, y) for x in (0.42, 0.56) for y in (0.0, -0.13, 0.13)]


def _packed_spots() -> list[tuple[float, float]]:
    """Table places :data:`MIN_BLOCK_SPACING` apart filling :data:`BLOCK_AREA` (12 of them), middle first:
    the layout for more blocks than places drawn at random leave room for."""
    (x0, x1), (y0, y1) = BLOCK_AREA
    step = MIN_BLOCK_SPACING + 0.001  # metres: a hair over the least, so rounding never makes it less
    nx, ny = int((x1 - x0) // step) + 1, int((y1 - y0) // step) + 1
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    spots = [(round(cx + (i - (nx - 1) / 2) * step, 4), round(cy + (j - (ny - 1) / 2) * step, 4))
             for i in range(nx) for j in range(ny)]
    return sorted(spots, key=lambda s: (round(math.dist(s, (cx, cy)), 4), s))


def _xy_attribute(attributes) -> tuple[float, float] | None:
    for key in ("pose", "position"):
        value = attributes.get(key)
        if value is None:
            continue
        if not isinstance(value, (list, tuple)) or len(value) < 2:
            raise SimError(f"{key} must be a list [x, y] or [x, y, z] in metres, got {value!r}")
        try:
            return float(value[0]), float(value[1])
        except (TypeError, ValueError):
            raise SimError(f"{key} must hold numbers in metres, got {value!r}") from None
    return None
