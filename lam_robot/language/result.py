"""The one result type every translator returns.

A translation ends in exactly one of three ways: a goal that passed the
guardrail (``ok``), a refusal with a reason (``refused``), or a question back
to the person (``clarify``) when the instruction is ambiguous. The command
line prints :meth:`TranslationResult.to_dict` as JSON; the translator node
publishes the same dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ..symbolic.formula import Goal


class TranslationStatus(str, Enum):
    """How a translation ended. Values are stable strings for JSON and topics."""

    OK = "ok"
    REFUSED = "refused"
    CLARIFY = "clarify"


@dataclass
class TranslationResult:
    """A checked goal, a refusal, or a clarifying question.

    Attributes:
        status: ``"ok"``, ``"refused"`` or ``"clarify"`` (a :class:`TranslationStatus`).
        goal: the guardrail-checked goal when ``status == "ok"``, else None.
        goal_pddl: the checked goal as PDDL text, else None.
        sentence: the goal read back in plain English ("The red block will be on the blue block.").
        reason: why the request was refused (or what made it ambiguous).
        question: the clarifying question to ask the person.
        candidates: object names a clarifying question chooses between.
        backend: the translator that produced the answer (``rules``, ``llama``, ``cascade:llama``...).
        attempts: model calls made, repairs included (0 for the rule parser).
        latency_s: wall time of the whole translation in seconds.
        error_code: the guardrail's error code when a goal was refused by it.
        raw: the last raw model answer, for logs and the benchmark.
    """

    status: str
    goal: Goal | None = None
    goal_pddl: str | None = None
    sentence: str | None = None
    reason: str | None = None
    question: str | None = None
    candidates: list[str] = field(default_factory=list)
    backend: str = ""
    attempts: int = 0
    latency_s: float = 0.0
    error_code: str | None = None
    raw: str | None = None

    def __post_init__(self) -> None:
        self.status = TranslationStatus(self.status).value

    @property
    def ok(self) -> bool:
        return self.status == TranslationStatus.OK.value

    @property
    def message(self) -> str:
        """What to say or print: the read-back, the refusal or the question."""
        if self.ok:
            return self.sentence or ""
        if self.status == TranslationStatus.CLARIFY.value:
            return self.question or "Could you say that more precisely?"
        return f"I can't do that: {self.reason}" if self.reason else "I can't do that."

    def to_dict(self) -> dict:
        """The command line's JSON object."""
        return {
            "status": self.status,
            "goal": self.goal_pddl,
            "sentence": self.sentence,
            "reason": self.reason,
            "question": self.question,
            "candidates": list(self.candidates),
            "backend": self.backend,
            "attempts": self.attempts,
            "latency_s": round(self.latency_s, 4),
            "error_code": self.error_code,
        }


def refused(reason: str, backend: str = "", code: str | None = None, **extra) -> TranslationResult:
    """A refusal with its reason."""
    return TranslationResult(TranslationStatus.REFUSED.value, reason=reason, backend=backend,
                             error_code=code, **extra)


def clarify(question: str, candidates=(), backend: str = "", reason: str | None = None,
            **extra) -> TranslationResult:
    """A clarifying question, with the objects it chooses between."""
    return TranslationResult(TranslationStatus.CLARIFY.value, question=question,
                             candidates=list(candidates), backend=backend, reason=reason, **extra)
