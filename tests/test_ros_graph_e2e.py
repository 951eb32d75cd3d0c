"""The whole graph as separate processes over real DDS: an instruction moves real (simulated) blocks."""

from __future__ import annotations

import json
import sys

import pytest
from std_msgs.msg import Bool, String
from trajectory_msgs.msg import JointTrajectory
from visualization_msgs.msg import Marker, MarkerArray

from lam_robot.recording import read_counts
from lam_robot.resources import find_resource
from ros_harness import ros_graph

pytestmark = [pytest.mark.ros, pytest.mark.slow]

INSTRUCTION = "put the red block on the blue one, and the blue one on the green one"
GOAL_FACTS = ("(on red blue)", "(on blue green)")
SIM_PARAMS = {"real_time_factor": 3.0, "camera_rate_hz": 0.0, "ground_truth_rate_hz": 10.0}


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


def start_graph(ros, namespace="", sim_params=None, executor_params=None, scenario=None):
    params = dict(SIM_PARAMS, **(sim_params or {}))
    if scenario:
        params["scenario"] = scenario
    ros.start("sim", namespace, params)
    ros.start("translator", namespace)
    ros.start("planner", namespace)
    ros.start("executor", namespace, executor_params or {})


def holds(truth, facts):
    return bool(truth) and all(f in truth[-1].get("init", []) for f in facts)


def test_text_instruction_reaches_the_goal_in_the_simulator_and_is_recorded(ros, tmp_path):
    """Instruction -> goal -> plan -> trajectories -> blocks stacked; status names each step and why."""
    start_graph(ros)
    mcap = tmp_path / "run.mcap"
    recorder = ros.start_cmd([sys.executable, "-m", "lam_robot.nodes.recorder_node", str(mcap)], "recorder")
    probe = ros.probe
    truth = probe.subscribe("sim/ground_truth", qos="state")
    statuses = probe.subscribe("status")
    world_markers = probe.subscribe("world_state/markers", MarkerArray, qos="state")
    plan_markers = probe.subscribe("plan/markers", MarkerArray, qos="state")
    instruction = probe.publisher("instruction")
    probe.wait_for_subscribers(instruction, count=2, timeout_s=30.0, on_fail=ros.logs)  # translator + recorder
    probe.wait_for_publishers("joint_trajectory_controller/joint_trajectory", timeout_s=30.0, on_fail=ros.logs)
    probe.spin_until(lambda: truth, 20.0, "the simulator's ground truth", ros.logs)
    ros.wait_status_matched()
    assert not holds(truth, GOAL_FACTS)

    instruction.publish(String(data=json.dumps({"text": INSTRUCTION, "id": "tower"})))

    def done():
        return next((s for s in statuses if s.get("node") == "executor" and s.get("event") == "done"), None)
    final = probe.spin_until(done, 150.0, "the executor to finish",
                             lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + "\n" + ros.logs())
    assert final["success"], final
    probe.spin_until(lambda: holds(truth, GOAL_FACTS), 10.0, "the goal to hold in the simulator", ros.logs)

    steps = [s for s in statuses if s.get("node") == "executor" and s.get("event") == "step"]
    assert [s["action"] for s in steps][:2] == ["(pick-from-block green red)", "(place-on-table green)"]
    assert all(s["step_reason"] for s in steps)
    assert any("achieves the goal" in s["step_reason"] for s in steps)
    assert {s.get("node") for s in statuses} >= {"translator", "planner", "executor"}
    # RViz: blocks with their facts, and an arrow onto the first block the plan grasps
    probe.spin_until(lambda: world_markers and plan_markers, 10.0, "markers", ros.logs)
    cubes = [m for m in world_markers[-1].markers if m.ns == "blocks" and m.type == Marker.CUBE]
    assert len(cubes) == 3
    assert any("(on " in m.text for m in world_markers[-1].markers if m.ns == "facts")
    arrows = [m for m in plan_markers[-1].markers if m.type == Marker.ARROW and m.action == Marker.ADD]
    assert len(arrows) == 1 and any("pick-from-block green red" in m.text for m in plan_markers[-1].markers)

    recorder.stop()
    counts = read_counts(mcap)
    assert counts.get("/instruction") == 1 and counts.get("/goal") == 1 and counts.get("/plan") == 1
    assert counts.get("/joint_trajectory_controller/joint_trajectory", 0) >= 12
    assert counts.get("/joint_states", 0) > 100 and counts.get("/world_state", 0) > 10
    assert counts.get("/status", 0) >= len(steps)


