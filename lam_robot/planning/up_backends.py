"""Fast Downward through unified-planning, and pyperplan.

The domain text is handed to the planners unchanged (the same file VAL
reads); lam_robot only writes the problem. Plans come back as
:class:`GroundAction` values that the validator re-grounds independently.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from ..symbolic.domain import GroundAction
from ..symbolic.problem import problem_pddl
from .base import Planner, PlanningTask, PlanResult, PlanStatus


def _up_status_map():
    from unified_planning.engines import PlanGenerationResultStatus as S

    return {
        S.SOLVED_SATISFICING: PlanStatus.SOLVED,
        S.SOLVED_OPTIMALLY: PlanStatus.SOLVED,
        S.UNSOLVABLE_PROVEN: PlanStatus.UNSOLVABLE,
        S.UNSOLVABLE_INCOMPLETELY: PlanStatus.UNSOLVABLE,
        S.TIMEOUT: PlanStatus.TIMEOUT,
        S.MEMOUT: PlanStatus.ERROR,
        S.INTERNAL_ERROR: PlanStatus.ERROR,
        S.UNSUPPORTED_PROBLEM: PlanStatus.UNSUPPORTED,
    }


class UnifiedPlanningPlanner(Planner):
    """A unified-planning one-shot engine, by engine name and parameters."""

    engine = ""
    module = ""
    params: dict = {}

    def available(self) -> bool:
        return (importlib.util.find_spec("unified_planning") is not None
                and importlib.util.find_spec(self.module) is not None)

    def _solve(self, task: PlanningTask, timeout_s: float) -> PlanResult:
        from unified_planning.io import PDDLReader
        from unified_planning.shortcuts import OneshotPlanner, get_environment

        start = time.perf_counter()
        env = get_environment()
        env.credits_stream = None
        text = problem_pddl(task.objects, task.state, task.goal.to_pddl(), task.domain.name)
        problem = PDDLReader(env).parse_problem_string(task.domain.text, text)
        with OneshotPlanner(name=self.engine, params=dict(self.params)) as engine, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyperplan warns that it ignores timeouts
            result = engine.solve(problem, timeout=timeout_s)
        status = _up_status_map().get(result.status, PlanStatus.ERROR)
        elapsed = time.perf_counter() - start
        if status is not PlanStatus.SOLVED or result.plan is None:
            reason = {PlanStatus.UNSOLVABLE: "no plan exists from the current state",
                      PlanStatus.TIMEOUT: f"no plan found within {timeout_s:g} s"}.get(
                status, f"{self.engine} ended with {result.status.name}")
            return PlanResult(status, (), self.name, elapsed, reason)
        steps = tuple(
            GroundAction(ai.action.name, tuple(str(p.object().name) for p in ai.actual_parameters))
            for ai in result.plan.actions)
        return PlanResult(PlanStatus.SOLVED, steps, self.name, elapsed)


class FastDownward(UnifiedPlanningPlanner):
    """Fast Downward, LAMA-first: fast satisficing plans (post-processed afterwards)."""

    name = "fd"
    engine = "fast-downward"
    module = "up_fast_downward"
    params = {"fast_downward_alias": "lama-first", "log_level": "warning"}


class FastDownwardOptimal(UnifiedPlanningPlanner):
    """Fast Downward's optimal configuration (A* with LM-cut): shortest plans, slower."""

    name = "fd-opt"
    engine = "fast-downward-opt"
    module = "up_fast_downward"
    params = {"log_level": "warning"}


class Pyperplan(Planner):
    """pyperplan (greedy best-first search with h_FF): pure Python, positive goals only.

    The slow fallback. pyperplan cannot be interrupted from inside, so it runs
    as a child process that is killed at the deadline.
    """

    name = "pyperplan"
    negative_goals = False
    search = ("-H", "hff", "-s", "gbf")

    def available(self) -> bool:
        return importlib.util.find_spec("pyperplan") is not None

    def _solve(self, task: PlanningTask, timeout_s: float) -> PlanResult:
        start = time.perf_counter()
        text = problem_pddl(task.objects, task.state, task.goal.to_pddl(), task.domain.name)
        with tempfile.TemporaryDirectory(prefix="lam_pyperplan_") as tmp:
            domain_file, problem_file = Path(tmp, "domain.pddl"), Path(tmp, "problem.pddl")
            domain_file.write_text(task.domain.text)
            problem_file.write_text(text)
            try:
                proc = subprocess.run(
                    [sys.executable, "-m", "pyperplan", "-l", "warning", *self.search,
                     str(domain_file), str(problem_file)],
                    capture_output=True, text=True, timeout=timeout_s)
            except subprocess.TimeoutExpired:
                return PlanResult(PlanStatus.TIMEOUT, (), self.name, time.perf_counter() - start,
                                  f"no plan found within {timeout_s:g} s")
            solution = Path(str(problem_file) + ".soln")
            elapsed = time.perf_counter() - start
            if not solution.exists():
                if proc.returncode == 0:
                    return PlanResult(PlanStatus.UNSOLVABLE, (), self.name, elapsed,
                                      "no plan exists from the current state")
                return PlanResult(PlanStatus.ERROR, (), self.name, elapsed,
                                  f"pyperplan failed: {proc.stderr.strip()[-300:]}")
            steps = []
            for line in solution.read_text().splitlines():
                words = line.strip().strip("()").split()
                if words:
                    steps.append(GroundAction(words[0], tuple(words[1:])))
        return PlanResult(PlanStatus.SOLVED, tuple(steps), self.name, elapsed)
