"""The independent validator and the explainer."""

from lam_robot.explainer import causal_links, explain_plan
from lam_robot.guardrail import check_goal
from lam_robot.planning.postprocess import eliminate_redundant_steps
from lam_robot.symbolic.atoms import parse_atom
from lam_robot.validator import validate_plan


def steps(domain, *texts):
    out = []
    for text in texts:
        name, *args = text.strip("()").split()
        out.append(domain.ground_action(name, args))
    return out


def test_validator_names_the_first_failing_precondition(tower3, domain):
    plan = steps(domain, "(pick-from-table red)")
    result = validate_plan(plan, tower3.facts, None, domain)
    assert not result.valid and result.failed_step == 0
    assert "(clear red)" in result.reason


def test_validator_checks_the_goal_at_the_end(tower3, domain):
    goal = check_goal("(on red blue)", tower3, domain).goal
    plan = steps(domain, "(pick-from-block green red)", "(place-on-table green)")
    result = validate_plan(plan, tower3.facts, goal, domain)
    assert not result.valid and result.failed_step == 2 and "(on red blue)" in result.reason


def test_validator_regrounds_steps_instead_of_trusting_the_planner(tower3, domain):
    from lam_robot.symbolic.domain import GroundAction

    forged = GroundAction("pick-from-table", ("red",))  # no preconditions attached
    assert not validate_plan([forged], tower3.facts, None, domain).valid


def test_unknown_steps_are_invalid_not_exceptions(tower3, domain):
    from lam_robot.symbolic.domain import GroundAction

    result = validate_plan([GroundAction("fly", ("red",))], tower3.facts, None, domain)
    assert not result.valid and "unknown" in result.reason


def test_redundant_detours_are_removed_and_the_result_still_valid(tower3, domain):
    goal = check_goal("(on red blue)", tower3, domain).goal
    plan = steps(domain, "(pick-from-table blue)", "(place-on-table blue)",
                 "(pick-from-block green red)", "(place-on-table green)",
                 "(pick-from-table red)", "(place-on-block red blue)")
    shorter = eliminate_redundant_steps(plan, tower3.facts, goal.alternatives[0])
    assert [str(s) for s in shorter] == ["(pick-from-block green red)", "(place-on-table green)",
                                         "(pick-from-table red)", "(place-on-block red blue)"]
    assert validate_plan(shorter, tower3.facts, goal, domain).valid


def test_causal_links_connect_producers_to_consumers_and_goal(tower3, domain):
    goal = check_goal("(on red blue)", tower3, domain).goal
    plan = steps(domain, "(pick-from-block green red)", "(place-on-table green)",
                 "(pick-from-table red)", "(place-on-block red blue)")
    links = causal_links(plan, tower3.facts, goal, domain)
    assert any(link.producer == 0 and link.consumer == 2 and link.atom == parse_atom("(clear red)") for link in links)
    assert any(link.producer == 3 and link.consumer is None for link in links)


def test_explanations_read_as_sentences(tower3, domain):
    goal = check_goal("(on red blue)", tower3, domain).goal
    plan = steps(domain, "(pick-from-block green red)", "(place-on-table green)",
                 "(pick-from-table red)", "(place-on-block red blue)")
    text = [e.sentence for e in explain_plan(plan, tower3.facts, goal, domain)]
    assert text[0].startswith("unstack green from red") and "red is clear for: pick up red from the table" in text[0]
    assert text[3] == "stack red on blue, which achieves the goal that red is on blue"
