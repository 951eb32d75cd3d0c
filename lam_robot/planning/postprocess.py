"""Plan post-processing: remove steps the plan does not need.

Greedy action elimination (Nakhost and Mueller, 2010): try dropping one step,
skip every later step that is no longer applicable, and keep the shorter plan
when the goal still holds. Search planners in satisficing mode often return
detours (pick a block up, put it back); this removes them. A step that only
made room in a region is not a detour: with ``admits``, a later step that
would overfill the region counts as inapplicable. The result is re-validated
by the caller like any other plan.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..symbolic.domain import GroundAction
from ..symbolic.formula import Conjunction


def eliminate_redundant_steps(plan: Sequence[GroundAction], state: frozenset, goal: Conjunction,
                              admits: Callable[[GroundAction, frozenset], bool] | None = None
                              ) -> list[GroundAction]:
    """The plan with redundant steps removed (never longer than the input).

    Args:
        plan: fully grounded steps (with preconditions and effects).
        state: the state the plan starts from.
        goal: what must hold at the end.
        admits: optional, whether a step may run from a state beyond its preconditions
            (e.g. :meth:`lam_robot.planning.capacity.RegionRoom.admits`).
    """
    steps = list(plan)
    prefix_states = [state]
    for step in steps:
        prefix_states.append(step.apply(prefix_states[-1]))
    i = 0
    while i < len(steps):
        current = prefix_states[i]
        kept: list[GroundAction] = []
        for step in steps[i + 1:]:
            if step.applicable(current) and (admits is None or admits(step, current)):
                current = step.apply(current)
                kept.append(step)
        if goal.holds_in(current) and len(kept) < len(steps) - i:
            steps = steps[:i] + kept
            prefix_states = prefix_states[:i + 1]
            for step in kept:
                prefix_states.append(step.apply(prefix_states[-1]))
            continue
        i += 1
    return steps
