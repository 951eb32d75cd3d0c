"""Arm controllers: one interface, a PyBullet one and a ros2_control-style one.

The executor and the skills drive an :class:`ArmController` and never know
which one it is. Trajectories and joint states are plain dataclasses that
mirror ``trajectory_msgs/JointTrajectory`` and ``sensor_msgs/JointState``
field by field, so a ROS 2 node converts them one to one without this module
importing ``rclpy``.

Controllers are chosen by name from :data:`CONTROLLERS`.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Sequence

import numpy as np

from ..errors import LamError

ARM_JOINT_NAMES = tuple(f"panda_joint{i}" for i in range(1, 8))
FINGER_JOINT_NAMES = ("panda_finger_joint1", "panda_finger_joint2")


@dataclass(frozen=True)
class JointTrajectoryPointData:
    """Mirrors ``trajectory_msgs/JointTrajectoryPoint`` (time in seconds)."""

    positions: tuple[float, ...]
    velocities: tuple[float, ...] = ()
    time_from_start_s: float = 0.0


@dataclass(frozen=True)
class JointTrajectoryData:
    """Mirrors ``trajectory_msgs/JointTrajectory``."""

    joint_names: tuple[str, ...]
    points: tuple[JointTrajectoryPointData, ...]

    @property
    def duration_s(self) -> float:
        return self.points[-1].time_from_start_s if self.points else 0.0

    def sample(self, t_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions and velocities at ``t_s`` (linear between points, held after the end)."""
        pts = self.points
        if t_s <= pts[0].time_from_start_s:
            return np.array(pts[0].positions), np.zeros(len(pts[0].positions))
        if t_s >= pts[-1].time_from_start_s:
            return np.array(pts[-1].positions), np.zeros(len(pts[-1].positions))
        lo, hi = 0, len(pts) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if pts[mid].time_from_start_s <= t_s:
                lo = mid
            else:
                hi = mid
        a, b = pts[lo], pts[hi]
        span = b.time_from_start_s - a.time_from_start_s
        u = 0.0 if span <= 0 else (t_s - a.time_from_start_s) / span
        qa, qb = np.array(a.positions), np.array(b.positions)
        vel = (qb - qa) / span if span > 0 else np.zeros(len(qa))
        return qa + u * (qb - qa), vel


@dataclass(frozen=True)
class JointStateData:
    """Mirrors ``sensor_msgs/JointState`` (stamp in seconds)."""

    name: tuple[str, ...]
    position: tuple[float, ...]
    velocity: tuple[float, ...] = ()
    effort: tuple[float, ...] = ()
    stamp_s: float = 0.0

    def positions_of(self, names: Sequence[str]) -> np.ndarray:
        index = {n: i for i, n in enumerate(self.name)}
        try:
            return np.array([self.position[index[n]] for n in names])
        except KeyError as exc:
            raise ControllerError(f"joint state lacks joint {exc.args[0]}") from None


class ControllerError(LamError, RuntimeError):
    """A controller was misused or its hardware link failed."""


class MotionStatus(str, Enum):
    DONE = "done"
    STOPPED = "stopped"  # emergency stop
    TIMEOUT = "timeout"
    TRACKING_ERROR = "tracking_error"
    WORKSPACE = "workspace"  # the end effector would leave the workspace box


@dataclass(frozen=True)
class MotionResult:
    status: MotionStatus
    reason: str = ""
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is MotionStatus.DONE


class ArmController(ABC):
    """Moves the arm along joint trajectories and opens/closes the gripper.

    Implementations must honour :meth:`estop` at once, from any thread.
    """

    name = ""
    arm_joint_names: tuple[str, ...] = ARM_JOINT_NAMES
    finger_joint_names: tuple[str, ...] = FINGER_JOINT_NAMES

    def __init__(self) -> None:
        self._estopped = False

    @property
    def estopped(self) -> bool:
        return self._estopped

    def estop(self) -> None:
        """Halt all motion now and refuse new motion until :meth:`clear_estop`."""
        self._estopped = True
        self._halt()

    def clear_estop(self) -> None:
        self._estopped = False

    def follow(self, trajectory: JointTrajectoryData, timeout_s: float | None = None) -> MotionResult:
        """Run ``trajectory`` to its end; returns how it ended (never raises for a stop)."""
        if self._estopped:
            return MotionResult(MotionStatus.STOPPED, "emergency stop is active")
        if not trajectory.points:
            return MotionResult(MotionStatus.DONE)
        timeout_s = timeout_s if timeout_s is not None else trajectory.duration_s + 2.0
        return self._follow(trajectory, timeout_s)

    def arm_positions(self) -> np.ndarray:
        return self.read_joint_state().positions_of(self.arm_joint_names)

    def finger_positions(self) -> np.ndarray:
        return self.read_joint_state().positions_of(self.finger_joint_names)

    @abstractmethod
    def read_joint_state(self) -> JointStateData:
        """The latest joint state of arm and fingers."""

    @abstractmethod
    def _follow(self, trajectory: JointTrajectoryData, timeout_s: float) -> MotionResult:
        """Backend-specific trajectory execution."""

    @abstractmethod
    def set_gripper(self, opening_m: float, force_n: float = 40.0, duration_s: float = 0.6) -> MotionResult:
        """Drive each finger to ``opening_m`` (0 closed, 0.04 open) with at most ``force_n``."""

    @abstractmethod
    def idle(self, seconds: float) -> None:
        """Hold still for ``seconds`` (simulated or real)."""

    @abstractmethod
    def clock_s(self) -> float:
        """Seconds on the controller's clock (simulated time for a simulator)."""

    @abstractmethod
    def _halt(self) -> None:
        """Stop moving at the current position."""


