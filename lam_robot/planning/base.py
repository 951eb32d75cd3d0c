"""The planner interface and its result type.

Results carry a status enum (the unified-planning way) so a replanning loop
can tell "unsolvable" from "timed out" from "this backend cannot do that".
Backends implement :meth:`Planner._solve`; callers use :meth:`Planner.solve`,
which checks availability and support first.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from ..symbolic.domain import Domain, GroundAction
from ..symbolic.formula import Conjunction, Goal


class PlanStatus(str, Enum):
    SOLVED = "solved"
    UNSOLVABLE = "unsolvable"          # proven: no plan exists
    TIMEOUT = "timeout"
    UNSUPPORTED = "unsupported"        # this backend cannot handle the problem
    UNAVAILABLE = "unavailable"        # the backend is not installed
    INVALID = "invalid"                # the backend's plan failed validation
    REFUSED = "refused"                # the guardrail refused the goal
    ERROR = "error"


@dataclass(frozen=True)
class PlanningTask:
    """Everything a backend needs: domain, objects, current state, one conjunctive goal.

    Attributes:
        objects: object name -> PDDL type.
        state: the complete set of true atoms.
    """

    domain: Domain
    objects: Mapping[str, str]
    state: frozenset
    goal: Conjunction


@dataclass(frozen=True)
class PlanResult:
    """A planner's answer.

    Attributes:
        status: see :class:`PlanStatus`.
        plan: the steps, in order (empty unless solved; empty is also the plan
            for a goal that already holds).
        planner: the backend that produced it.
        time_s: wall-clock seconds spent.
        reason: a sentence for anything but success.
        explanation: per-step reasons (filled by :func:`lam_robot.planning.plan_goal`).
        goal: the checked goal that was planned for.
        raw_length: steps before post-processing removed redundant ones.
    """

    status: PlanStatus
    plan: tuple[GroundAction, ...] = ()
    planner: str = ""
    time_s: float = 0.0
    reason: str = ""
    explanation: tuple = ()
    goal: Goal | None = field(default=None, repr=False)
    raw_length: int | None = None
    error: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status is PlanStatus.SOLVED

    def to_dict(self) -> dict:
        return {
            "status": "ok" if self.ok else "refused",
            "plan_status": self.status.value,
            "planner": self.planner,
            "goal": self.goal.to_pddl() if self.goal else None,
            "plan": [str(a) for a in self.plan],
            "explanation": [e.sentence for e in self.explanation],
            "steps": [e.to_dict() for e in self.explanation],
            "time_s": round(self.time_s, 4),
            "raw_length": self.raw_length,
            "reason": self.reason or None,
            "error": self.error,
        }


class Planner(ABC):
    """One planning backend.

    Attributes:
        name: registry key (``fd``, ``fd-opt``, ``pyperplan``, ``policy``, ...).
        negative_goals: whether the backend accepts ``(not ...)`` in goals.
    """

    name: str = ""
    negative_goals: bool = True

    def available(self) -> bool:
        """True when the backend's software is installed."""
        return True

    def solve(self, task: PlanningTask, timeout_s: float = 30.0) -> PlanResult:
        """Plan for ``task``; never raises for an unsupported or unsolvable task."""
        start = time.perf_counter()
        if not self.available():
            return PlanResult(PlanStatus.UNAVAILABLE, planner=self.name,
                              reason=f"planner {self.name!r} is not installed")
        if task.goal.negative and not self.negative_goals:
            return PlanResult(PlanStatus.UNSUPPORTED, planner=self.name,
                              reason=f"planner {self.name!r} does not support negative goals")
        if task.goal.holds_in(task.state):
            return PlanResult(PlanStatus.SOLVED, (), self.name, time.perf_counter() - start)
        support = self.supports(task)
        if support is not None:
            return PlanResult(PlanStatus.UNSUPPORTED, planner=self.name, reason=support)
        result = self._solve(task, timeout_s)
        if not result.time_s:
            result = PlanResult(result.status, result.plan, result.planner or self.name,
                                time.perf_counter() - start, result.reason)
        return result

    def supports(self, task: PlanningTask) -> str | None:
        """None when the backend can handle ``task``, else why not."""
        return None

    @abstractmethod
    def _solve(self, task: PlanningTask, timeout_s: float) -> PlanResult:
        """Backend-specific search; called only for supported, unsolved tasks."""
