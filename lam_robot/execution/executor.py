"""The closed-loop executor: plan, act, observe, compare, replan.

For every step of a validated plan the executor

1. observes the world and checks that the rest of the plan is still valid
   from what it sees (the step's preconditions first);
2. runs the step's skills on the arm;
3. observes again and checks the step's expected effects.

A mismatch (a block pushed, dropped, a placement that toppled) triggers a
replan from the observed state, at most ``max_replans`` times, each recorded
with its cause. An unreachable pose or a failed grasp is retried with
another grasp first; when nothing works the arm goes to its safe pose and the
executor stops cleanly. :meth:`Executor.estop` halts motion at once.

Every task records the symbolic state it started from; :meth:`Executor.undo`
turns it into a goal ("put it back") that is checked, planned and executed
like any other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

from ..planning import DEFAULT_TIMEOUT_S, PlanResult, PlanStatus, adopt_plan, plan_goal, plan_request
from ..symbolic.atoms import Atom
from ..symbolic.domain import Domain, GroundAction
from ..symbolic.formula import Goal
from ..validator import validate_plan
from ..world_state import Observer, WorldState
from .capacity import over_capacity
from .controller import ArmController
from .motion import MotionPlanner
from .skills import SkillLibrary, SkillResult, SkillStatus

PICKS = ("pick-from-table", "pick-from-block", "pick-from-region")
PLACES = ("place-on-table", "place-on-block", "place-in-region")


class ExecutionStatus(str, Enum):
    SUCCEEDED = "succeeded"
    REFUSED = "refused"  # the guardrail or the planner said no: nothing moved
    FAILED = "failed"  # gave up after retries and replans; the arm is at its safe pose
    STOPPED = "stopped"  # emergency stop


@dataclass(frozen=True)
class Replan:
    """One replan: before/after which step, why, and the new plan."""

    at_step: int
    cause: str
    plan: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"at_step": self.at_step, "cause": self.cause, "plan": list(self.plan)}


@dataclass(frozen=True)
class TraceEntry:
    """One executed (or attempted) plan step."""

    index: int
    action: str
    skills: tuple[SkillResult, ...]
    ok: bool
    note: str = ""
    sim_time_s: float = 0.0

    def to_dict(self) -> dict:
        return {"index": self.index, "action": self.action, "ok": self.ok, "note": self.note or None,
                "sim_time_s": round(self.sim_time_s, 3), "skills": [s.to_dict() for s in self.skills]}


@dataclass
class ExecutionReport:
    """What happened when a goal was executed.

    Attributes:
        success: the goal holds in the final observed state.
        status: see :class:`ExecutionStatus`.
        reason: why, for anything but success.
        goal: the checked goal as PDDL.
        plan: the first plan, as PDDL steps.
        explanation: why each step of the first plan is needed.
        steps: plan steps executed successfully (across replans).
        replans: every replan with its cause.
        trace: every attempted step with its skills.
        final_state: the last observation.
        start_state: the observation the task started from (for undo).
        sim_time_s: controller-clock seconds spent.
        wall_time_s: wall-clock seconds spent.
        moved: whether the arm moved at all.
    """

    success: bool
    status: ExecutionStatus
    reason: str = ""
    goal: str | None = None
    plan: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    steps: int = 0
    replans: list[Replan] = field(default_factory=list)
    trace: list[TraceEntry] = field(default_factory=list)
    final_state: WorldState | None = None
    start_state: WorldState | None = None
    sim_time_s: float = 0.0
    wall_time_s: float = 0.0
    moved: bool = False

    def skill_times(self) -> dict[str, float]:
        """Simulated seconds per skill name, summed."""
        out: dict[str, float] = {}
        for entry in self.trace:
            for s in entry.skills:
                out[s.skill] = out.get(s.skill, 0.0) + s.sim_time_s
        return out

    def to_dict(self) -> dict:
        return {
            "success": self.success, "status": self.status.value, "reason": self.reason or None,
            "goal": self.goal, "plan": self.plan, "explanation": self.explanation,
            "steps": self.steps, "replans": len(self.replans),
            "replan_causes": [r.to_dict() for r in self.replans],
            "trace": [t.to_dict() for t in self.trace],
            "final_state": sorted(str(a) for a in self.final_state.state) if self.final_state else None,
            "sim_time_s": round(self.sim_time_s, 3), "wall_time_s": round(self.wall_time_s, 3),
            "moved": self.moved, "skill_time_s": {k: round(v, 3) for k, v in self.skill_times().items()},
        }


class Executor:
    """Runs goals on an arm, closed loop over an observer.

    Args:
        observer: where the world state comes from (ground truth or perception).
        controller: the arm.
        domain: the planning domain.
        planner: planner name for :func:`lam_robot.planning.plan_goal`.
        max_replans: replans allowed per task.
        grasp_retries: extra grasp attempts per pick before replanning.
        on_step: optional ``callback(index, action, report)`` called after each step
            (scenario scripts use it to perturb the world).
        motion_planner: shared motion planner (one is made when None).
        on_step_start: optional ``callback(step, attempt)`` called before each step
            runs (a status topic announces the step and its reason).
        on_notice: optional ``callback(text)`` for events worth telling a person
            (a given plan did not fit and was replaced).
    """

    def __init__(self, observer: Observer, controller: ArmController, domain: Domain, planner: str = "auto",
                 max_replans: int = 4, grasp_retries: int = 2,
                 on_step: Callable[[int, str, ExecutionReport], None] | None = None,
                 motion_planner: MotionPlanner | None = None, planning_timeout_s: float = DEFAULT_TIMEOUT_S,
                 on_step_start: Callable[[GroundAction, int], None] | None = None,
                 on_notice: Callable[[str], None] | None = None):
        self.observer = observer
        self.controller = controller
        self.domain = domain
        self.planner = planner
        self.max_replans = max_replans
        self.grasp_retries = grasp_retries
        self.on_step = on_step
        self.on_step_start = on_step_start
        self.on_notice = on_notice
        self._given: tuple[list[str], str] | None = None  # a plan made elsewhere, tried once
        self.planning_timeout_s = planning_timeout_s
        self._own_planner = motion_planner is None
        self.motion_planner = motion_planner or MotionPlanner()
        self.skills = SkillLibrary(controller, observer, self.motion_planner)
        self.history: list[WorldState] = []
        self._stop_requested = False
        self.steps_started = 0  # steps begun in the current task (scenario scripts watch it)
        self.step_started_s = 0.0  # controller clock when the current step began

    def close(self) -> None:
        if self._own_planner:
            self.motion_planner.close()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ public
    def estop(self) -> None:
        """Halt the arm at once; the running task ends with status STOPPED."""
        self._stop_requested = True
        self.controller.estop()

    def reset_estop(self) -> None:
        self._stop_requested = False
        self.controller.clear_estop()

    def undo(self) -> ExecutionReport:
        """Restore the state the last task started from ("put it back")."""
        if not self.history:
            return ExecutionReport(False, ExecutionStatus.REFUSED, "there is nothing to undo")
        start = self.history[-1]
        report = self.execute(goal_from_state(start.state))
        if report.success:
            self.history.pop()  # the undo's own record
            self.history.pop()  # the task it undid: the next undo goes one task further back
        return report

    def execute(self, goal: str | Goal, planner: str | None = None, given_plan: list[str] | None = None,
                given_planner: str = "given") -> ExecutionReport:
        """Check, plan and execute a goal (PDDL text, or a checked :class:`Goal`).

        Args:
            given_plan: steps planned elsewhere (e.g. by planner_node). They run when
                they replay to the goal from the observed state; otherwise the
                executor says so through ``on_notice`` and plans afresh.
        """
        self._given = (list(given_plan), given_planner) if given_plan is not None else None
        wall0, sim0 = time.perf_counter(), self.controller.clock_s()
        report = ExecutionReport(False, ExecutionStatus.FAILED)
        self.steps_started = 0
        try:
            self._execute(goal, planner or self.planner, report)
        finally:
            report.wall_time_s = time.perf_counter() - wall0
            report.sim_time_s = self.controller.clock_s() - sim0
        return report

    # ------------------------------------------------------------------ internals
    def _plan(self, goal: str | Goal, state: WorldState, planner: str) -> PlanResult:
        given, self._given = self._given, None
        if given is not None:
            adopted = adopt_plan(given[0], goal, state.scene, self.domain, given[1])
            if adopted.ok or adopted.status is PlanStatus.REFUSED:
                return adopted
            if self.on_notice is not None:
                self.on_notice(f"the given plan does not fit the observed state ({adopted.reason}); replanning")
        if isinstance(goal, Goal):
            return plan_goal(goal, state.scene.object_types, state.state, self.domain, planner,
                             self.planning_timeout_s, state.scene)
        return plan_request(goal, state.scene, self.domain, planner, self.planning_timeout_s)

    def _execute(self, goal: str | Goal, planner: str, report: ExecutionReport) -> None:
        observed = self.observer.observe()
        report.start_state = observed
        first = self._plan(goal, observed, planner)
        report.final_state = observed
        if not first.ok:
            report.status = ExecutionStatus.REFUSED
            report.reason = first.reason or first.status.value
            return
        checked_goal = first.goal
        too_full = [over_capacity(c, observed.scene) for c in checked_goal.alternatives]
        if all(too_full):
            report.status = ExecutionStatus.REFUSED
            report.reason = too_full[0].message
            return
        report.goal = checked_goal.to_pddl()
        report.plan = [str(s) for s in first.plan]
        report.explanation = [e.sentence for e in first.explanation]
        far = self.skills.out_of_reach(first.plan, observed)
        if far:  # found before anything moves, not half way through the task
            report.status = ExecutionStatus.FAILED
            report.reason = far
            return
        self.history.append(observed)
        plan = list(first.plan)
        index = 0
        believed: frozenset | None = observed.state  # what the last observation plus the plan predict
        grasp_attempt = 0
        while True:
            if self._stop_requested:
                self._stopped(report)
                return
            observed = self.observer.observe()
            report.final_state = observed
            cause = None
            if index >= len(plan):
                if checked_goal.holds_in(observed.state):
                    report.success = True
                    report.status = ExecutionStatus.SUCCEEDED
                    self._finish_home(report)
                    return
                cause = "after the last step the goal does not hold: " + \
                    ", ".join(checked_goal.alternatives[0].unmet(observed.state))
            else:
                step = plan[index]
                check = validate_plan(plan[index:], observed.state, checked_goal, self.domain)
                if not check.valid:
                    missing = sorted(step.pre_pos - observed.state)
                    cause = (f"before {step}: precondition {missing[0]} does not hold" if missing
                             else f"before {step}: the rest of the plan no longer works ({check.reason})")
            if cause is not None:
                changed = _state_change(believed, observed.state)
                if changed:
                    cause += f"; the world changed: {changed}"
                if not self._replan(report, checked_goal, observed, planner, index, cause, plan):
                    return
                plan, index = self._new_plan, 0
                continue
            sim0 = self.controller.clock_s()
            self.steps_started += 1
            self.step_started_s = sim0
            results = self._run_step(step, grasp_attempt)
            report.moved = report.moved or any(r.sim_time_s > 0 for r in results)
            failed = next((r for r in results if not r.ok), None)
            entry_ok = failed is None
            note = ""
            if failed is not None and failed.status is SkillStatus.STOPPED:
                report.trace.append(TraceEntry(index, str(step), tuple(results), False, failed.reason,
                                               self.controller.clock_s() - sim0))
                self._stopped(report)
                return
            after = self.observer.observe()
            report.final_state = after
            if entry_ok:
                expected_missing = sorted(step.add - after.state)
                expected_gone = sorted(step.delete & after.state)
                doubtful = sorted((g for g in after.uncertain if g.atom in step.add), key=lambda g: str(g.atom))
                if expected_missing or expected_gone:
                    entry_ok = False
                    note = ("expected " + str(expected_missing[0]) if expected_missing
                            else f"expected {expected_gone[0]} to be false")
                elif doubtful:
                    entry_ok = False
                    note = f"expected {doubtful[0].atom}, but it is uncertain (confidence {doubtful[0].confidence:.2f})"
            else:
                note = f"{failed.skill}: {failed.reason}"
            report.trace.append(TraceEntry(index, str(step), tuple(results), entry_ok, note,
                                           self.controller.clock_s() - sim0))
            if self.on_step is not None:
                self.on_step(index, str(step), report)
            if entry_ok:
                believed = step.apply(observed.state)
                report.steps += 1
                index += 1
                grasp_attempt = 0
                continue
            # a failed step: retry grasps, then replan, then stop at the safe pose
            if failed is not None and failed.status in (SkillStatus.GRASP_FAILED, SkillStatus.UNREACHABLE) \
                    and step.name in PICKS and grasp_attempt < self.grasp_retries:
                grasp_attempt += 1
                if failed.status is SkillStatus.GRASP_FAILED and self.skills.held is None:
                    self.controller.set_gripper(0.04, duration_s=0.2)
                    self.skills.go_home()
                continue
            grasp_attempt = 0
            cause = f"step {step} failed: {note}"
            observed = self.observer.observe()
            if not self._replan(report, checked_goal, observed, planner, index, cause, plan):
                return
            if (failed is not None and failed.status in (SkillStatus.UNREACHABLE, SkillStatus.NO_ROOM)
                    and self._new_plan and str(self._new_plan[0]) == str(step)):
                # nothing moved and the new plan asks for the same motion: it would fail the same way
                self._give_up(report, f"{step} cannot be done: {failed.reason}")
                return
            plan, index = self._new_plan, 0

    def _run_step(self, step: GroundAction, attempt: int) -> list[SkillResult]:
        if self.on_step_start is not None:
            self.on_step_start(step, attempt)
        if step.name in PICKS:
            return self.skills.pick(step.args[0], attempt)
        if step.name == "place-on-table":
            return self.skills.place(step.args[0], "table")
        if step.name in ("place-on-block", "place-in-region"):
            return self.skills.place(step.args[0], step.args[1])
        return [SkillResult("approach", SkillStatus.UNREACHABLE, f"no skill for action {step.name}")]

    def _replan(self, report: ExecutionReport, goal: Goal, observed: WorldState, planner: str, index: int,
                cause: str, old_plan) -> bool:
        if len(report.replans) >= self.max_replans:
            report.replans.append(Replan(index, cause + " (no replans left)"))
            return self._give_up(report, f"gave up after {self.max_replans} replans; last cause: {cause}")
        result = self._plan(goal, observed, planner)
        if not result.ok:
            report.replans.append(Replan(index, cause))
            return self._give_up(report, f"replanning failed ({result.reason or result.status.value}) after: {cause}")
        self._new_plan = list(result.plan)
        report.replans.append(Replan(index, cause, tuple(str(s) for s in result.plan)))
        return True

    def _give_up(self, report: ExecutionReport, reason: str) -> bool:
        report.status = ExecutionStatus.FAILED
        report.reason = reason
        held = any(a.predicate == "holding" for a in self.observer.observe().state)
        if held and self.skills.held is not None:
            self.skills.place(self.skills.held.name, "table")
        self._finish_home(report)
        report.final_state = self.observer.observe()
        return False

    def _finish_home(self, report: ExecutionReport) -> None:
        results = self.skills.go_home()
        if results and not results[-1].ok and report.success:
            report.reason = f"goal reached, but the arm could not return to its safe pose: {results[-1].reason}"
        report.final_state = self.observer.observe()

    def _stopped(self, report: ExecutionReport) -> None:
        report.status = ExecutionStatus.STOPPED
        report.success = False
        report.reason = "emergency stop"
        report.final_state = self.observer.observe()


def _state_change(believed: frozenset | None, observed: frozenset) -> str:
    """What differs between the predicted and the observed state, in PDDL facts."""
    if believed is None:
        return ""
    keep = ("on", "on-table", "in", "holding")
    gone = sorted(a for a in believed - observed if a.predicate in keep)
    new = sorted(a for a in observed - believed if a.predicate in keep)
    parts = [f"{a} no longer holds" for a in gone] + [f"{a} now holds" for a in new]
    return ", ".join(parts)


def goal_from_state(state: frozenset) -> str:
    """A PDDL goal that restores the placement facts of ``state``."""
    atoms = sorted(a for a in state if isinstance(a, Atom) and a.predicate in ("on", "on-table", "in"))
    return "(and " + " ".join(str(a) for a in atoms) + ")"
