"""Planning: from a checked goal and the current state to a validated, explained plan.

Backends are chosen by name from :data:`PLANNERS`. ``auto`` (the default)
uses the domain-aware policy where it is sound and fast, and Fast Downward
for everything else, falling back to pyperplan when Fast Downward is not
installed. Whatever the backend, :func:`plan_goal` removes redundant steps,
replays the plan in the independent validator and explains each step; an
invalid plan is never returned. Given a scene, no step of the plan puts a
block into a region that is full (:mod:`lam_robot.planning.capacity`).
"""

from __future__ import annotations

import time
from typing import Callable, Mapping, Sequence

from ..errors import LamError, PlannerUnavailableError
from ..explainer import explain_plan
from ..guardrail import check_goal
from ..symbolic.atoms import parse_atom
from ..symbolic.domain import Domain
from ..symbolic.formula import Goal
from ..validator import validate_plan
from .base import Planner, PlanningTask, PlanResult, PlanStatus
from .capacity import plan_within_room, refuse_over_capacity, room_for
from .pddlstream_backend import PddlStream
from .policy import TabletopPolicy
from .postprocess import eliminate_redundant_steps
from .up_backends import FastDownward, FastDownwardOptimal, Pyperplan

PLANNERS: Mapping[str, Callable[[], Planner]] = {
    "fd": FastDownward,
    "fd-opt": FastDownwardOptimal,
    "pyperplan": Pyperplan,
    "policy": TabletopPolicy,
    "pddlstream": PddlStream,
}
#: ``auto`` tries these in order until one answers with more than "unsupported".
AUTO_CHAIN = ("policy", "fd", "pyperplan")
PLANNER_NAMES = ("auto", *PLANNERS)
DEFAULT_TIMEOUT_S = 30.0

__all__ = ["PLANNERS", "PLANNER_NAMES", "Planner", "PlanResult", "PlanStatus", "PlanningTask",
           "adopt_plan", "get_planner", "plan_goal", "plan_request"]


def get_planner(name: str) -> Planner:
    """A planner backend by registry name.

    Raises:
        PlannerUnavailableError: for an unknown name.
    """
    try:
        return PLANNERS[name]()
    except KeyError:
        raise PlannerUnavailableError(
            f"unknown planner {name!r}; choose one of: {', '.join(PLANNER_NAMES)}") from None


def _solve_one(task: PlanningTask, planner: str, timeout_s: float) -> PlanResult:
    chain = AUTO_CHAIN if planner == "auto" else (planner,)
    result = PlanResult(PlanStatus.UNAVAILABLE, reason="no planner ran")
    deadline = time.perf_counter() + timeout_s
    for name in chain:
        backend = get_planner(name)
        result = backend.solve(task, max(0.5, deadline - time.perf_counter()))
        if result.status not in (PlanStatus.UNSUPPORTED, PlanStatus.UNAVAILABLE, PlanStatus.ERROR):
            return result
    return result


def plan_goal(goal: Goal, objects: Mapping[str, str], state: frozenset, domain: Domain,
              planner: str = "auto", timeout_s: float = DEFAULT_TIMEOUT_S, scene=None) -> PlanResult:
    """Plan for a checked goal from ``state``, validate and explain the plan.

    Every alternative of a disjunctive goal is planned; the shortest valid plan wins.

    Args:
        goal: a goal that passed the guardrail.
        objects: object name -> type.
        state: the complete current state.
        planner: a name from :data:`PLANNER_NAMES`.
        scene: optional, to name objects as people do in the explanation and to measure each
            region's room: with a scene, no step puts a block into a full region, and a goal
            that asks a region for more blocks than fit is UNSOLVABLE.
    """
    start = time.perf_counter()
    if planner not in PLANNER_NAMES:
        return PlanResult(PlanStatus.UNAVAILABLE, goal=goal,
                          reason=f"unknown planner {planner!r}; choose one of: {', '.join(PLANNER_NAMES)}")
    best: PlanResult | None = None
    failures: list[PlanResult] = []
    for conj in goal.alternatives:
        task = PlanningTask(domain, dict(objects), frozenset(state), conj)
        too_full = refuse_over_capacity(conj, scene)
        if too_full is not None:
            failures.append(too_full)
            continue
        room = room_for(scene, task.state, conj)
        raw = plan_within_room(task, room, lambda t, s: _solve_one(t, planner, s), timeout_s)
        if not raw.ok:
            failures.append(raw)
            continue
        stake = room.at_stake(raw.plan, task.state)  # a shorter plan can only overfill these
        steps = eliminate_redundant_steps(raw.plan, task.state, conj, stake.admits if stake.limits else None)
        check = validate_plan(steps, task.state, Goal((conj,)), domain)
        overflow = room.overflow(steps, task.state) if check.valid else None
        if not check.valid or overflow:
            failures.append(PlanResult(PlanStatus.INVALID, planner=raw.planner,
                                       reason=f"{raw.planner} returned a plan that fails validation: "
                                              f"{check.reason or overflow}"))
            continue
        if best is None or len(steps) < len(best.plan):
            best = PlanResult(PlanStatus.SOLVED, tuple(steps), raw.planner, raw.time_s, raw_length=len(raw.plan))
    elapsed = time.perf_counter() - start
    if best is None:
        worst = _most_telling(failures)
        return PlanResult(worst.status, (), worst.planner, elapsed, worst.reason, goal=goal, error=worst.error)
    explanation = tuple(explain_plan(best.plan, state, goal, domain, scene))
    return PlanResult(PlanStatus.SOLVED, best.plan, best.planner, elapsed, "", explanation, goal, best.raw_length)


