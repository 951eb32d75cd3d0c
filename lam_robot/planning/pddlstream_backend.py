"""PDDLStream, used when it is importable.

pddlstream is not on PyPI (install it from its repository and put it on
``PYTHONPATH``); without it this backend reports UNAVAILABLE instead of
failing. Here it runs the symbolic domain with no streams, which is the
part of the problem lam_robot hands it today.
"""

from __future__ import annotations

import importlib.util
import time

from ..symbolic.domain import GroundAction
from .base import Planner, PlanningTask, PlanResult, PlanStatus


class PddlStream(Planner):
    name = "pddlstream"

    def available(self) -> bool:
        return importlib.util.find_spec("pddlstream") is not None

    def _solve(self, task: PlanningTask, timeout_s: float) -> PlanResult:  # pragma: no cover - optional
        from pddlstream.algorithms.meta import solve
        from pddlstream.language.constants import And, PDDLProblem

        start = time.perf_counter()
        init = [(a.predicate, *a.args) for a in task.state]
        init += [(t, o) for o, t in task.objects.items()]
        goal = And(*[(a.predicate, *a.args) for a in sorted(task.goal.positive)],
                   *[("not", (a.predicate, *a.args)) for a in sorted(task.goal.negative)])
        problem = PDDLProblem(task.domain.text, {}, None, {}, init, goal)
        solution = solve(problem, algorithm="incremental", max_time=timeout_s)
        plan = solution[0] if isinstance(solution, tuple) else getattr(solution, "plan", None)
        if plan is None:
            return PlanResult(PlanStatus.UNSOLVABLE, (), self.name, time.perf_counter() - start,
                              "pddlstream found no plan")
        steps = tuple(GroundAction(a.name, tuple(str(x) for x in a.args)) for a in plan)
        return PlanResult(PlanStatus.SOLVED, steps, self.name, time.perf_counter() - start)
