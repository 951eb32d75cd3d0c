"""Planners: every backend's plan is post-processed, validated and explained."""

import pytest

from lam_robot.guardrail import check_goal
from lam_robot.planning import PLANNERS, PlanStatus, get_planner, plan_goal, plan_request
from lam_robot.errors import PlannerUnavailableError
from lam_robot.validator import validate_plan

SUSSMAN_GOAL = "(and (on a b) (on b c))"


@pytest.mark.parametrize("planner", ["auto", "policy", "fd", "fd-opt", "pyperplan"])
def test_every_backend_solves_the_sussman_anomaly_optimally(planner, sussman, domain):
    result = plan_request(SUSSMAN_GOAL, sussman, domain, planner)
    assert result.status is PlanStatus.SOLVED, result.reason
    assert len(result.plan) == 6, [str(s) for s in result.plan]
    assert validate_plan(result.plan, sussman.facts, result.goal, domain).valid


def test_plans_come_with_one_reason_per_step(tower3, domain):
    result = plan_request("(and (on red blue) (on blue green))", tower3, domain)
    assert len(result.explanation) == len(result.plan)
    first = result.explanation[0]
    assert first.action == "(pick-from-block green red)"
    assert "red block is clear" in first.sentence
    last = result.explanation[-1]
    assert "achieves the goal" in last.sentence and "(on red blue)" in last.achieves_goal


def test_a_goal_that_already_holds_needs_an_empty_plan(tower3, domain):
    result = plan_request("(on green red)", tower3, domain)
    assert result.ok and result.plan == ()


def test_refused_goals_never_reach_a_planner(tower3, domain):
    result = plan_request("(on red purple)", tower3, domain)
    assert result.status is PlanStatus.REFUSED
    assert result.error["code"] == "unknown_object"


def test_negative_goals_fall_back_to_fast_downward(tower3, domain):
    result = plan_request("(not (on green red))", tower3, domain)
    assert result.ok and result.planner == "fd"
    assert len(result.plan) == 2


def test_pyperplan_declines_negative_goals_instead_of_failing(tower3, domain):
    result = plan_request("(not (on green red))", tower3, domain, "pyperplan")
    assert result.status is PlanStatus.UNSUPPORTED


def test_holding_goals_are_planned_by_search(tower3, domain):
    result = plan_request("(holding red)", tower3, domain)
    assert result.ok and [str(s) for s in result.plan][-1] == "(pick-from-table red)"


def test_a_scene_that_starts_with_a_held_block(holding, domain):
    result = plan_request("(on blue red)", holding, domain, "policy")
    assert result.ok
    assert str(result.plan[0]) == "(place-on-table red)"


def test_regions_and_disjunctions(trays, domain):
    result = plan_request("(and (in red_block right_bin) (or (on-table yellow_block) (in yellow_block right_bin)))",
                          trays, domain)
    assert result.ok
    assert validate_plan(result.plan, trays.facts, result.goal, domain).valid


def test_pddlstream_is_optional_and_says_so(tower3, domain):
    result = plan_request("(on red blue)", tower3, domain, "pddlstream")
    if get_planner("pddlstream").available():
        assert result.ok
    else:
        assert result.status is PlanStatus.UNAVAILABLE and "not installed" in result.reason


def test_unknown_planner_names(tower3, domain):
    with pytest.raises(PlannerUnavailableError):
        get_planner("magic")
    goal = check_goal("(on red blue)", tower3, domain).goal
    assert plan_goal(goal, tower3.object_types, tower3.facts, domain, "magic").status is PlanStatus.UNAVAILABLE


def test_registry_lists_the_documented_backends():
    assert {"fd", "fd-opt", "pyperplan", "policy", "pddlstream"} == set(PLANNERS)


def test_a_plan_made_elsewhere_is_adopted_only_when_it_fits_the_observed_state(tower3, domain):
    from lam_robot.planning import adopt_plan

    good = ["(pick-from-block green red)", "(place-on-table green)", "(pick-from-table red)",
            "(place-on-block red blue)"]
    adopted = adopt_plan(good, "(on red blue)", tower3, domain, "planner_node")
    assert adopted.ok and adopted.planner == "planner_node" and len(adopted.explanation) == 4
    stale = adopt_plan(good[2:], "(on red blue)", tower3, domain)
    assert stale.status is PlanStatus.INVALID and "(clear red)" in stale.reason
    assert adopt_plan(["(fly red)"], "(on red blue)", tower3, domain).status is PlanStatus.INVALID
    assert adopt_plan(good, "(on red red)", tower3, domain).status is PlanStatus.REFUSED


def test_a_state_that_does_not_place_every_block_is_declined_not_a_crash(tower3, domain):
    """Perception leaves out the support of a block it is unsure about."""
    from lam_robot.planning import PlanningTask, get_planner
    from lam_robot.symbolic.atoms import Atom

    partial = tower3.facts - {Atom("on-table", ("blue",))}
    goal = check_goal("(on red blue)", tower3, domain).goal.alternatives[0]
    result = get_planner("policy").solve(PlanningTask(domain, tower3.object_types, partial, goal))
    assert result.status is PlanStatus.UNSUPPORTED and "blue" in result.reason
