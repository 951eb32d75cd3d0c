"""An independent plan validator: replays a plan step by step.

It trusts nothing a planner says: every step is re-grounded from the domain,
its preconditions are checked against the simulated state, its effects are
applied (delete before add), and the goal is checked at the end. A plan that
fails here is never returned to a caller nor sent to an arm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .errors import LamError
from .symbolic.domain import Domain, GroundAction
from .symbolic.formula import Goal


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of replaying a plan.

    Attributes:
        valid: True when every step was applicable and the goal holds at the end.
        failed_step: index of the first failing step (``len(plan)`` when only the goal fails).
        reason: a sentence naming the failed precondition or goal literal.
        states: the state before each step and after the last one.
    """

    valid: bool
    failed_step: int | None = None
    reason: str = ""
    states: tuple = field(default=(), repr=False)

    @property
    def final_state(self) -> frozenset:
        return self.states[-1] if self.states else frozenset()


def regrounded(plan: Sequence[GroundAction], domain: Domain) -> list[GroundAction]:
    """Re-derive each step's meaning from the domain, ignoring what the planner attached."""
    return [domain.ground_action(step.name, step.args) for step in plan]


def validate_plan(plan: Sequence[GroundAction], initial_state: frozenset, goal: Goal | None,
                  domain: Domain) -> ValidationResult:
    """Replay ``plan`` from ``initial_state`` and check ``goal`` at the end.

    Args:
        plan: the steps, any objects carrying ``name`` and ``args``.
        initial_state: the complete set of true atoms.
        goal: the checked goal, or None to check applicability only.
        domain: the domain that gives each step its meaning.
    """
    state = frozenset(initial_state)
    states = [state]
    try:
        steps = regrounded(plan, domain)
    except LamError as exc:
        return ValidationResult(False, 0, f"unknown step: {exc}", tuple(states))
    for index, step in enumerate(steps):
        missing = sorted(step.pre_pos - state)
        if missing:
            return ValidationResult(False, index, f"step {index + 1} {step}: precondition {missing[0]} does not hold",
                                    tuple(states))
        violated = sorted(step.pre_neg & state)
        if violated:
            return ValidationResult(False, index, f"step {index + 1} {step}: {violated[0]} must be false",
                                    tuple(states))
        state = step.apply(state)
        states.append(state)
    if goal is not None and not goal.holds_in(state):
        unmet = goal.alternatives[0].unmet(state)
        return ValidationResult(False, len(steps), f"goal not reached: {unmet[0] if unmet else goal}",
                                tuple(states))
    return ValidationResult(True, None, "", tuple(states))
