"""The translator interface: instruction + scene -> :class:`TranslationResult`.

Every backend implements :meth:`Translator._translate` and returns either a
candidate goal text or a finished result (refusal, question). The public
:meth:`Translator.translate` checks the input, times the call and sends
every candidate goal through the guardrail, so no backend, however wrong or
manipulated its model is, can hand the planner an unchecked goal.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod

from ..guardrail import check_goal
from ..scene import Scene
from ..symbolic.domain import Domain
from ..verbalize import goal_sentence
from .result import TranslationResult, refused

#: Longest instruction any backend is shown, in characters.
MAX_INSTRUCTION_CHARS = 2000


def checked_result(goal_text: str, scene: Scene, domain: Domain, backend: str,
                   attempts: int = 0, raw: str | None = None) -> TranslationResult:
    """Run ``goal_text`` through the guardrail and wrap the verdict as a result."""
    verdict = check_goal(goal_text, scene, domain)
    if not verdict.ok:
        return refused(verdict.error.message, backend=backend, code=verdict.error.code.value,
                       attempts=attempts, raw=raw)
    goal = verdict.goal
    return TranslationResult("ok", goal=goal, goal_pddl=goal.to_pddl(), sentence=goal_sentence(goal, scene),
                             backend=backend, attempts=attempts, raw=raw)


class Translator(ABC):
    """A backend that turns an instruction into a checked goal, a refusal or a question."""

    #: Registry name, also reported in :attr:`TranslationResult.backend`.
    name: str = "translator"

    def translate(self, instruction: str, scene: Scene, domain: Domain) -> TranslationResult:
        """Translate one instruction; never raises for any input text.

        Args:
            instruction: what the person said or typed.
            scene: the grounded current scene; goals may only name its objects.
            domain: the planning domain.
        """
        start = time.perf_counter()
        if not isinstance(instruction, str) or not instruction.strip():
            result = refused("the instruction is empty", backend=self.name, code="empty")
        elif len(instruction) > MAX_INSTRUCTION_CHARS:
            result = refused(f"the instruction is longer than {MAX_INSTRUCTION_CHARS} characters",
                             backend=self.name, code="too_long")
        else:
            result = self._translate(instruction.strip(), scene, domain)
        if result.ok and result.goal is None:  # a backend must not bypass the guardrail
            result = checked_result(result.goal_pddl or "", scene, domain, result.backend or self.name,
                                    result.attempts, result.raw)
        result.backend = result.backend or self.name
        result.latency_s = time.perf_counter() - start
        return result

    @abstractmethod
    def _translate(self, instruction: str, scene: Scene, domain: Domain) -> TranslationResult:
        """Backend work; may return ``TranslationResult('ok', goal_pddl=...)`` unchecked."""

    def close(self) -> None:
        """Release a model or a connection (no-op by default)."""