def _most_telling(failures: list[PlanResult]) -> PlanResult:
    order = [PlanStatus.UNSOLVABLE, PlanStatus.INVALID, PlanStatus.TIMEOUT, PlanStatus.ERROR,
             PlanStatus.UNSUPPORTED, PlanStatus.UNAVAILABLE]
    return min(failures, key=lambda r: order.index(r.status) if r.status in order else len(order))


def adopt_plan(steps: Sequence[str], goal: str | Goal, scene, domain: Domain,
               planner: str = "given") -> PlanResult:
    """Check a plan made elsewhere (e.g. by planner_node) against the current state.

    The goal passes the guardrail, each step is re-grounded from the domain,
    and the whole plan is replayed by the validator from ``scene.facts``. A
    plan that no longer fits, or that puts a block into a full region, comes
    back INVALID with the reason, so the caller can plan afresh; a fitting one
    comes back explained.

    Args:
        steps: the steps as PDDL text, e.g. ``["(pick-from-table red)", ...]``.
        goal: the goal text (or an already checked goal).
        scene: the observed scene to replay from.
    """
    start = time.perf_counter()
    if isinstance(goal, Goal):
        checked_goal = goal
    else:
        checked = check_goal(goal, scene, domain)
        if not checked.ok:
            return PlanResult(PlanStatus.REFUSED, reason=checked.error.message, error=checked.error.to_dict())
        checked_goal = checked.goal
    try:
        grounded = [domain.ground_action(a.predicate, a.args) for a in map(parse_atom, steps)]
    except LamError as exc:
        return PlanResult(PlanStatus.INVALID, planner=planner, goal=checked_goal, reason=f"unreadable plan: {exc}")
    check = validate_plan(grounded, scene.facts, checked_goal, domain)
    if not check.valid:
        return PlanResult(PlanStatus.INVALID, planner=planner, goal=checked_goal, reason=check.reason)
    overflows = [room_for(scene, scene.facts, c).overflow(grounded, scene.facts) for c in checked_goal.alternatives]
    if all(overflows):
        return PlanResult(PlanStatus.INVALID, planner=planner, goal=checked_goal, reason=overflows[0])
    explanation = tuple(explain_plan(grounded, scene.facts, checked_goal, domain, scene))
    return PlanResult(PlanStatus.SOLVED, tuple(grounded), planner, time.perf_counter() - start, "", explanation,
                      checked_goal, len(grounded))


def plan_request(goal_text: str, scene, domain: Domain, planner: str = "auto",
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> PlanResult:
    """Guardrail, then plan: the one call the command line and nodes make.

    Returns a REFUSED result carrying the guardrail's structured error when the
    goal does not pass.
    """
    checked = check_goal(goal_text, scene, domain)
    if not checked.ok:
        return PlanResult(PlanStatus.REFUSED, reason=checked.error.message, error=checked.error.to_dict())
    return plan_goal(checked.goal, scene.object_types, scene.facts, domain, planner, timeout_s, scene)
