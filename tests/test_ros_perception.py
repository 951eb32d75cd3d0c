"""Camera -> perception_node -> grounding_node -> executor over real DDS, and what happens when perception dies."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from std_msgs.msg import String
from trajectory_msgs.msg import JointTrajectory

from ros_harness import ros_graph

pytestmark = [pytest.mark.ros, pytest.mark.slow]

#: two blocks the detector sees from the default camera; blue stands alone, green next to it
SCENE = """name: two_blocks
objects:
  blue:  {type: block, color: blue, position: [0.50, -0.10]}
  green: {type: block, color: green, position: [0.50, 0.10]}
init: ["(on-table blue)", "(on-table green)"]
"""


def _weights() -> str:
    from lam_robot.perception.detector import DEFAULT_WEIGHTS

    if Path(DEFAULT_WEIGHTS).exists():
        return ""
    env = os.environ.get("LAM_ROBOT_TEST_WEIGHTS", "")
    if env and Path(env).exists():
        return env
    pytest.skip(f"no detector weights at {DEFAULT_WEIGHTS} (or LAM_ROBOT_TEST_WEIGHTS)")


def _unplaced(state: dict, blocks) -> list[str]:
    """Blocks a published world state does not give exactly one place (a support, or the gripper)."""
    out = []
    for block in blocks:
        places = [f for f in state.get("init", []) if f.strip("()").split()[0] in ("on", "on-table", "in", "holding")
                  and f.strip("()").split()[1:2] == [block]]
        if len(places) != 1:
            out.append(block)
    return out


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


def start_camera_graph(ros, tmp_path, weights):
    scene = tmp_path / "two_blocks.yaml"
    scene.write_text(SCENE)
    ros.start("sim", params={"scenario": str(scene), "publish_world_state": False, "camera_rate_hz": 3.0,
                             "image_width": 320, "image_height": 240, "real_time_factor": 1.0})
    perception = ros.start("perception", params={"weights": weights, "max_rate_hz": 4.0})
    ros.start("grounding", params={"scenario": str(scene)})
    ros.start("planner")
    ros.start("executor", params={"max_state_age_s": 2.0})
    return perception, scene


def test_kill_perception_mid_task_pauses_then_resumes_and_finishes(ros, tmp_path):
    """No motion on stale state: with perception dead the executor holds still; restarted, it finishes."""
    weights = _weights()
    perception, scene = start_camera_graph(ros, tmp_path, weights)
    probe = ros.probe
    states = probe.subscribe("world_state", qos="state")
    truth = probe.subscribe("sim/ground_truth", qos="state")
    statuses = probe.subscribe("status")
    trajectories: list[float] = []  # send times (header stamps, the executor's clock)
    probe.node.create_subscription(JointTrajectory, "joint_trajectory_controller/joint_trajectory",
                                   lambda m: trajectories.append(m.header.stamp.sec + m.header.stamp.nanosec * 1e-9),
                                   10)
    goal = probe.publisher("goal")
    probe.wait_for_subscribers(goal, timeout_s=60.0, on_fail=ros.logs)
    ros.wait_status_matched()
    probe.spin_until(lambda: states and "(on-table green)" in states[-1].get("init", []), 90.0,
                     "a perceived world state", lambda: json.dumps(states[-1:]) + ros.logs())
    assert states[-1]["source"] == "perception"

    goal.publish(String(data="(on green blue)"))
    probe.spin_until(lambda: any(s.get("event") == "step" for s in statuses), 60.0, "the first step",
                     lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    probe.spin_until(lambda: trajectories, 30.0, "the first trajectory", ros.logs)
    perception.kill()  # mid-task: the world state goes stale
    probe.spin_until(lambda: any(s.get("event") == "paused" for s in statuses), 60.0, "the executor to pause",
                     lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    probe.spin_for(3.0)
    assert not any(s.get("event") == "done" for s in statuses)

    restarted_at = time.time()
    ros.start("perception", params={"weights": weights, "max_rate_hz": 4.0})  # restarted
    probe.spin_until(lambda: any(s.get("event") == "resumed" and s["stamp"] > restarted_at for s in statuses),
                     90.0, "the executor to resume", ros.logs)
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("node") == "executor" and s.get("event") == "done"), None),
        150.0, "the task to finish", lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    assert final["success"], "\n".join(json.dumps(s)[:300] for s in statuses if s.get("event") != "step") + ros.logs()
    probe.spin_until(lambda: truth and "(on green blue)" in truth[-1]["init"], 10.0, "green on blue", ros.logs)
    # no trajectory was sent between a pause and the resume that ended it
    events = [(s["stamp"], s["event"]) for s in statuses if s.get("event") in ("paused", "resumed")]
    windows, start = [], None
    for stamp, event in sorted(events):
        if event == "paused" and start is None:
            start = stamp
        elif event == "resumed" and start is not None:
            windows.append((start, stamp))
            start = None
    assert windows, events
    moved = [t for t in trajectories for a, b in windows if a < t < b]
    assert not moved, f"the arm was commanded on stale state: {moved} in {windows}"


def test_perception_refuses_unusable_images(ros):
    """Wrong encodings, sizes that do not match the data, missing intrinsics: refused, the node stays up."""
    from geometry_msgs.msg import PoseStamped
    from sensor_msgs.msg import CameraInfo, Image

    weights = _weights()
    node = ros.start("perception", params={"weights": weights})
    probe = ros.probe
    statuses = probe.subscribe("status")
    color = probe.publisher("camera/color/image_raw", Image, qos="command")
    depth = probe.publisher("camera/depth/image_raw", Image, qos="command")
    info = probe.publisher("camera/color/camera_info", CameraInfo, qos="command")
    pose = probe.publisher("camera/pose", PoseStamped, qos="state")
    for pub in (color, depth, info, pose):
        probe.wait_for_subscribers(pub, timeout_s=60.0, on_fail=ros.logs)
    ros.wait_status_matched()
    info.publish(CameraInfo(width=4, height=4))  # no intrinsics
    bad_pose = PoseStamped()
    bad_pose.pose.orientation.w = 0.0  # a zero quaternion
    pose.publish(bad_pose)
    probe.spin_until(lambda: len([s for s in statuses if s.get("level") == "refused"]) >= 2, 15.0,
                     "refusals of camera info and pose", ros.logs)
    k = [100.0, 0.0, 2.0, 0.0, 100.0, 2.0, 0.0, 0.0, 1.0]
    info.publish(CameraInfo(width=4, height=4, k=k))
    good_pose = PoseStamped()
    good_pose.pose.orientation.w = 1.0
    pose.publish(good_pose)
    probe.spin_for(0.5)

    def send_until(image, words, what):
        for _ in range(20):  # topics are independent: resend until the pair is processed
            depth.publish(Image(width=4, height=4, encoding="32FC1", step=16, data=bytes(64)))
            color.publish(image)
            probe.spin_for(0.5)
            if any(words in s.get("reason", "") for s in statuses):
                return
        pytest.fail(f"no {what}\n{ros.logs()}")
    send_until(Image(width=4, height=4, encoding="yuv422", step=8, data=bytes(32)), "encoding", "encoding refusal")
    send_until(Image(width=400, height=400, encoding="rgb8", step=1200, data=bytes(12)), "does not match",
               "size refusal")
    assert node.alive() and not [s for s in statuses if s.get("level") == "error"]


def test_sim_profile_with_camera_perception_builds_the_tower(ros):
    """The ``sim`` profile with ``perception=camera`` (as ``lam-robot up`` starts it): camera -> detections ->
    world state -> instruction -> plan -> trajectories, and the tower stands in the simulator."""
    from lam_robot.graph import profile

    weights = _weights()
    for node in profile("sim", {"perception": "camera"}):
        params = dict(node.parameters)
        if node.spec.name == "perception" and weights:
            params["weights"] = weights
        ros.start(node.spec.name, params=params, remaps=dict(node.remappings))
    probe = ros.probe
    statuses = probe.subscribe("status")
    truth = probe.subscribe("sim/ground_truth", qos="state")
    states = probe.subscribe("world_state", qos="state")
    instruction = probe.publisher("instruction")
    probe.wait_for_subscribers(instruction, timeout_s=60.0, on_fail=ros.logs)
    ros.wait_status_matched()
    probe.spin_until(lambda: states and states[-1].get("source") == "perception", 90.0, "a perceived state",
                     ros.logs)
    instruction.publish(String(data="put the red block on the blue one, and the blue one on the green one"))
    final = probe.spin_until(
        lambda: next((s for s in statuses if s.get("node") == "executor" and s.get("event") == "done"), None),
        180.0, "the tower", lambda: "\n".join(json.dumps(s)[:300] for s in statuses) + ros.logs())
    assert final["success"], final
    # the arm hid blocks on the way; the states grounding published gave every block a place (all but, at
    # most, a few taken while the arm moved: joint states and images are not one instant over DDS)
    unplaced = [(s["init"], s.get("missing"), s.get("uncertain")) for s in states
                if _unplaced(s, ("red", "blue", "green"))]
    assert len(unplaced) <= 3, f"{len(unplaced)} of {len(states)} world states left a block without a place: " \
        f"{unplaced[:3]}"
    probe.spin_until(lambda: truth and {"(on red blue)", "(on blue green)"} <= set(truth[-1]["init"]), 10.0,
                     "the tower in the simulator", ros.logs)
