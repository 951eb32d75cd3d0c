"""Room in regions, as the planner sees it: no step may put a block into a full region.

The PDDL domain lets a region hold any number of blocks, but a 10 cm tray holds one block and a
16 cm tray two (:func:`lam_robot.execution.capacity.region_capacity`). A plan that fills a tray
before emptying it is valid to the validator and fails in the arm's hands, so planning keeps every
intermediate state within each region's room:

* most tasks put no pressure on any region (the blocks that are or will be in it fit at once); they
  are planned as before, and the plan is only checked (:meth:`RegionRoom.overflow`), in case a
  search planner parked a block in a region on the way;
* a task that does press on a region, or a plan that overflowed one, is planned again over the
  counted domain (:mod:`lam_robot.planning.counted`), where placing in a region needs a free slot,
  and the plan is mapped back to the standard domain's actions.

Either way the caller gets ordinary steps, which it validates as usual and checks once more here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from ..execution.capacity import over_capacity, region_capacity
from ..scene import Scene
from ..sim.appearance import DEFAULT_BLOCK_SIZE
from ..symbolic.domain import GroundAction
from ..symbolic.formula import Conjunction
from .base import PlanningTask, PlanResult, PlanStatus
from .counted import CountedTask

Solve = Callable[[PlanningTask, float], PlanResult]


@dataclass(frozen=True)
class RegionRoom:
    """How many blocks each region holds side by side; a region not named holds any number.

    Only blocks directly ``in`` a region take a slot: a block stacked on one of them does not.
    A region observed fuller than its room keeps its blocks; only adding one more is refused.

    Attributes:
        limits: region name -> blocks it holds side by side.
    """

    limits: Mapping[str, int] = field(default_factory=dict)

    def count(self, state: frozenset, region: str) -> int:
        """Blocks directly in ``region`` in ``state``."""
        return sum(1 for a in state if a.predicate == "in" and a.args[1] == region)

    def admits(self, step: GroundAction, state: frozenset) -> bool:
        """False when ``step`` puts a block into a region that has no free slot in ``state``."""
        return all(self.count(state, r) < self.limits[r] for r in self._entered(step, state))

    def overflow(self, plan: Sequence[GroundAction], state: frozenset) -> str | None:
        """Why ``plan`` (grounded, applicable) overfills a region from ``state``; None when it never does."""
        counts = {r: 0 for r in self.limits}
        for atom in state:
            if atom.predicate == "in" and atom.args[1] in counts:
                counts[atom.args[1]] += 1
        for number, step in enumerate(plan, 1):
            full = [r for r in self._entered(step, state) if counts[r] >= self.limits[r]]
            if full:
                room = self.limits[full[0]]
                return (f"step {number} {step} puts a block into the {full[0]}, which has room for "
                        f"{room} block{'s' if room != 1 else ''} and is full")
            for atom in step.delete & state:
                if atom.predicate == "in" and atom.args[1] in counts:
                    counts[atom.args[1]] -= 1
            for region in self._entered(step, state):
                counts[region] += 1
            state = step.apply(state)
        return None

    def pressed(self, state: frozenset, goal: Conjunction) -> frozenset:
        """Regions whose blocks now and blocks the goal puts in them do not all fit at once.

        Only these can overflow when a planner puts blocks into regions just where the goal says;
        elsewhere the order of moves cannot matter to the region.
        """
        return self._crowded((*state, *goal.positive))

    def at_stake(self, plan: Sequence[GroundAction], state: frozenset) -> RegionRoom:
        """The regions that some steps of ``plan``, kept in order, could overfill: those whose
        blocks now and blocks the plan puts in them do not all fit at once."""
        crowded = self._crowded((*state, *(a for step in plan for a in step.add)))
        return RegionRoom({r: self.limits[r] for r in sorted(crowded)})

    def _crowded(self, atoms) -> frozenset:
        members: dict[str, set] = {}
        for atom in atoms:
            if atom.predicate == "in" and atom.args[1] in self.limits:
                members.setdefault(atom.args[1], set()).add(atom.args[0])
        return frozenset(r for r, blocks in members.items() if len(blocks) > self.limits[r])

    def _entered(self, step: GroundAction, state: frozenset) -> list[str]:
        """The limited regions ``step`` puts a block into."""
        return [a.args[1] for a in step.add
                if a.predicate == "in" and a.args[1] in self.limits and a not in state]


NO_LIMITS = RegionRoom()


def room_for(scene: Scene | None, state: frozenset, goal: Conjunction) -> RegionRoom:
    """Each region's room in ``scene`` for the blocks that are in it or that ``goal`` puts in it.

    Slots are sized for the largest of those blocks, as the executor sizes them
    (:func:`lam_robot.execution.capacity.over_capacity`). Without a scene there is no geometry to
    go by, and no region is limited.
    """
    if scene is None:
        return NO_LIMITS
    regions = set(scene.regions)
    sizes: dict[str, float] = {}
    for atom in (*state, *goal.positive):
        if atom.predicate == "in" and atom.args[1] in regions:
            obj = scene.objects.get(atom.args[0])
            size = (obj.size if obj is not None else None) or DEFAULT_BLOCK_SIZE
            sizes[atom.args[1]] = max(size, sizes.get(atom.args[1], 0.0))
    return RegionRoom({r: region_capacity(scene, r, sizes.get(r, DEFAULT_BLOCK_SIZE)) for r in sorted(regions)})


def refuse_over_capacity(goal: Conjunction, scene: Scene | None) -> PlanResult | None:
    """An UNSOLVABLE result, with the executor's reason, for a goal that puts more blocks in a
    region than fit; None when the goal fits (or there is no scene to measure)."""
    if scene is None:
        return None
    error = over_capacity(goal, scene)
    if error is None:
        return None
    return PlanResult(PlanStatus.UNSOLVABLE, reason=error.message, error=error.to_dict())


def plan_within_room(task: PlanningTask, room: RegionRoom, solve: Solve, timeout_s: float) -> PlanResult:
    """Plan ``task`` so that no step overfills a region; the plan comes back in the standard domain.

    Args:
        task: the task in the standard domain.
        room: each region's room (:func:`room_for`).
        solve: a backend chain, ``solve(task, timeout_s)``.
        timeout_s: for all the planning this call does.

    Returns:
        ``solve``'s result, its steps grounded in ``task.domain``.
    """
    deadline = time.perf_counter() + timeout_s
    if not room.pressed(task.state, task.goal):
        raw = solve(task, timeout_s)
        if not raw.ok:
            return raw  # what fails with any room fails with less
        steps = tuple(task.domain.ground_action(s.name, s.args) for s in raw.plan)
        if not room.at_stake(steps, task.state).limits or room.overflow(steps, task.state) is None:
            return replace(raw, plan=steps)
    counted = CountedTask(task, room.limits)
    raw = solve(counted.task, max(0.5, deadline - time.perf_counter()))
    if raw.status is PlanStatus.UNSOLVABLE:
        return replace(raw, reason="no plan keeps every region within its room from the current state")
    if raw.status is PlanStatus.UNSUPPORTED:
        return replace(raw, reason=f"{raw.reason}; a region that may overflow needs a search planner "
                                   "(fd, fd-opt or pyperplan)")
    if not raw.ok:
        return raw
    return replace(raw, plan=counted.standard_plan(raw.plan))
