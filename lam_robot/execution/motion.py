"""Motion planning for the Panda: inverse kinematics, collision checks, timing.

:class:`MotionPlanner` keeps its own kinematic copy of the robot in a private
PyBullet DIRECT client (never the simulated world: checking a path must not
disturb physics, and on a real robot there is no simulated world). Obstacles
are rebuilt from an observed :class:`lam_robot.world_state.WorldState`: the
table, every block at its observed pose, every region with its walls. A held
block travels with the hand and is checked too.

Paths are straight lines in Cartesian space (gripper pointing down), solved
point by point with joint limits, checked for collisions and for the
workspace box, then timed with velocity and acceleration limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pybullet as p
import pybullet_data

from ..sim.appearance import DEFAULT_BLOCK_SIZE, TABLE_HEIGHT, TRAY_SIZE, TRAY_WALL_HEIGHT
from ..world_state import WorldState
from .controller import ARM_JOINT_NAMES, JointTrajectoryData, JointTrajectoryPointData

ARM_JOINTS = (0, 1, 2, 3, 4, 5, 6)
FINGER_JOINTS = (9, 10)
EE_LINK = 11
HOME_CONFIG = (0.0, -0.55, 0.0, -2.2, 0.0, 1.65, 0.785)  # radians: the safe pose, gripper down over the table
GRIPPER_LINKS = (8, 9, 10, 11)  # hand, fingers, grasp frame
#: the box the end effector never leaves: (x, y, z) ranges in metres
WORKSPACE = ((-0.05, 0.85), (-0.65, 0.65), (0.005, 0.75))
MAX_JOINT_SPEED = np.array([1.2, 1.2, 1.2, 1.2, 1.6, 1.6, 1.6])  # rad/s (the Panda allows 2.175/2.61)
MAX_JOINT_ACCEL = np.array([3.0, 3.0, 3.0, 3.0, 4.0, 4.0, 4.0])  # rad/s^2
TRAVEL_SPEED = 0.5  # m/s, end effector, free motion
FINE_SPEED = 0.08  # m/s, end effector, near contact
ARM_MARGIN = 0.003  # metres kept between the arm and obstacles
HELD_PENETRATION = 0.004  # metres a held block may sink into a support at its ends (contact)
TRAY_FLOOR_THICKNESS = 0.004
TRAY_WALL_THICKNESS = 0.008


@dataclass(frozen=True)
class HeldObject:
    """A block in the hand: its name, edge (metres) and pose relative to the grasp frame."""

    name: str
    size: float
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class PathResult:
    """A checked joint path, or why none was found."""

    configs: tuple = ()
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.configs) and not self.reason


class MotionPlanner:
    """IK, collision checking and trajectory timing against an observed scene.

    Args:
        workspace: end-effector box, see :data:`WORKSPACE`.
        finger_opening_m: finger position assumed by the checker (open by default).
    """

    def __init__(self, workspace=WORKSPACE):
        self.workspace = workspace
        self.client = p.connect(p.DIRECT)
        c = self.client
        p.setAdditionalSearchPath(pybullet_data.getDataPath(), physicsClientId=c)
        self.robot = p.loadURDF("franka_panda/panda.urdf", [0, 0, TABLE_HEIGHT], useFixedBase=True,
                                flags=p.URDF_IGNORE_VISUAL_SHAPES, physicsClientId=c)
        info = [p.getJointInfo(self.robot, j, physicsClientId=c) for j in ARM_JOINTS]
        self.lower = np.array([i[8] for i in info])
        self.upper = np.array([i[9] for i in info])
        half = [0.625, 0.75, 0.025]
        col = p.createCollisionShape(p.GEOM_BOX, halfExtents=half, physicsClientId=c)
        self._obstacles: dict[str, int] = {
            "table": p.createMultiBody(0, col, -1, [0.375, 0, TABLE_HEIGHT - 0.025], physicsClientId=c)}
        self._bodies_by_key: dict[str, int] = {}
        self._held_bodies: dict[float, int] = {}
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                p.disconnect(physicsClientId=self.client)
            except p.error:
                pass

    # ------------------------------------------------------------------ scene
    def sync(self, state: WorldState, exclude: Sequence[str] = ()) -> None:
        """Place obstacles where ``state`` says the objects are; ``exclude`` are left out (a held block)."""
        c = self.client
        far = [50.0, 50.0, -50.0]
        present = {"table"}
        for name, obj in state.scene.objects.items():
            pose = obj.attributes.get("pose")
            if obj.type == "region":
                inner = obj.attributes.get("inner") or ((obj.size, obj.size) if obj.size else TRAY_SIZE)
                key = f"{name}|region|{float(inner[0]):.4f}|{float(inner[1]):.4f}"
            else:
                key = f"{name}|block|{obj.size or DEFAULT_BLOCK_SIZE:.4f}"
            if key not in self._bodies_by_key:
                if obj.type == "region":
                    body = self._make_region(obj)
                else:
                    size = obj.size or DEFAULT_BLOCK_SIZE
                    col = p.createCollisionShape(p.GEOM_BOX, halfExtents=[size / 2] * 3, physicsClientId=c)
                    body = p.createMultiBody(0, col, -1, far, physicsClientId=c)
                self._bodies_by_key[key] = body
            body = self._bodies_by_key[key]
            self._obstacles[name] = body
            present.add(name)
            if name in exclude or pose is None:
                p.resetBasePositionAndOrientation(body, far, [0, 0, 0, 1], physicsClientId=c)
                continue
            yaw = float(obj.attributes.get("yaw", 0.0))
            p.resetBasePositionAndOrientation(body, list(pose), p.getQuaternionFromEuler([0, 0, yaw]),
                                              physicsClientId=c)
        for key, body in self._bodies_by_key.items():  # objects of earlier scenes are gone
            if key.split("|")[0] not in present or self._obstacles.get(key.split("|")[0]) != body:
                p.resetBasePositionAndOrientation(body, far, [0, 0, 0, 1], physicsClientId=c)
        self._obstacles = {n: b for n, b in self._obstacles.items() if n in present}

    def _make_region(self, obj) -> int:
        c = self.client
        inner = obj.attributes.get("inner") or ((obj.size, obj.size) if obj.size else TRAY_SIZE)
        wall_h = float(obj.attributes.get("wall_height", TRAY_WALL_HEIGHT))
        t = TRAY_WALL_THICKNESS
        ox, oy = inner[0] / 2 + t / 2, inner[1] / 2 + t / 2
        fx, fy = inner[0] / 2 + t, inner[1] / 2 + t
        boxes = [([fx, fy, TRAY_FLOOR_THICKNESS / 2], [0, 0, TRAY_FLOOR_THICKNESS / 2]),
                 ([t / 2, fy, wall_h / 2], [ox, 0, wall_h / 2]), ([t / 2, fy, wall_h / 2], [-ox, 0, wall_h / 2]),
                 ([fx, t / 2, wall_h / 2], [0, oy, wall_h / 2]), ([fx, t / 2, wall_h / 2], [0, -oy, wall_h / 2])]
        col = p.createCollisionShapeArray([p.GEOM_BOX] * 5, halfExtents=[b[0] for b in boxes],
                                          collisionFramePositions=[b[1] for b in boxes], physicsClientId=c)
        return p.createMultiBody(0, col, -1, [50, 50, -50], physicsClientId=c)

    # ------------------------------------------------------------------ kinematics
    def _set(self, q: Sequence[float], finger: float = 0.04) -> None:
        for j, v in zip(ARM_JOINTS, q):
            p.resetJointState(self.robot, j, float(v), physicsClientId=self.client)
        for j in FINGER_JOINTS:
            p.resetJointState(self.robot, j, finger, physicsClientId=self.client)

    def fk(self, q: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        """Grasp-frame position and quaternion for arm configuration ``q``."""
        self._set(q)
        state = p.getLinkState(self.robot, EE_LINK, computeForwardKinematics=True, physicsClientId=self.client)
        return np.array(state[4]), np.array(state[5])

    def ik(self, pos: Sequence[float], yaw: float, seed: Sequence[float]) -> np.ndarray | None:
        """Joint angles within limits putting the grasp frame at ``pos``, pointing down, turned by ``yaw``.

        Returns None when no solution within 3 mm and 0.05 rad is found.
        """
        c = self.client
        target = p.getQuaternionFromEuler([math.pi, 0.0, yaw])
        seed = np.array(seed, dtype=float)
        q = seed
        ranges = list(self.upper - self.lower) + [0.04, 0.04]
        for _ in range(4):
            self._set(q)
            sol = p.calculateInverseKinematics(
                self.robot, EE_LINK, list(pos), target, lowerLimits=list(self.lower) + [0, 0],
                upperLimits=list(self.upper) + [0.04, 0.04], jointRanges=ranges,
                restPoses=list(seed) + [0.04, 0.04], maxNumIterations=100, residualThreshold=1e-5,
                physicsClientId=c)
            q = np.clip(np.array(sol[:7]), self.lower, self.upper)
            got_pos, got_quat = self.fk(q)
            if (np.linalg.norm(got_pos - np.array(pos)) < 0.003
                    and _quat_angle(got_quat, target) < 0.05):
                return q
        return None

    # ------------------------------------------------------------------ checks
    def _held_body(self, size: float) -> int:
        if size not in self._held_bodies:
            col = p.createCollisionShape(p.GEOM_BOX, halfExtents=[size / 2] * 3, physicsClientId=self.client)
            self._held_bodies[size] = p.createMultiBody(0, col, -1, [50, 50, -50], physicsClientId=self.client)
        return self._held_bodies[size]

    def collision(self, q: Sequence[float], allow_gripper: Sequence[str] = (), held: HeldObject | None = None,
                  finger: float = 0.04) -> str | None:
        """Why ``q`` collides, or None. ``allow_gripper``: objects the hand and fingers may touch."""
        c = self.client
        self._set(q, finger)
        for name, body in self._obstacles.items():
            for pt in p.getClosestPoints(self.robot, body, ARM_MARGIN, physicsClientId=c):
                link = pt[3]
                if link in GRIPPER_LINKS and name in allow_gripper:
                    continue
                if link == -1 and name == "table":
                    continue  # the base stands on the table
                return f"arm link {link} would hit {name}"
        if held is not None:
            pos, quat = self.fk(q)
            self._set(q, finger)
            body = self._held_body(held.size)
            world_pos, world_quat = p.multiplyTransforms(pos.tolist(), quat.tolist(), list(held.offset),
                                                         [0, 0, 0, 1])
            p.resetBasePositionAndOrientation(body, world_pos, world_quat, physicsClientId=c)
            for name, obst in self._obstacles.items():
                for pt in p.getClosestPoints(body, obst, 0.0, physicsClientId=c):
                    if pt[8] < -HELD_PENETRATION:
                        return f"the held {held.name} would hit {name}"
            p.resetBasePositionAndOrientation(body, [50, 50, -50], [0, 0, 0, 1], physicsClientId=c)
        return None

    def outside_workspace(self, q: Sequence[float]) -> bool:
        pos, _ = self.fk(q)
        return not all(lo <= v <= hi for v, (lo, hi) in zip(pos, self.workspace))

    def check_path(self, configs: Sequence[np.ndarray], allow_gripper: Sequence[str] = (),
                   held: HeldObject | None = None, finger: float = 0.04, max_step_rad: float = 0.05) -> str | None:
        """The first problem along a joint path (collision, workspace, limits), or None."""
        for a, b in zip(configs[:-1], configs[1:]):
            n = max(1, int(math.ceil(np.max(np.abs(b - a)) / max_step_rad)))
            for k in range(n + 1):
                q = a + (b - a) * k / n
                if np.any(q < self.lower - 1e-6) or np.any(q > self.upper + 1e-6):
                    return "a joint limit would be exceeded"
                if self.outside_workspace(q):
                    return "the end effector would leave the workspace box"
                why = self.collision(q, allow_gripper, held, finger)
                if why:
                    return why
        return None

    def line(self, q_start: np.ndarray, waypoints: Sequence[tuple[Sequence[float], float]],
             step_m: float = 0.02) -> PathResult:
        """IK along straight Cartesian segments through ``(position, yaw)`` waypoints."""
        configs = [np.array(q_start, dtype=float)]
        prev_pos, quat0 = self.fk(q_start)
        prev_yaw = gripper_yaw(quat0)
        for pos, yaw in waypoints:
            pos = np.array(pos, dtype=float)
            dist = float(np.linalg.norm(pos - prev_pos))
            dyaw = _wrap(yaw - prev_yaw)
            n = max(1, int(math.ceil(max(dist / step_m, abs(dyaw) / 0.15))))
            for k in range(1, n + 1):
                u = k / n
                q = self.ik(prev_pos + (pos - prev_pos) * u, prev_yaw + dyaw * u, configs[-1])
                if q is None:
                    return PathResult(reason=f"no inverse kinematics for {np.round(pos, 3).tolist()}")
                if np.max(np.abs(q - configs[-1])) > 0.5:
                    return PathResult(reason="the arm would have to flip its posture mid-motion")
                configs.append(q)
            prev_pos, prev_yaw = pos, yaw
        return PathResult(tuple(configs))

    def joint_move(self, q_start: np.ndarray, q_goal: np.ndarray) -> PathResult:
        """A straight line in joint space (for moves to a named configuration)."""
        return PathResult((np.array(q_start, dtype=float), np.array(q_goal, dtype=float)))

    # ------------------------------------------------------------------ timing
    def time_parameterize(self, configs: Sequence[np.ndarray], cartesian_speed: float = TRAVEL_SPEED,
                          speed_scale: float = 1.0, dt_s: float = 0.02) -> JointTrajectoryData:
        """A trapezoidal time law along the path within joint speed/acceleration and tool speed limits."""
        q = np.array(configs, dtype=float)
        vmax = MAX_JOINT_SPEED * speed_scale
        amax = MAX_JOINT_ACCEL * speed_scale
        if len(q) < 2:
            return JointTrajectoryData(ARM_JOINT_NAMES, (JointTrajectoryPointData(tuple(q[0]), (0.0,) * 7, 0.0),))
        seg = np.max(np.abs(np.diff(q, axis=0)) / vmax, axis=1)
        ee = np.array([self.fk(c)[0] for c in q])
        seg = np.maximum(seg, np.linalg.norm(np.diff(ee, axis=0), axis=1) / cartesian_speed)
        s_knots = np.concatenate([[0.0], np.cumsum(seg)])
        total = float(s_knots[-1])
        if total < 1e-6:
            return JointTrajectoryData(ARM_JOINT_NAMES, (JointTrajectoryPointData(tuple(q[-1]), (0.0,) * 7, 0.0),))
        a = float(np.min(amax / vmax))  # 1/s: acceleration of the path parameter
        if total >= 1.0 / a:
            t_acc, duration = 1.0 / a, total + 1.0 / a
        else:
            t_acc = math.sqrt(total / a)
            duration = 2 * t_acc
        peak = a * t_acc

        def s_of(t: float) -> float:
            if t <= t_acc:
                return 0.5 * a * t * t
            if t >= duration - t_acc:
                r = duration - t
                return total - 0.5 * a * r * r
            return 0.5 * a * t_acc * t_acc + peak * (t - t_acc)

        times = list(np.arange(0.0, duration, dt_s)) + [duration]
        points = []
        prev = None
        for t in times:
            s = min(total, s_of(t))
            pos = np.array([np.interp(s, s_knots, q[:, j]) for j in range(7)])
            vel = np.zeros(7) if prev is None else (pos - prev[1]) / max(1e-9, t - prev[0])
            points.append(JointTrajectoryPointData(tuple(float(v) for v in pos), tuple(float(v) for v in vel),
                                                   float(t)))
            prev = (t, pos)
        last = points[-1]
        points[-1] = JointTrajectoryPointData(last.positions, (0.0,) * 7, last.time_from_start_s)
        return JointTrajectoryData(ARM_JOINT_NAMES, tuple(points))


def gripper_yaw(quat) -> float:
    """Yaw (radians) of the gripper's x axis in the table plane."""
    m = p.getMatrixFromQuaternion(list(quat))
    return math.atan2(m[3], m[0])


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def _quat_angle(q1, q2) -> float:
    dot = abs(float(np.dot(np.array(q1) / np.linalg.norm(q1), np.array(q2) / np.linalg.norm(q2))))
    return 2 * math.acos(min(1.0, dot))
