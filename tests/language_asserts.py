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
