"""translator_node as its own process: goals, refusals and clarifying questions over DDS."""

from __future__ import annotations

import json

import pytest
from std_msgs.msg import String

from lam_robot.resources import find_resource
from lam_robot.scene import load_scene
from lam_robot.symbolic.domain import load_domain
from ros_harness import ros_graph

pytestmark = pytest.mark.ros


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


def test_instruction_becomes_goal_refusal_or_question(ros):
    ros.start("translator")
    probe = ros.probe
    goals = probe.subscribe("goal", qos="command")
    statuses = probe.subscribe("status")
    instruction = probe.publisher("instruction")
    state = probe.publisher("world_state", qos="state")
    probe.wait_for_subscribers(instruction, on_fail=ros.logs)
    ros.wait_status_matched()

    instruction.publish(String(data=json.dumps({"text": "put the red block on the blue one", "id": "early"})))
    probe.spin_until(lambda: any(s.get("event") == "waiting" for s in statuses), 10.0, "waiting for a state")
    state.publish(String(data=load_scene(find_resource("sim/scenes/tower3.yaml"), load_domain()).to_json()))
    probe.spin_until(lambda: goals, 10.0, "a goal", ros.logs)
    assert goals[0]["id"] == "early" and "(on red blue)" in goals[0]["goal"] and goals[0]["sentence"]

    instruction.publish(String(data="put the block on the tray"))
    question = probe.spin_until(lambda: next((s for s in statuses if s.get("code") == "clarify"), None), 10.0,
                                "a clarifying question", ros.logs)
    assert question["question"].startswith("Which") and set(question["candidates"]) == {"red", "blue", "green"}

    instruction.publish(String(data="put the purple block on the red one"))
    refusal = probe.spin_until(lambda: next((s for s in statuses if s.get("code") == "unknown_object"), None), 10.0,
                               "a refusal", ros.logs)
    assert "purple" in refusal["reason"]
    probe.spin_for(0.3)
    assert len(goals) == 1  # only the checked goal went to the planner
