"""The closed-loop executor on real physics: success, refusal, replans, estop, undo, clean stops."""

from __future__ import annotations

import numpy as np

from lam_robot.execution.controller import PyBulletArmController
from lam_robot.execution.executor import ExecutionStatus, Executor
from lam_robot.execution.motion import WORKSPACE
from lam_robot.scene import scene_from_dict
from lam_robot.sim.ground_truth import GroundTruthObserver
from lam_robot.sim.scenario import physical_checks
from lam_robot.sim.world import HOME_CONFIG, SimWorld


def _two_blocks(domain, red=(0.45, -0.1), blue=(0.55, 0.1)):
    return scene_from_dict({"name": "two", "objects": {
        "red": {"type": "block", "color": "red", "position": list(red)},
        "blue": {"type": "block", "color": "blue", "position": list(blue)}},
        "init": ["(on-table red)", "(on-table blue)"]}, domain)


def _executor(world, domain, motion_planner, **kwargs):
    observer = GroundTruthObserver(world, domain)
    controller = PyBulletArmController(world, workspace=WORKSPACE)
    return Executor(observer, controller, domain, motion_planner=motion_planner, **kwargs), observer


def test_executes_a_goal_and_the_physics_agrees(domain, motion_planner):
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        report = executor.execute("(and (on red blue))")
        assert report.success and report.status is ExecutionStatus.SUCCEEDED
        assert report.steps == 2 and report.replans == []
        assert [s.skill for s in report.trace[0].skills] == ["approach", "grasp", "lift"]
        assert [s.skill for s in report.trace[1].skills] == ["transport", "place", "release", "retreat"]
        assert all(check.ok for check in physical_checks(world, [{"on": ["red", "blue"]}]))
        assert np.max(np.abs(world.arm_joints() - HOME_CONFIG)) < 0.05  # back at the safe pose
        assert report.sim_time_s > 5 and report.wall_time_s > 0
        data = report.to_dict()
        assert data["success"] and data["steps"] == 2 and "grasp" in data["skill_time_s"]


def test_refused_goal_moves_nothing(domain, motion_planner):
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        before = world.arm_joints()
        report = executor.execute("(and (on purple red))")
        assert report.status is ExecutionStatus.REFUSED and not report.success
        assert "purple" in report.reason
        assert not report.moved and report.trace == []
        assert np.allclose(world.arm_joints(), before, atol=1e-3)


def test_a_block_pushed_mid_plan_forces_a_replan_with_its_cause(domain, motion_planner):
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        def push(index, action, report):
            if len(report.trace) == 2:  # red was just put on blue: knock it off, once
                world.teleport_block("red", (0.4, 0.15, 0.026))
                world.wait_settled(1.0)

        executor, _ = _executor(world, domain, motion_planner, on_step=push)
        report = executor.execute("(and (on red blue))")
        assert report.success
        assert len(report.replans) == 1
        assert "(on red blue) no longer holds" in report.replans[0].cause
        assert all(c.ok for c in physical_checks(world, [{"on": ["red", "blue"]}]))


def test_unreachable_block_stops_cleanly_at_the_safe_pose(domain, motion_planner):
    scene = _two_blocks(domain, red=(0.95, 0.55))  # beyond the arm's reach
    with SimWorld.from_scene(scene, visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        report = executor.execute("(and (on red blue))")
        assert report.status is ExecutionStatus.FAILED and not report.success
        assert "red" in report.reason
        assert np.max(np.abs(world.arm_joints() - HOME_CONFIG)) < 0.05
        assert np.allclose(world.object_pose("red")[0][:2], [0.95, 0.55], atol=0.005)


def test_emergency_stop_halts_the_task(domain, motion_planner):
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        stop_at = world.sim_time_s + 2.0

        def stopper(w):
            if w.sim_time_s >= stop_at and not executor.controller.estopped:
                executor.estop()

        world.add_step_hook(stopper)
        report = executor.execute("(and (on red blue))")
        world.remove_step_hook(stopper)
        assert report.status is ExecutionStatus.STOPPED and not report.success
        assert report.sim_time_s < 3.0
        q = world.arm_joints()
        world.step(1.0)
        assert np.max(np.abs(world.arm_joints() - q)) < 0.05


def test_undo_puts_it_back(domain, motion_planner, tower3):
    with SimWorld.from_scene(tower3, seed=2, visual=False) as world:
        executor, observer = _executor(world, domain, motion_planner)
        start = observer.observe().state
        assert executor.execute("(and (on blue green))").success
        assert observer.observe().state != start
        undo = executor.undo()
        assert undo.success, undo.reason
        assert observer.observe().state == start
        assert executor.undo().status in (ExecutionStatus.REFUSED, ExecutionStatus.SUCCEEDED)


def test_nothing_to_undo_is_refused(domain, motion_planner):
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        report = executor.undo()
        assert report.status is ExecutionStatus.REFUSED and "nothing to undo" in report.reason


def test_a_failed_grasp_is_retried_with_another_grasp(domain, motion_planner):
    """The block is snatched away as the fingers close: the grasp fails, the robot looks again and retries."""
    with SimWorld.from_scene(_two_blocks(domain), visual=False) as world:
        snatched = []

        def snatch(w):
            if not snatched and w.ee_pose()[0][2] < 0.035:  # the fingers are around red
                w.teleport_block("red", (0.38, 0.14, 0.026))
                snatched.append(w.sim_time_s)

        world.add_step_hook(snatch)
        executor, _ = _executor(world, domain, motion_planner)
        report = executor.execute("(and (on red blue))")
        world.remove_step_hook(snatch)
        assert snatched
        assert report.success, report.reason
        first = report.trace[0]
        assert not first.ok and first.skills[-1].status.value == "grasp_failed"
        assert report.trace[1].ok and report.trace[1].action == "(pick-from-table red)"
        assert all(c.ok for c in physical_checks(world, [{"on": ["red", "blue"]}]))


def test_a_checked_goal_object_is_executed_too(domain, motion_planner):
    from lam_robot.guardrail import check_goal

    scene = _two_blocks(domain)
    checked = check_goal("(on blue red)", scene, domain)
    assert checked.ok
    with SimWorld.from_scene(scene, visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        report = executor.execute(checked.goal)
        assert report.success and report.plan == ["(pick-from-table blue)", "(place-on-block blue red)"]
        assert all(c.ok for c in physical_checks(world, [{"on": ["blue", "red"]}]))


def test_emergency_stop_from_another_thread(domain, motion_planner, tower3):
    """A stop button (or a ROS topic callback) runs on its own thread: the arm halts within a tick."""
    import threading

    with SimWorld.from_scene(tower3, seed=0, visual=False) as world:
        executor, _ = _executor(world, domain, motion_planner)
        moving = threading.Event()

        def watch(w):
            if w.sim_time_s > 2.0:
                moving.set()

        world.add_step_hook(watch)
        button = threading.Timer(0.0, lambda: (moving.wait(10.0), executor.estop()))
        button.start()
        try:
            report = executor.execute("(and (on red blue) (on blue green))")
        finally:
            button.join(10.0)
        assert report.status is ExecutionStatus.STOPPED
        assert report.steps < 6
        q = world.arm_joints()
        world.step(0.5)
        assert np.max(np.abs(world.arm_joints() - q)) < 0.05