def test_estop_halts_motion(ros):
    """``~/estop`` true stops the arm mid-task: the task ends stopped and the arm holds still."""
    from sensor_msgs.msg import JointState

    start_graph(ros, sim_params={"real_time_factor": 1.0})
    probe = ros.probe
    statuses = probe.subscribe("status")
    joints = probe.subscribe("joint_states", JointState, qos="sensor")
    goal = probe.publisher("goal")
    estop = probe.publisher("executor/estop", Bool)
    probe.wait_for_subscribers(goal, timeout_s=30.0, on_fail=ros.logs)
    probe.wait_for_subscribers(estop, timeout_s=30.0, on_fail=ros.logs)
    ros.wait_status_matched()
    probe.wait_for_publishers("world_state", timeout_s=30.0, on_fail=ros.logs)
    probe.spin_for(1.0)
    goal.publish(String(data="(on red blue)"))
    probe.spin_until(lambda: any(s.get("event") == "step" for s in statuses), 60.0, "the first step", ros.logs)
    probe.spin_for(1.0)
    estop.publish(Bool(data=True))
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("node") == "executor" and s.get("event") == "done"), None),
        30.0, "the task to end", ros.logs)
    assert not final["success"]
    probe.spin_for(0.5)
    before = list(joints[-1].position[:7])
    probe.spin_for(1.5)
    after = list(joints[-1].position[:7])
    assert max(abs(a - b) for a, b in zip(before, after)) < 0.01, "the arm kept moving after the estop"
    assert any(s.get("event") == "estop" for s in statuses)
    # a new plan is refused until the stop is cleared
    goal.publish(String(data="(on green blue)"))
    probe.spin_until(lambda: any(s.get("code") == "estop" for s in statuses), 15.0, "an estop refusal", ros.logs)
    assert find_resource("sim/scenes/tower3.yaml")


def test_two_namespaced_robots_share_a_domain_without_crosstalk(ros):
    """robot1 and robot2 run whole graphs in one ROS domain and each does only its own task."""
    tasks = {"robot1": ("put the green block on the blue one", "(on green blue)", "(on blue green)"),
             "robot2": ("put the blue block on the green one", "(on blue green)", "(on green blue)")}
    probe = ros.probe
    truth, statuses, pubs = {}, {}, {}
    for ns in tasks:
        start_graph(ros, ns)
        truth[ns] = probe.subscribe(f"/{ns}/sim/ground_truth", qos="state")
        statuses[ns] = probe.subscribe(f"/{ns}/status")
        pubs[ns] = probe.publisher(f"/{ns}/instruction")
    for ns in tasks:
        probe.wait_for_subscribers(pubs[ns], timeout_s=40.0, on_fail=ros.logs)
        probe.wait_for_publishers(f"/{ns}/joint_trajectory_controller/joint_trajectory", timeout_s=40.0,
                                  on_fail=ros.logs)
        probe.spin_until(lambda: truth[ns], 30.0, f"{ns}'s ground truth", ros.logs)
        ros.wait_status_matched(f"/{ns}/status", ns)
    for ns, (text, _, _) in tasks.items():
        pubs[ns].publish(String(data=text))

    def finished(ns):
        return next((s for s in statuses[ns] if s.get("node") == "executor" and s.get("event") == "done"), None)
    for ns, (_, wanted, unwanted) in tasks.items():
        final = probe.spin_until(lambda: finished(ns), 120.0, f"{ns} to finish",
                                 lambda: "\n".join(json.dumps(s)[:300] for s in statuses[ns]) + ros.logs())
        assert final["success"], final
        probe.spin_until(lambda: holds(truth[ns], [wanted]), 10.0, f"{wanted} in {ns}'s world", ros.logs)
        assert not holds(truth[ns], [unwanted])
        plans = [s for s in statuses[ns] if s.get("event") == "executing"]
        assert len(plans) == 1, "a robot executed another robot's plan"


FAR_SCENE = """name: far_green
objects:
  red:   {type: block, color: red, position: [0.45, -0.12]}
  blue:  {type: block, color: blue, position: [0.45, 0.12]}
  green: {type: block, color: green, position: [0.95, 0.65]}
init: ["(on-table red)", "(on-table blue)", "(on-table green)"]
"""


