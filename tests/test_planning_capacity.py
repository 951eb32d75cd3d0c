"""Planning within a region's room: no step puts a block into a full tray, bin or bowl.

A 10 cm tray holds one 5 cm block and a 16 cm one two, fingers' room kept
(:func:`lam_robot.execution.capacity.region_capacity`). Every test here plans with the real
planners and checks the plan with the standard validator and with the room check, state by state.
"""

import pytest

from lam_robot.guardrail import check_goal
from lam_robot.planning import adopt_plan, plan_goal, plan_request
from lam_robot.planning.capacity import RegionRoom, room_for
from lam_robot.planning.postprocess import eliminate_redundant_steps
from lam_robot.scene import scene_from_dict
from lam_robot.validator import validate_plan

#: a 10 cm tray with the red block in it and the blue one beside it (held-out scenario h12)
SMALL_TRAY = {"objects": {"red": {"type": "block"}, "blue": {"type": "block"},
                          "small_tray": {"type": "tray", "size": 0.10}},
              "init": ["(in red small_tray)", "(on-table blue)"]}
#: a 16 cm bin (two slots) holding red and green; blue on the table
FULL_BIN = {"objects": {"red": {"type": "block"}, "green": {"type": "block"}, "blue": {"type": "block"},
                        "bin": {"type": "bin"}},
            "init": ["(in red bin)", "(in green bin)", "(on-table blue)"]}


def texts(result):
    return [str(s) for s in result.plan]


def counts_along(plan, start, region):
    """Blocks directly in ``region`` before the plan and after each step."""
    out, state = [], start
    for step in (None, *plan):
        state = step.apply(state) if step is not None else state
        out.append(sum(1 for a in state if a.predicate == "in" and a.args[1] == region))
    return out


def within_room(result, scene, domain):
    """The plan passes the standard validator and keeps every region within its room throughout."""
    room = room_for(scene, scene.facts, result.goal.alternatives[0])
    return (validate_plan(result.plan, scene.facts, result.goal, domain).valid
            and room.overflow(result.plan, scene.facts) is None)


def test_a_one_slot_tray_is_emptied_before_it_is_filled(domain):
    scene = scene_from_dict(SMALL_TRAY, domain)
    result = plan_request("(and (on-table red) (in blue small_tray))", scene, domain)
    assert result.ok, result.reason
    assert texts(result) == ["(pick-from-region red small_tray)", "(place-on-table red)",
                             "(pick-from-table blue)", "(place-in-region blue small_tray)"]
    assert max(counts_along(result.plan, scene.facts, "small_tray")) == 1
    assert within_room(result, scene, domain)


def test_without_a_scene_to_measure_the_same_swap_fills_the_tray_first(domain):
    """What the room changes: with no geometry the planner is free to fill first (and does)."""
    scene = scene_from_dict(SMALL_TRAY, domain)
    goal = check_goal("(and (on-table red) (in blue small_tray))", scene, domain).goal
    blind = plan_goal(goal, scene.object_types, scene.facts, domain)
    assert blind.ok and max(counts_along(blind.plan, scene.facts, "small_tray")) == 2


def test_a_full_two_slot_bin_gives_up_a_block_before_taking_a_third(domain):
    """Red must leave the bin before blue goes in, and only then can red go onto blue."""
    scene = scene_from_dict(FULL_BIN, domain)
    result = plan_request("(and (in blue bin) (on red blue))", scene, domain)
    assert result.ok, result.reason
    assert texts(result) == ["(pick-from-region red bin)", "(place-on-table red)",
                             "(pick-from-table blue)", "(place-in-region blue bin)",
                             "(pick-from-table red)", "(place-on-block red blue)"]
    assert counts_along(result.plan, scene.facts, "bin") == [2, 1, 1, 1, 2, 2, 2]
    assert within_room(result, scene, domain)


def test_which_block_leaves_the_full_bin_is_the_one_the_goal_lets_go(domain):
    scene = scene_from_dict(FULL_BIN, domain)
    result = plan_request("(and (in blue bin) (in green bin))", scene, domain)
    assert result.ok, result.reason
    assert texts(result)[:2] == ["(pick-from-region red bin)", "(place-on-table red)"]
    assert len(result.plan) == 4 and within_room(result, scene, domain)


def test_a_region_seen_fuller_than_its_room_keeps_its_blocks_but_takes_no_more(domain):
    data = {"objects": {"a": {"type": "block"}, "b": {"type": "block"}, "c": {"type": "block"},
                        "d": {"type": "block"}, "tray": {"type": "tray"}},
            "init": ["(in a tray)", "(in b tray)", "(in c tray)", "(on-table d)"]}
    scene = scene_from_dict(data, domain)
    result = plan_request("(in d tray)", scene, domain)
    assert result.ok, result.reason
    assert counts_along(result.plan, scene.facts, "tray")[-2:] == [1, 2]
    assert len(result.plan) == 6 and within_room(result, scene, domain)


