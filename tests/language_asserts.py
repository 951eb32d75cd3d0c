"""Assertions the language phenomenon tests share: an instruction's translation in a named scene."""

from __future__ import annotations

from lam_robot.guardrail import check_goal
from lam_robot.language import translate
from lam_robot.language.dataset import goal_key


def assert_goal(scenes, domain, scene, text, goal):
    """``text`` in ``scenes[scene]`` becomes exactly ``goal`` (compared as checked literal sets)."""
    result = translate(text, scenes[scene], domain)
    assert result.ok, (text, result.status, result.reason, result.candidates)
    expected = check_goal(goal, scenes[scene], domain)
    assert expected.ok, (goal, expected.error)
    assert goal_key(result.goal) == goal_key(expected.goal), (text, result.goal_pddl, goal)


def assert_status(scenes, domain, scene, text, status, candidates=()):
    """``text`` in ``scenes[scene]`` is ``refused`` or ``clarify`` (listing ``candidates``), never a goal."""
    result = translate(text, scenes[scene], domain)
    assert result.status == status and result.goal is None, (text, result.status, result.goal_pddl, result.reason)
    assert set(candidates) <= set(result.candidates), (text, result.candidates)


def assert_generalises(label, items, scenes, domain, min_goal_accuracy, min_clarify=None, tolerated=()):
    """A held-out set's verdict: no goal where none was expected, goal accuracy at least
    ``min_goal_accuracy``, every refusal right, and at least ``min_clarify`` clarifications right
    (default: all). ``tolerated``: instructions whose expectation conflicts with a settled convention."""
    from lam_robot.language.dataset import evaluate

    result = evaluate(items, scenes, domain, tolerated=tolerated) if tolerated else evaluate(items, scenes, domain)
    print(f"{label}:", result.summary())
    for line in result.failures:
        print("  FAIL", line)
    failures = "\n".join(result.failures)
    assert not result.unsafe, "a goal where none was expected:\n" + "\n".join(result.unsafe)
    assert result.rate("ok") >= min_goal_accuracy, failures
    assert result.right["refused"] == result.total["refused"], failures
    wanted = result.total["clarify"] if min_clarify is None else min_clarify
    assert result.right["clarify"] >= wanted, failures
