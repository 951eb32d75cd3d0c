"""The ``rules`` translator: the deterministic semantic parser behind the interface."""

from __future__ import annotations

from ..scene import Scene
from ..symbolic.domain import Domain
from .base import Translator, checked_result
from .result import TranslationResult, clarify, refused
from .rules import parse_instruction


class RulesTranslator(Translator):
    """Offline, deterministic, no model: :func:`lam_robot.language.rules.parse_instruction`."""

    name = "rules"

    def __init__(self, **_options):
        pass

    def _translate(self, instruction: str, scene: Scene, domain: Domain) -> TranslationResult:
        outcome = parse_instruction(instruction, scene)
        if outcome.status == "clarify":
            return clarify(outcome.question or "Which object do you mean?", outcome.candidates,
                           backend=self.name, reason=outcome.reason)
        if outcome.status == "refused":
            return refused(outcome.reason or "I do not understand", backend=self.name, code=outcome.code)
        return checked_result(outcome.goal_pddl, scene, domain, self.name)