def test_rehearsal_in_a_twin_gates_motion(ros, tmp_path):
    """With ``rehearse``, a plan runs in a PyBullet twin of the observed scene first; a failure there moves nothing."""
    scene = tmp_path / "far_green.yaml"
    scene.write_text(FAR_SCENE)
    start_graph(ros, scenario=str(scene), executor_params={"rehearse": True})
    probe = ros.probe
    statuses = probe.subscribe("status")
    truth = probe.subscribe("sim/ground_truth", qos="state")
    sent: list = []
    probe.node.create_subscription(JointTrajectory, "joint_trajectory_controller/joint_trajectory",
                                   lambda m: sent.append(m), 10)
    goal = probe.publisher("goal")
    probe.wait_for_subscribers(goal, timeout_s=30.0, on_fail=ros.logs)
    probe.spin_until(lambda: truth, 30.0, "the simulator", ros.logs)
    ros.wait_status_matched()

    goal.publish(String(data=json.dumps({"goal": "(on green red)", "id": "far"})))  # out of the arm's reach
    refusal = probe.spin_until(lambda: next((s for s in statuses if s.get("event") == "rehearsal"), None), 60.0,
                               "the rehearsal's verdict", lambda: json.dumps(statuses) + ros.logs())
    assert refusal["level"] == "refused" and "green" in refusal["reason"] and "reach" in refusal["reason"]
    probe.spin_for(1.0)
    assert not sent, "the arm moved although the rehearsal failed"

    goal.publish(String(data=json.dumps({"goal": "(on red blue)", "id": "near"})))
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("event") == "done" and s.get("id") == "near"), None), 120.0,
        "the rehearsed task", lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    assert final["success"], final
    events = [s["event"] for s in statuses if s.get("id") == "near" and s.get("node") == "executor"]
    assert events.index("rehearsed") < events.index("executing")
    probe.spin_until(lambda: holds(truth, ["(on red blue)"]), 10.0, "red on blue", ros.logs)


def test_spoken_instruction_from_an_audio_file_reaches_the_goal(ros, tmp_path):
    """A WAV path on ``audio/path`` -> asr -> translator -> planner -> executor -> blocks moved."""
    from lam_robot.language import speech

    if not speech.espeak_available():
        pytest.skip("espeak-ng is not installed (make apt-deps)")
    wav = speech.synthesize("put the green block on the blue one", tmp_path / "green_on_blue.wav")
    start_graph(ros)
    ros.start("asr")
    probe = ros.probe
    truth = probe.subscribe("sim/ground_truth", qos="state")
    statuses = probe.subscribe("status")
    heard = probe.subscribe("instruction", qos="command")
    audio = probe.publisher("audio/path")
    probe.wait_for_subscribers(audio, timeout_s=30.0, on_fail=ros.logs)
    probe.spin_until(lambda: truth, 30.0, "the simulator", ros.logs)
    ros.wait_status_matched()
    audio.publish(String(data=json.dumps({"path": str(wav), "id": "spoken"})))
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("event") == "done" or s.get("node") == "translator"
                      and s.get("level") == "refused"), None),
        120.0, "the spoken task", lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    assert final.get("node") != "translator", \
        f"speech: heard {heard[0]['text'] if heard else '?'!r}; translator: {final.get('reason')}"
    assert final["success"], final
    assert heard and "green" in heard[0]["text"] and heard[0]["source"] == "asr"
    probe.spin_until(lambda: holds(truth, ["(on green blue)"]), 10.0, "green on blue", ros.logs)


def test_executor_runs_the_plan_it_is_given(ros):
    """The executor executes the plan on the ``plan`` topic step by step (here a valid, roundabout one)."""
    import time

    ros.start("sim", params=SIM_PARAMS)
    ros.start("executor", params={"separate_gripper_controller": True})  # arm and gripper controllers
    probe = ros.probe
    statuses = probe.subscribe("status")
    truth = probe.subscribe("sim/ground_truth", qos="state")
    arm = probe.subscribe("joint_trajectory_controller/joint_trajectory", JointTrajectory, qos="command")
    gripper = probe.subscribe("gripper_controller/joint_trajectory", JointTrajectory, qos="command")
    plan_pub = probe.publisher("plan", qos="state")
    probe.wait_for_subscribers(plan_pub, timeout_s=30.0, on_fail=ros.logs)
    probe.spin_until(lambda: truth, 30.0, "the simulator", ros.logs)
    ros.wait_status_matched()
    steps = ["(pick-from-block green red)", "(place-on-table green)", "(pick-from-table green)",
             "(place-on-block green blue)"]
    plan_pub.publish(String(data=json.dumps({"status": "ok", "id": "given", "goal": "(on green blue)", "plan": steps,
                                             "explanation": ["a", "b", "c", "d"], "stamp": time.time()})))
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("event") == "done"), None), 90.0, "the plan to run",
        lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    assert final["success"], final
    assert [s["action"] for s in statuses if s.get("event") == "step"] == steps
    assert not any(s.get("event") == "replanning" for s in statuses)
    probe.spin_until(lambda: holds(truth, ["(on green blue)"]), 10.0, "green on blue", ros.logs)
    assert gripper and all(m.joint_names[0].startswith("panda_finger") for m in gripper)
    assert arm and all(len(m.joint_names) == 7 for m in arm)