class PyBulletArmController(ArmController):
    """Drives the simulated Panda with position control and force limits.

    Args:
        world: a :class:`lam_robot.sim.world.SimWorld`.
        tracking_tolerance_rad: largest final joint error accepted.
        workspace: ``((xmin, xmax), (ymin, ymax), (zmin, zmax))`` metres the end
            effector must stay inside; motion stops when it leaves.
    """

    name = "pybullet"

    def __init__(self, world, tracking_tolerance_rad: float = 0.03, workspace=None):
        super().__init__()
        self.world = world
        self.tracking_tolerance_rad = tracking_tolerance_rad
        self.workspace = workspace
        # carry on with the world's last finger command: a block held from the start stays squeezed
        self._finger_target, self._finger_force_n = world.finger_command
        self._last_q = world.arm_joints()
        self._moving = False

    def read_joint_state(self) -> JointStateData:
        import pybullet as p

        joints = (0, 1, 2, 3, 4, 5, 6, 9, 10)
        states = p.getJointStates(self.world.robot, joints, physicsClientId=self.world.client)
        return JointStateData(self.arm_joint_names + self.finger_joint_names,
                              tuple(s[0] for s in states), tuple(s[1] for s in states),
                              tuple(s[3] for s in states), self.world.sim_time_s)

    def _command(self, q, qd) -> None:
        import pybullet as p

        self._last_q = np.array(q, dtype=float)
        p.setJointMotorControlArray(self.world.robot, list(range(7)), p.POSITION_CONTROL,
                                    targetPositions=list(q), targetVelocities=list(qd),
                                    forces=[87, 87, 87, 87, 12, 12, 12], positionGains=[0.3] * 7,
                                    velocityGains=[1.0] * 7, physicsClientId=self.world.client)
        self.world.command_fingers(self._finger_target, self._finger_force_n)

    def _follow(self, trajectory: JointTrajectoryData, timeout_s: float) -> MotionResult:
        names = list(trajectory.joint_names)
        if tuple(names) != self.arm_joint_names:
            raise ControllerError(f"trajectory joints {names} are not the arm joints {self.arm_joint_names}")
        world = self.world
        start = world.sim_time_s
        final = np.array(trajectory.points[-1].positions)
        self._moving = True
        try:
            return self._follow_loop(trajectory, timeout_s, start, final)
        finally:
            self._moving = False

    def _follow_loop(self, trajectory: JointTrajectoryData, timeout_s: float, start: float, final) -> MotionResult:
        world = self.world
        ticks = 0
        while True:
            t = world.sim_time_s - start
            if self._estopped:
                self._command(world.arm_joints(), np.zeros(7))  # hold where it is, from this tick on
                return MotionResult(MotionStatus.STOPPED, "emergency stop", t)
            q, qd = trajectory.sample(t)
            self._command(q, qd)
            world.step_once()
            ticks += 1
            if self.workspace is not None and ticks % 12 == 0 and not self._inside_workspace():
                self._command(world.arm_joints(), np.zeros(7))
                return MotionResult(MotionStatus.WORKSPACE, "the end effector left the workspace box", t)
            if t >= trajectory.duration_s:
                err = np.max(np.abs(world.arm_joints() - final))
                if err < self.tracking_tolerance_rad * 0.5:
                    return MotionResult(MotionStatus.DONE, "", t)
                if t >= timeout_s:
                    if err < self.tracking_tolerance_rad:
                        return MotionResult(MotionStatus.DONE, "", t)
                    return MotionResult(MotionStatus.TRACKING_ERROR,
                                        f"joint error {err:.3f} rad after {t:.2f} s", t)

    def _inside_workspace(self) -> bool:
        pos, _ = self.world.ee_pose()
        return all(lo - 0.01 <= v <= hi + 0.01 for v, (lo, hi) in zip(pos, self.workspace))

    def set_gripper(self, opening_m: float, force_n: float = 40.0, duration_s: float = 0.6) -> MotionResult:
        if self._estopped:
            return MotionResult(MotionStatus.STOPPED, "emergency stop is active")
        self._finger_target = float(np.clip(opening_m, 0.0, 0.04))
        self._finger_force_n = force_n
        self._command(self._last_q, np.zeros(7))
        self.world.step(duration_s)
        return MotionResult(MotionStatus.DONE, "", duration_s)

    def idle(self, seconds: float) -> None:
        self._command(self._last_q, np.zeros(7))
        self.world.step(seconds)

    def open_fingers_now(self, opening_m: float = 0.04) -> None:
        """Change the finger target without stepping (a scenario script dropping the block mid-motion)."""
        self._finger_target = float(np.clip(opening_m, 0.0, 0.04))
        self.world.command_fingers(self._finger_target, self._finger_force_n)

    def clock_s(self) -> float:
        return self.world.sim_time_s

    def _halt(self) -> None:
        if self._moving:
            return  # the control loop holds the arm on its next tick (1/240 s); PyBullet is single-threaded
        q = self.world.arm_joints()
        self._command(q, np.zeros(7))


