"""The tabletop domain: parsed by lam_robot, read unchanged by external planners."""

import pytest

from lam_robot.errors import DomainError, PddlSyntaxError
from lam_robot.symbolic.atoms import Atom
from lam_robot.symbolic.domain import parse_domain
from lam_robot.symbolic.sexpr import parse_sexpr


def test_domain_has_the_predicates_and_actions_every_stage_relies_on(domain):
    assert {"on", "on-table", "in", "clear", "holding", "handempty"} <= set(domain.predicates)
    assert {"pick-from-table", "pick-from-block", "pick-from-region",
            "place-on-table", "place-on-block", "place-in-region"} == set(domain.actions)


def test_ground_action_applies_delete_before_add(domain):
    stack = domain.ground_action("place-on-block", ["red", "blue"])
    state = frozenset({Atom("holding", ("red",)), Atom("clear", ("blue",))})
    assert stack.applicable(state)
    after = stack.apply(state)
    assert Atom("on", ("red", "blue")) in after and Atom("clear", ("blue",)) not in after
    assert Atom("handempty") in after and Atom("holding", ("red",)) not in after


def test_grounding_respects_types(domain):
    actions = domain.ground_all({"red": "block", "tray": "region"})
    names = {str(a) for a in actions}
    assert "(place-in-region red tray)" in names
    assert not any("(place-on-block red tray)" == n for n in names)


def test_unknown_action_is_a_domain_error(domain):
    with pytest.raises(DomainError, match="unknown action"):
        domain.ground_action("teleport", ["red"])


@pytest.mark.parametrize("text, error", [
    ("(define (domain d) (:predicates (p ?x)) (:action a :parameters (?x) :effect (q ?x)))", DomainError),
    ("(define (domain d) (:predicates (p ?x)) (:action a :parameters () :effect (p ?y)))", DomainError),
    ("(define (domain d) (:predicates (p ?x))", PddlSyntaxError),
    ("(define (problem p))", DomainError),
    ("", PddlSyntaxError),
])
def test_malformed_domains_are_rejected(text, error):
    with pytest.raises(error):
        parse_domain(text)


def test_sexpr_rejects_trailing_text_and_odd_tokens():
    with pytest.raises(PddlSyntaxError):
        parse_sexpr("(on a b) (on b c)")
    with pytest.raises(PddlSyntaxError):
        parse_sexpr("(on a$ b)")
    assert parse_sexpr("(ON A ; comment\n B)") == ["on", "a", "b"]
