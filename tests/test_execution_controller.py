"""Controllers, trajectories and the motion planner, on real PyBullet physics."""

from __future__ import annotations

import numpy as np
import pytest

from lam_robot.execution.controller import (ARM_JOINT_NAMES, FINGER_JOINT_NAMES, JointStateData,
                                            JointTrajectoryData, MotionStatus, PyBulletArmController,
                                            TopicArmController)
from lam_robot.execution.motion import MAX_JOINT_ACCEL, MAX_JOINT_SPEED, HeldObject, MotionPlanner
from lam_robot.sim.ground_truth import GroundTruthObserver
from lam_robot.sim.world import HOME_CONFIG, SimWorld


@pytest.fixture(scope="module")
def planner():
    mp = MotionPlanner()
    yield mp
    mp.close()


@pytest.fixture
def world(tower3):
    with SimWorld.from_scene(tower3, seed=0, visual=False) as w:
        yield w


def test_ik_respects_joint_limits_and_reaches(planner):
    q = planner.ik([0.5, 0.1, 0.1], 0.3, HOME_CONFIG)
    assert q is not None
    assert np.all(q >= planner.lower) and np.all(q <= planner.upper)
    pos, _ = planner.fk(q)
    assert np.linalg.norm(pos - [0.5, 0.1, 0.1]) < 0.003


def test_unreachable_pose_has_no_ik(planner):
    assert planner.ik([1.5, 0.0, 0.1], 0.0, HOME_CONFIG) is None


def test_timing_respects_speed_and_acceleration_limits(planner):
    path = planner.line(np.array(HOME_CONFIG), [((0.6, 0.2, 0.15), 0.5), ((0.4, -0.2, 0.3), -0.5)])
    assert path.ok
    traj = planner.time_parameterize(path.configs)
    vel = np.array([pt.velocities for pt in traj.points])
    assert np.all(np.abs(vel) <= MAX_JOINT_SPEED * 1.05)
    times = np.array([pt.time_from_start_s for pt in traj.points])
    acc = np.diff(vel, axis=0) / np.diff(times)[:, None]
    assert np.percentile(np.abs(acc), 95) <= MAX_JOINT_ACCEL.max() * 1.5
    assert traj.points[0].velocities == (0.0,) * 7 and traj.points[-1].velocities == (0.0,) * 7


def test_collision_checker_sees_blocks_table_and_held_block(world, planner, domain):
    state = GroundTruthObserver(world, domain).observe()
    planner.sync(state)
    blue = state.scene.objects["blue"].attributes["pose"]
    above = planner.ik([blue[0], blue[1], blue[2] + 0.08], 0.0, HOME_CONFIG)
    assert planner.collision(above) is None
    # closed fingers pushed into the block: a collision unless the gripper may touch blue
    into = planner.ik([blue[0], blue[1], blue[2] + 0.03], 0.0, above)
    assert "blue" in (planner.collision(into, finger=0.0) or "")
    assert planner.collision(into, allow_gripper=["blue"], finger=0.0) is None
    low = planner.ik([0.45, 0.0, 0.002], 0.0, HOME_CONFIG)
    assert low is None or "table" in (planner.collision(low) or "")
    green = state.scene.objects["green"].attributes["pose"]
    above_green = planner.ik([green[0], green[1], green[2] + 0.03], 0.0, HOME_CONFIG)
    held = HeldObject("blue", 0.05, (0.0, 0.0, 0.0))
    assert "held blue would hit green" in (planner.collision(above_green, held=held) or "")


def test_workspace_box_is_checked():
    boxed = MotionPlanner(workspace=((0.0, 1.0), (-1.0, 1.0), (0.0, 0.4)))
    try:
        q = boxed.ik([0.5, 0.0, 0.5], 0.0, HOME_CONFIG)
        assert q is not None and boxed.outside_workspace(q)
        assert "workspace" in (boxed.check_path([np.array(HOME_CONFIG), q]) or "")
    finally:
        boxed.close()


def test_pybullet_controller_follows_a_trajectory(world, planner):
    controller = PyBulletArmController(world)
    path = planner.line(np.array(HOME_CONFIG), [((0.5, 0.15, 0.25), 0.0)])
    traj = planner.time_parameterize(path.configs)
    result = controller.follow(traj)
    assert result.ok
    assert np.linalg.norm(world.ee_pose()[0] - [0.5, 0.15, 0.25]) < 0.01
    assert world.sim_time_s > traj.duration_s