class TopicArmController(ArmController):
    """A ros2_control-style arm: trajectories out, joint states in, through callables.

    A ROS 2 node wires ``send_trajectory`` to a publisher on
    ``/<controller>/joint_trajectory`` and ``read_joint_state`` to the latest
    ``/joint_states`` message; this class holds all the logic and no rclpy.

    Args:
        send_trajectory: publishes a :class:`JointTrajectoryData` (arm or finger joints).
        read_joint_state: returns the latest :class:`JointStateData`.
        tolerance_rad: final joint error accepted.
        clock: seconds, monotonic (``time.monotonic`` by default).
        sleep: waits a number of seconds (``time.sleep`` by default).
        poll_s: how often to read joint states while waiting.
    """

    name = "topic"

    def __init__(self, send_trajectory: Callable[[JointTrajectoryData], None],
                 read_joint_state: Callable[[], JointStateData], tolerance_rad: float = 0.03,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 poll_s: float = 0.02):
        super().__init__()
        self._send = send_trajectory
        self._read = read_joint_state
        self.tolerance_rad = tolerance_rad
        self._clock = clock
        self._sleep = sleep
        self.poll_s = poll_s

    def read_joint_state(self) -> JointStateData:
        return self._read()

    def _wait_for(self, names, target, timeout_s: float) -> MotionResult:
        start = self._clock()
        deadline = start + timeout_s
        err = math.inf
        while self._clock() < deadline:
            if self._estopped:
                return MotionResult(MotionStatus.STOPPED, "emergency stop", self._clock() - start)
            err = float(np.max(np.abs(self._read().positions_of(names) - target)))
            if err < self.tolerance_rad:
                return MotionResult(MotionStatus.DONE, "", self._clock() - start)
            self._sleep(self.poll_s)
        return MotionResult(MotionStatus.TIMEOUT, f"joint error {err:.3f} rad at the deadline",
                            self._clock() - start)

    def _follow(self, trajectory: JointTrajectoryData, timeout_s: float) -> MotionResult:
        self._send(trajectory)
        return self._wait_for(trajectory.joint_names, np.array(trajectory.points[-1].positions), timeout_s)

    def set_gripper(self, opening_m: float, force_n: float = 40.0, duration_s: float = 0.6) -> MotionResult:
        if self._estopped:
            return MotionResult(MotionStatus.STOPPED, "emergency stop is active")
        opening = float(np.clip(opening_m, 0.0, 0.04))
        self._send(JointTrajectoryData(self.finger_joint_names, (
            JointTrajectoryPointData((opening, opening), (0.0, 0.0), duration_s),)))
        start = self._clock()
        while self._clock() - start < duration_s:  # a grasp stalls on the object: wait the time, not the target
            if self._estopped:
                return MotionResult(MotionStatus.STOPPED, "emergency stop")
            self._sleep(self.poll_s)
        return MotionResult(MotionStatus.DONE, "", duration_s)

    def idle(self, seconds: float) -> None:
        self._sleep(seconds)

    def clock_s(self) -> float:
        return self._clock()

    def _halt(self) -> None:
        try:
            q = self._read().positions_of(self.arm_joint_names)
        except ControllerError:
            return
        self._send(JointTrajectoryData(self.arm_joint_names, (
            JointTrajectoryPointData(tuple(float(v) for v in q), (0.0,) * 7, 0.0),)))


CONTROLLERS: dict[str, type[ArmController]] = {
    "pybullet": PyBulletArmController,
    "topic": TopicArmController,
}