@pytest.mark.parametrize("planner", ["fd", "fd-opt", "pyperplan"])
def test_every_search_planner_plans_within_the_room(planner, domain):
    scene = scene_from_dict(FULL_BIN, domain)
    result = plan_request("(and (in blue bin) (on red blue))", scene, domain, planner)
    assert result.ok, result.reason
    assert len(result.plan) == 6 and within_room(result, scene, domain)


def test_the_policy_planner_declines_a_task_that_presses_on_a_region(domain):
    scene = scene_from_dict(SMALL_TRAY, domain)
    result = plan_request("(and (on-table red) (in blue small_tray))", scene, domain, "policy")
    assert not result.ok and "search planner" in result.reason


@pytest.mark.parametrize("goal", ["(in red_block right_bin)",
                                  "(and (in red_block left_tray) (in blue_block right_bin))",
                                  "(and (on-table yellow_block) (in blue_block left_tray))"])
def test_plans_with_no_pressure_on_any_region_are_unchanged(goal, trays, domain):
    """The fast domain-aware policy still answers, with exactly the plan it gave before rooms."""
    checked = check_goal(goal, trays, domain).goal
    with_room = plan_goal(checked, trays.object_types, trays.facts, domain, scene=trays)
    without = plan_goal(checked, trays.object_types, trays.facts, domain)
    assert with_room.ok and with_room.planner == "policy"
    assert texts(with_room) == texts(without)


def test_a_goal_that_needs_more_blocks_in_a_region_than_fit_is_refused(domain):
    scene = scene_from_dict(FULL_BIN, domain)
    result = plan_request("(and (in red bin) (in green bin) (in blue bin))", scene, domain)
    assert not result.ok and result.plan == ()
    assert result.error["code"] == "over_capacity" and "room for 2" in result.reason


def test_the_one_slot_tray_refuses_two_blocks(domain):
    scene = scene_from_dict(SMALL_TRAY, domain)
    result = plan_request("(and (in red small_tray) (in blue small_tray))", scene, domain)
    assert not result.ok and "room for 1 block" in result.reason


def test_a_given_plan_that_overfills_a_region_is_not_adopted(domain):
    scene = scene_from_dict(SMALL_TRAY, domain)
    goal = "(and (on-table red) (in blue small_tray))"
    fills_first = ["(pick-from-table blue)", "(place-in-region blue small_tray)",
                   "(pick-from-region red small_tray)", "(place-on-table red)"]
    rejected = adopt_plan(fills_first, goal, scene, domain)
    assert not rejected.ok and "step 2 (place-in-region blue small_tray)" in rejected.reason
    adopted = adopt_plan(fills_first[2:] + fills_first[:2], goal, scene, domain)
    assert adopted.ok, adopted.reason


def test_the_room_check_names_the_step_that_overfills(domain):
    scene = scene_from_dict(FULL_BIN, domain)
    plan = [domain.ground_action("pick-from-table", ["blue"]),
            domain.ground_action("place-in-region", ["blue", "bin"])]
    room = RegionRoom({"bin": 2})
    assert room.overflow(plan, scene.facts) == (
        "step 2 (place-in-region blue bin) puts a block into the bin, which has room for 2 blocks and is full")
    assert RegionRoom({"bin": 3}).overflow(plan, scene.facts) is None
    assert RegionRoom().overflow(plan, scene.facts) is None


def test_removing_redundant_steps_keeps_the_steps_that_make_room(domain):
    """Taking red out of the tray is not a detour when blue needs its slot."""
    scene = scene_from_dict(SMALL_TRAY, domain)
    goal = check_goal("(in blue small_tray)", scene, domain).goal.alternatives[0]
    plan = [domain.ground_action("pick-from-region", ["red", "small_tray"]),
            domain.ground_action("place-on-table", ["red"]),
            domain.ground_action("pick-from-table", ["blue"]),
            domain.ground_action("place-in-region", ["blue", "small_tray"])]
    room = room_for(scene, scene.facts, goal)
    assert room.limits["small_tray"] == 1
    assert eliminate_redundant_steps(plan, scene.facts, goal, room.admits) == plan
    assert len(eliminate_redundant_steps(plan, scene.facts, goal)) == 2


def test_only_regions_a_plan_crowds_are_at_stake_when_steps_are_dropped(domain):
    """Dropping steps keeps the rest in order, so it can overfill only a region whose blocks now and
    blocks the plan puts in it do not fit at once; elsewhere there is nothing to check."""
    scene = scene_from_dict(FULL_BIN, domain)
    room = RegionRoom({"bin": 2})
    into_bin = [domain.ground_action("pick-from-table", ["blue"]),
                domain.ground_action("place-in-region", ["blue", "bin"])]
    onto_red = [domain.ground_action("pick-from-table", ["blue"]),
                domain.ground_action("place-on-block", ["blue", "red"])]
    assert room.at_stake(into_bin, scene.facts).limits == {"bin": 2}
    assert room.at_stake(onto_red, scene.facts).limits == {}
