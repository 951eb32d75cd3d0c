"""planner_node as its own process, driven over real DDS from the test process."""

from __future__ import annotations

import json

import pytest
from rcl_interfaces.srv import DescribeParameters, SetParameters
from rclpy.parameter import Parameter
from std_msgs.msg import String

from lam_robot.resources import find_resource
from lam_robot.scene import load_scene
from lam_robot.symbolic.domain import load_domain
from lam_robot.world_state import GroundedFact, WorldState
from ros_harness import ros_graph

pytestmark = pytest.mark.ros


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


GOAL = "(and (on red blue) (on blue green))"


def _tower3():
    domain = load_domain()
    return load_scene(find_resource("sim/scenes/tower3.yaml"), domain)


def _levels(statuses, level):
    return [s for s in statuses if isinstance(s, dict) and s.get("level") == level]


def test_plans_a_json_goal_on_the_latched_world_state_and_refuses_bad_goals(ros):
    """A goal after the (latched) state yields a validated, explained plan; a bad goal a refusal only."""
    node = ros.start("planner")
    probe = ros.probe
    scene = _tower3()
    state = WorldState(scene, facts=tuple(GroundedFact(a, 0.9) for a in sorted(scene.facts)), source="test")
    state_pub = probe.publisher("world_state", qos="state")
    goal_pub = probe.publisher("goal")
    plans = probe.subscribe("plan", qos="state")
    statuses = probe.subscribe("status")
    state_pub.publish(String(data=json.dumps(state.to_dict())))  # latched: the node may start later
    probe.wait_for_subscribers(goal_pub, on_fail=ros.logs)
    probe.wait_for_matched("plan", on_fail=ros.logs)
    probe.wait_for_matched("status", on_fail=ros.logs)

    goal_pub.publish(String(data=json.dumps({"goal": GOAL, "id": "g1", "instruction": "build a tower"})))
    probe.spin_until(lambda: plans, 15.0, "a plan", ros.logs)
    plan = plans[-1]
    assert plan["status"] == "ok" and plan["id"] == "g1"
    assert plan["plan"][0] == "(pick-from-block green red)" and plan["plan"][-1] == "(place-on-block red blue)"
    assert len(plan["explanation"]) == len(plan["plan"]) == 6
    assert "achieves the goal" in plan["explanation"][-1]
    assert plan["goal_sentence"] and plan["state_stamp"] == pytest.approx(state.stamp)
    probe.spin_until(lambda: any(s.get("event") == "planned" for s in statuses), 5.0, "a 'planned' status")

    # a goal naming an object that is not on the table: refused on status, no new plan
    goal_pub.publish(String(data="(on purple blue)"))
    probe.spin_until(lambda: _levels(statuses, "refused"), 10.0, "a refusal", ros.logs)
    refusal = _levels(statuses, "refused")[-1]
    assert refusal["code"] == "unknown_object" and "purple" in refusal["reason"]
    probe.spin_for(0.3)
    assert len(plans) == 1
    assert node.alive()


def test_survives_garbage_and_waits_for_a_world_state(ros):
    """Bad JSON, empty and oversized messages are refused; a goal waits for the first world state."""
    node = ros.start("planner", params={"max_message_bytes": 20_000, "goal_wait_s": 30.0})
    probe = ros.probe
    state_pub = probe.publisher("world_state", qos="state")
    goal_pub = probe.publisher("goal")
    plans = probe.subscribe("plan", qos="state")
    statuses = probe.subscribe("status")
    probe.wait_for_subscribers(goal_pub, on_fail=ros.logs)
    probe.wait_for_subscribers(state_pub, on_fail=ros.logs)
    probe.wait_for_matched("status", on_fail=ros.logs)

    garbage = [("goal", "{not json"), ("goal", ""), ("goal", "[1, 2]"), ("goal", json.dumps({"goal": 3})),
               ("goal", "x" * 50_000), ("world_state", "{\"objects\": 5}"), ("world_state", "\x00\x01"),
               ("world_state", json.dumps({"objects": {"a": {"type": "block"}}, "init": ["(on a a)"]}))]
    for count, (topic, text) in enumerate(garbage, start=1):  # one at a time: the state topic keeps 1
        (goal_pub if topic == "goal" else state_pub).publish(String(data=text))
        probe.spin_until(lambda: len(_levels(statuses, "refused")) >= count, 10.0,
                         f"a refusal of {text[:40]!r}", lambda: f"{statuses}\n{ros.logs()}")
    assert not _levels(statuses, "error"), _levels(statuses, "error")
    assert node.alive() and not plans

    # a goal before any valid world state waits, then is planned when the state arrives
    goal_pub.publish(String(data=json.dumps({"goal": "(on green blue)", "id": "late"})))
    probe.spin_until(lambda: any(s.get("event") == "waiting" for s in statuses), 10.0, "a 'waiting' status")
    state_pub.publish(String(data=_tower3().to_json()))
    probe.spin_until(lambda: plans, 15.0, "a plan after the state arrived", ros.logs)
    assert plans[-1]["id"] == "late" and plans[-1]["plan"][-1] == "(place-on-block green blue)"

    # parameters are declared with descriptions and ranges
    client = probe.node.create_client(DescribeParameters, "/planner/describe_parameters")
    probe.spin_until(lambda: client.service_is_ready(), 10.0, "the parameter service")
    future = client.call_async(DescribeParameters.Request(names=["timeout_s", "planner"]))
    probe.spin_until(future.done, 10.0, "describe_parameters")
    timeout_desc, planner_desc = future.result().descriptors
    assert timeout_desc.description and timeout_desc.floating_point_range[0].to_value == 600.0
    assert "pyperplan" in planner_desc.additional_constraints

    # changes are validated when they are made: a bad name or a value out of range is rejected with a reason
    setter = probe.node.create_client(SetParameters, "/planner/set_parameters")
    probe.spin_until(lambda: setter.service_is_ready(), 10.0, "the set_parameters service")
    request = SetParameters.Request(parameters=[
        Parameter("planner", value="dijkstra").to_parameter_msg(),
        Parameter("timeout_s", value=700.0).to_parameter_msg(),
        Parameter("planner", value="policy").to_parameter_msg()])
    future = setter.call_async(request)
    probe.spin_until(future.done, 10.0, "set_parameters")
    bad_name, bad_range, good = future.result().results
    assert not bad_name.successful and "one of" in bad_name.reason
    assert not bad_range.successful and good.successful
    assert node.alive()
