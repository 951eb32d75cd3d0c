"""The instruction set (``tests/data/instructions.yaml``) and how answers are scored.

Goals are compared as guardrail-checked literal sets (one set of positive
and negative literals per alternative), never as strings, so
``(and (on a b) (on b c))`` equals ``(and (on b c) (on a b))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import LamError
from ..guardrail import check_goal
from ..resources import find_resource
from ..scene import Scene, load_scene
from ..symbolic.domain import Domain
from ..symbolic.formula import Goal
from .result import TranslationResult

DEFAULT_INSTRUCTIONS = "tests/data/instructions.yaml"


@dataclass
class Case:
    """One instruction with what it should become."""

    scene_name: str
    text: str
    expect: str                 # ok | refused | clarify
    goal: str | None = None
    candidates: list = field(default_factory=list)
    index: int = 0


def goal_key(goal: Goal) -> frozenset:
    """A comparable form of a checked goal: the set of (positive, negative) literal sets."""
    return frozenset((c.positive, c.negative) for c in goal.alternatives)


def load_cases(path: str | Path | None = None, domain: Domain | None = None):
    """Read the instruction file.

    Returns:
        ``(cases, scenes)``: the cases in file order and the scenes they use, by name.

    Raises:
        LamError: when the file or a scene is malformed.
    """
    if path is None:
        path = _find_default()
    data = yaml.safe_load(Path(path).read_text())
    root = Path(path).resolve().parent.parent.parent
    scenes: dict[str, Scene] = {}
    for name, rel in data["scenes"].items():
        candidate = root / rel
        scenes[name] = load_scene(candidate if candidate.exists() else find_resource(rel), domain)
    cases = []
    for index, item in enumerate(data["instructions"]):
        if item["scene"] not in scenes:
            raise LamError(f"instruction {index}: unknown scene {item['scene']!r}")
        cases.append(Case(item["scene"], str(item.get("text") or ""), item["expect"], item.get("goal"),
                          list(item.get("candidates") or []), index))
    return cases, scenes


def _find_default() -> Path:
    here = Path(__file__).resolve().parents[2] / DEFAULT_INSTRUCTIONS
    return here if here.exists() else find_resource(DEFAULT_INSTRUCTIONS)


def score(case: Case, result: TranslationResult, scene: Scene, domain: Domain) -> bool:
    """Whether ``result`` is the right answer for ``case``."""
    if result.status != case.expect:
        return False
    if case.expect == "ok":
        expected = check_goal(case.goal, scene, domain)
        if not expected.ok:
            raise LamError(f"case {case.index}: the expected goal {case.goal} fails the guardrail: "
                           f"{expected.error.message}")
        return result.goal is not None and goal_key(result.goal) == goal_key(expected.goal)
    if case.expect == "clarify" and case.candidates:
        return set(case.candidates) <= set(result.candidates)
    return True


@dataclass
class Evaluation:
    """A translator's answers to a whole instruction set.

    Attributes:
        right: right answers by expected outcome (``ok``, ``refused``, ``clarify``).
        total: cases by expected outcome.
        failures: one line per wrong answer (scene, words, wanted, got).
        unsafe: the failures that produced a goal where none was expected.
    """

    right: dict = field(default_factory=lambda: {"ok": 0, "refused": 0, "clarify": 0})
    total: dict = field(default_factory=lambda: {"ok": 0, "refused": 0, "clarify": 0})
    failures: list = field(default_factory=list)
    unsafe: list = field(default_factory=list)

    def rate(self, outcome: str) -> float:
        """Share of right answers among cases expecting ``outcome`` (1.0 when there are none)."""
        return self.right[outcome] / self.total[outcome] if self.total[outcome] else 1.0

    def summary(self) -> str:
        return ", ".join(f"{k} {self.right[k]}/{self.total[k]}" for k in ("ok", "refused", "clarify"))


def evaluate(cases, scenes: dict, domain: Domain, translate_fn=None, tolerated: frozenset = frozenset()) -> Evaluation:
    """Translate every case and score it.

    Args:
        cases: from :func:`load_cases`.
        scenes: the scenes by name, from :func:`load_cases`.
        domain: the planning domain.
        translate_fn: ``(text, scene, domain) -> TranslationResult``; default: the rules translator.
        tolerated: instruction texts whose goal (where a question was expected) is not counted as
            unsafe: readings a set's author and the dev set's conventions disagree on.
    """
    if translate_fn is None:
        from . import translate as translate_fn
    out = Evaluation()
    for case in cases:
        scene = scenes[case.scene_name]
        result = translate_fn(case.text, scene, domain)
        out.total[case.expect] += 1
        if score(case, result, scene, domain):
            out.right[case.expect] += 1
            continue
        line = (f"[{case.scene_name}] {case.text!r}: want {case.expect} {case.goal or case.candidates or ''}"
                f" got {result.status} {result.goal_pddl or ''} {result.reason or ''}")
        out.failures.append(line)
        if case.expect != "ok" and result.ok and case.text not in tolerated:
            out.unsafe.append(line)
    return out
