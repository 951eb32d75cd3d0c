"""Garbage on every input topic: each node logs it, refuses it on ``status`` and stays up."""

from __future__ import annotations

import json

import pytest
from sensor_msgs.msg import JointState
from std_msgs.msg import Float32MultiArray, String

from ros_harness import ros_graph

pytestmark = pytest.mark.ros

HUGE = "x" * 2_000_000  # 2 MB, over every node's max_message_bytes default (1 MB)
TEXT_GARBAGE = ["", "   ", "{not json", "[1, 2, 3]", "null", json.dumps({"objects": 5}), HUGE,
                "\x00\xff\ufffd", "{" * 5000 + "}" * 5000]


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


def test_garbage_on_every_input_is_refused_and_nodes_stay_up(ros):
    for node in ("translator", "planner", "executor", "asr", "grounding"):
        # text such as "[1, 2, 3]" is a (meaningless) instruction: it waits goal_wait_s for a world state
        ros.start(node, params={"goal_wait_s": 1.0} if node in ("translator", "planner") else None)
    probe = ros.probe
    statuses = probe.subscribe("status")
    pubs = {name: probe.publisher(name) for name in ("instruction", "goal", "audio/path")}
    pubs["detections"] = probe.publisher("detections", qos="sensor")
    pubs["world_state"] = probe.publisher("world_state", qos="state")
    pubs["plan"] = probe.publisher("plan", qos="state")
    samples = probe.publisher("audio/samples", Float32MultiArray)
    joints = probe.publisher("joint_states", JointState, qos="sensor")
    for pub in [*pubs.values(), samples]:
        probe.wait_for_subscribers(pub, timeout_s=30.0, on_fail=ros.logs)
    ros.wait_status_matched()

    def refusals(node=None, event=None):
        return [s for s in statuses if isinstance(s, dict) and s.get("level") == "refused"
                and (node is None or s["node"] == node) and (event is None or s["event"] == event)]

    expected = 0
    for topic, pub in pubs.items():
        readers = {"world_state": 4, "instruction": 1, "goal": 1, "audio/path": 1, "plan": 1, "detections": 1}[topic]
        for text in TEXT_GARBAGE:
            if topic == "detections" and text is HUGE:
                continue  # best effort: DDS may drop a 2 MB sample on the way, so no refusal is promised
            pub.publish(String(data=text))
            expected += readers
            # one at a time: latched topics keep only the newest message
            probe.spin_until(lambda: len(refusals()) >= expected, 15.0, f"a refusal of {text[:30]!r} on {topic}",
                             lambda: "\n".join(json.dumps(s)[:200] for s in statuses) + ros.logs())
    # unknown objects and contradictions are refused with the reason
    pubs["world_state"].publish(String(data=json.dumps({"objects": {"red": "block"}, "init": ["(on-table red)"]})))
    probe.spin_for(0.5)
    pubs["instruction"].publish(String(data="put the purple block on the moon"))
    pubs["goal"].publish(String(data="(on red unicorn)"))
    pubs["audio/path"].publish(String(data="/no/such/file.wav"))
    samples.publish(Float32MultiArray(data=[]))
    samples.publish(Float32MultiArray(data=[float("nan")] * 100))
    joints.publish(JointState(name=["a", "b"], position=[1.0]))
    pubs["detections"].publish(String(data=json.dumps({"detections": [{"hypotheses": [], "center_xyz": [1]}]})))
    probe.spin_until(lambda: any("hypotheses" in s["reason"] for s in refusals("grounding")), 15.0,
                     "the grounding refusal", ros.logs)
    probe.spin_until(lambda: refusals("translator", "instruction")[-1:] and "purple" in
                     refusals("translator", "instruction")[-1]["reason"], 15.0, "the translator's refusal", ros.logs)
    probe.spin_until(lambda: any("unicorn" in s["reason"] for s in refusals("planner")), 15.0,
                     "the planner's refusal", ros.logs)
    probe.spin_until(lambda: len(refusals("asr", "audio")) >= len(TEXT_GARBAGE) + 3, 15.0,
                     "the asr refusals", ros.logs)
    probe.spin_for(1.0)
    errors = [s for s in statuses if isinstance(s, dict) and s.get("level") == "error"]
    assert not errors, errors
    assert all(p.alive() for p in ros.procs), ros.logs()
    assert any("exceeds max_message_bytes" in s["reason"] for s in refusals())

    # and the graph still works: a good world state and goal give a plan
    plans = probe.subscribe("plan", qos="state")
    scene = {"objects": {"red": "block", "blue": "block"}, "init": ["(on-table red)", "(on-table blue)"]}
    pubs["world_state"].publish(String(data=json.dumps(scene)))
    probe.spin_for(0.5)
    pubs["goal"].publish(String(data="(on red blue)"))
    probe.spin_until(lambda: any(isinstance(p, dict) and p.get("plan") for p in plans), 15.0, "a plan", ros.logs)