def test_estop_halts_motion_at_once(world, planner):
    controller = PyBulletArmController(world)
    path = planner.line(np.array(HOME_CONFIG), [((0.6, 0.2, 0.15), 0.0)])
    traj = planner.time_parameterize(path.configs)
    stop_at = world.sim_time_s + traj.duration_s / 3

    def stopper(w):
        if w.sim_time_s >= stop_at and not controller.estopped:
            controller.estop()

    world.add_step_hook(stopper)
    result = controller.follow(traj)
    world.remove_step_hook(stopper)
    assert result.status is MotionStatus.STOPPED
    assert result.duration_s < traj.duration_s / 2
    q_stop = world.arm_joints()
    world.step(0.5)
    assert np.max(np.abs(world.arm_joints() - q_stop)) < 0.05  # it stays where it stopped
    assert controller.follow(traj).status is MotionStatus.STOPPED  # refuses new motion
    controller.clear_estop()
    assert controller.follow(traj).ok


class _Ros2ControlSim:
    """A ros2_control-style joint trajectory controller over the real simulator.

    ``send`` is what a publisher on ``/joint_trajectory_controller/joint_trajectory``
    would deliver; ``joint_state`` is the latest ``/joint_states``; ``sleep``
    lets time pass (the simulator steps while the controller follows the goal).
    """

    def __init__(self, world):
        self.world = world
        self.arm = PyBulletArmController(world)
        self.active: JointTrajectoryData | None = None
        self.started_s = 0.0
        self.received = []

    def send(self, traj: JointTrajectoryData) -> None:
        self.received.append(traj)
        if tuple(traj.joint_names) == FINGER_JOINT_NAMES:
            self.arm._finger_target = traj.points[-1].positions[0]
            return
        self.active, self.started_s = traj, self.world.sim_time_s

    def joint_state(self) -> JointStateData:
        return self.arm.read_joint_state()

    def clock(self) -> float:
        return self.world.sim_time_s

    def sleep(self, seconds: float) -> None:
        end = self.world.sim_time_s + seconds
        while self.world.sim_time_s < end:
            if self.active is not None:
                q, qd = self.active.sample(self.world.sim_time_s - self.started_s)
                self.arm._command(q, qd)
            self.world.step_once()


def test_topic_controller_drives_a_ros2_control_style_arm(world, planner):
    sim = _Ros2ControlSim(world)
    controller = TopicArmController(sim.send, sim.joint_state, clock=sim.clock, sleep=sim.sleep)
    path = planner.line(np.array(HOME_CONFIG), [((0.45, -0.1, 0.2), 0.0)])
    traj = planner.time_parameterize(path.configs)
    result = controller.follow(traj)
    assert result.ok, result.reason
    assert sim.received[0].joint_names == ARM_JOINT_NAMES
    assert np.linalg.norm(world.ee_pose()[0] - [0.45, -0.1, 0.2]) < 0.01
    assert controller.set_gripper(0.01, duration_s=0.5).ok
    assert sum(controller.finger_positions()) < 0.03
    controller.estop()  # sends a hold-position trajectory
    assert len(sim.received[-1].points) == 1
    assert controller.follow(traj).status is MotionStatus.STOPPED


def test_topic_controller_times_out_when_the_arm_does_not_move():
    state = JointStateData(ARM_JOINT_NAMES + FINGER_JOINT_NAMES, (0.0,) * 9)
    clock = [0.0]

    def sleep(s):
        clock[0] += s

    controller = TopicArmController(lambda t: None, lambda: state, clock=lambda: clock[0], sleep=sleep)
    traj = JointTrajectoryData(ARM_JOINT_NAMES, (
        __import__("lam_robot.execution.controller", fromlist=["x"]).JointTrajectoryPointData((1.0,) * 7, (), 1.0),))
    result = controller.follow(traj, timeout_s=2.0)
    assert result.status is MotionStatus.TIMEOUT


def test_controller_stops_when_the_end_effector_leaves_the_workspace(world, planner):
    """A second line of defence behind the planner's check: the running arm is watched too."""
    controller = PyBulletArmController(world, workspace=((0.2, 0.8), (-0.5, 0.5), (0.0, 0.3)))
    path = planner.line(np.array(HOME_CONFIG), [((0.5, 0.0, 0.2), 0.0)])  # home is above the box: let it in
    controller_free = PyBulletArmController(world)
    assert controller_free.follow(planner.time_parameterize(path.configs)).ok
    up = planner.line(path.configs[-1], [((0.5, 0.0, 0.45), 0.0)])
    result = controller.follow(planner.time_parameterize(up.configs))
    assert result.status is MotionStatus.WORKSPACE
    assert world.ee_pose()[0][2] < 0.34


def test_the_simulator_starts_at_the_executors_safe_pose():
    from lam_robot.execution import motion
    from lam_robot.sim import world

    assert world.HOME_CONFIG == motion.HOME_CONFIG
