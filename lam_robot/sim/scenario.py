"""Scenarios: a scene with poses, an instruction, a goal and checks on the physics.

A scenario file (``sim/scenarios/*.yaml``) extends the scene format::

    name: tower3
    objects:
      red:  {type: block, color: red, position: [0.5, 0.1]}   # optional pose
      blue: {type: block, color: blue}
      tray: {type: tray}
    init: ["(on-table red)", "(on-table blue)"]
    instruction: "put the red block on the blue one"   # text (and optionally audio: file.wav)
    goal: "(and (on red blue))"                         # used until a translator is given
    expect: feasible                                    # or: refused (no motion allowed)
    checks:                                             # on the final *physical* state
      - {on: [red, blue]}
      - {tower: [blue, red]}                            # bottom to top
      - {in: [red, tray]}
      - {on_table: red}
    perturbations:                                      # the scenario script meddles mid-plan
      - {after_step: 1, push: {object: blue, to: [0.6, 0.15]}}
      - {after_step: 1, drop: {}}                       # open the gripper: the held block falls

Checks default to the goal's ``on``/``in``/``on-table`` atoms. :func:`run_scenario`
builds the world, runs the executor and judges the result from the
simulator's poses, never from the executor's belief.
"""

from __future__ import annotations

import importlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping


from ..errors import LamError, ResourceNotFoundError
from ..resources import find_resource
from ..scene import Scene, read_yaml, scene_from_dict
from ..symbolic.domain import Domain, load_domain
from ..symbolic.formula import parse_goal_formula
from .ground_truth import GroundTruthObserver
from .world import LAYOUTS, SimWorld

EXPECTATIONS = ("feasible", "refused")
CHECK_KINDS = ("on", "tower", "in", "on_table", "upright")
POSITION_TOLERANCE = 0.015  # metres: a stacked block's height error allowed by the checks
STILL_TOLERANCE = 0.003  # metres: "nothing moved" for refused instructions
RECORD_PERIOD_S = 0.2  # simulated seconds between GIF frames
RECORD_EYE = (1.15, 0.7, 0.75)  # metres: the recording camera looks over the robot's left shoulder
RECORD_TARGET = (0.4, 0.0, 0.15)


class ScenarioError(LamError, ValueError):
    """A scenario file that cannot be used (missing, malformed, inconsistent)."""


@dataclass(frozen=True)
class Perturbation:
    """Something the scenario script does to the world after a step.

    Attributes:
        after_step: 1-based count of executed steps after which it happens, or None.
        during_step: instead, while the n-th step (1-based) runs, ``after_s``
            simulated seconds after it began (a block dropped in transit).
        kind: ``push`` (a block slides to ``to``) or ``drop`` (the gripper opens).
        obj: the block pushed (push only).
        to: table position [x, y] in metres (push only).
    """

    after_step: int | None
    kind: str
    obj: str | None = None
    to: tuple[float, float] | None = None
    during_step: int | None = None
    after_s: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """A runnable scenario.

    Attributes:
        name: the file stem unless the file says otherwise.
        scene: the checked scene (objects carry pose attributes when given).
        instruction: what the user says.
        audio: an optional audio file with the spoken instruction.
        goal: the PDDL goal used when no translator is given.
        expect: ``feasible`` or ``refused``.
        checks: physical checks for the end, each a one-key mapping.
        perturbations: what the script does mid-plan.
        description: a line for people.
        path: where it was read from.
        max_replans: replans the executor may make.
        tags: labels for selecting scenarios.
        layout: ``random`` or ``row`` for objects without a pose.
        undo: after the task, ask for it to be undone ("put it back") and check
            that the physical start state is restored.
    """

    name: str
    scene: Scene
    instruction: str = ""
    audio: str | None = None
    goal: str | None = None
    expect: str = "feasible"
    checks: tuple = ()
    perturbations: tuple[Perturbation, ...] = ()
    description: str = ""
    path: Path | None = None
    max_replans: int = 4
    tags: tuple[str, ...] = ()
    layout: str = "random"
    undo: bool = False

    @property
    def feasible(self) -> bool:
        return self.expect == "feasible"


@dataclass(frozen=True)
class CheckResult:
    check: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict:
        return {"check": self.check, "ok": self.ok, "detail": self.detail or None}


@dataclass
class ScenarioReport:
    """The verdict on one scenario run.

    Attributes:
        success: feasible scenarios: the goal was reached and every physical
            check passed; refused ones: refused with no motion.
        refused: the instruction was refused (guardrail, translator or planner).
        moved: whether anything moved (arm or blocks).
        execution: the executor's report (None when the translator refused).
        checks: each physical check.
    """

    scenario: str
    seed: int
    expect: str
    success: bool
    refused: bool
    moved: bool
    reason: str = ""
    goal: str | None = None
    instruction: str = ""
    execution: Any = None
    checks: list[CheckResult] = field(default_factory=list)
    sim_time_s: float = 0.0
    wall_time_s: float = 0.0
    record: str | None = None
    frames: int = 0
    undo: Any = None

    @property
    def steps(self) -> int:
        return self.execution.steps if self.execution else 0

    @property
    def replans(self) -> int:
        return len(self.execution.replans) if self.execution else 0

    def to_dict(self) -> dict:
        ex = self.execution.to_dict() if self.execution else {}
        return {
            "success": self.success, "steps": self.steps, "replans": self.replans,
            "sim_time_s": round(self.sim_time_s, 3), "wall_time_s": round(self.wall_time_s, 3),
            "speedup": round(self.sim_time_s / self.wall_time_s, 1) if self.wall_time_s > 0 else None,
            "scenario": self.scenario, "seed": self.seed, "expect": self.expect,
            "refused": self.refused, "moved": self.moved, "reason": self.reason or None,
            "instruction": self.instruction, "goal": self.goal,
            "plan": ex.get("plan", []), "explanation": ex.get("explanation", []),
            "trace": ex.get("trace", []), "replan_causes": ex.get("replan_causes", []),
            "status": ex.get("status", "refused" if self.refused else None),
            "final_state": ex.get("final_state"), "skill_time_s": ex.get("skill_time_s", {}),
            "checks": [c.to_dict() for c in self.checks], "record": self.record,
            "undo": self.undo.to_dict() if self.undo is not None else None,
        }


# ---------------------------------------------------------------------- loading
def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file from a path or a bare name (``tower3`` -> ``sim/scenarios/tower3.yaml``).

    Raises:
        ScenarioError: when no such file exists.
    """
    path = Path(name_or_path)
    if path.is_file():
        return path
    candidates = [path] if path.suffix else [path.with_suffix(".yaml")]
    for cand in candidates + [Path("sim/scenarios") / c.name for c in candidates]:
        try:
            return find_resource(cand)
        except ResourceNotFoundError:
            continue
    raise ScenarioError(f"no scenario file {name_or_path!r}; list them with `lam-robot sim list`")


def list_scenarios() -> list[Path]:
    """Every shipped scenario file, sorted by name."""
    try:
        folder = find_resource("sim/scenarios")
    except ResourceNotFoundError:
        return []
    return sorted(folder.glob("*.yaml"))


def load_scenario(path: str | Path, domain: Domain | None = None, needs_task: bool = True) -> Scenario:
    """Read and check a scenario file.

    Args:
        path: a scenario (or plain scene) file, or a shipped scenario's name.
        domain: the planning domain (default: the tabletop domain).
        needs_task: the file itself must say what to do (a goal or an
            instruction); ``False`` when the caller brings the instruction, so
            that a plain scene file serves (``lam-robot do --scene S.yaml "..."``).

    Raises:
        ScenarioError: missing file, bad YAML, bad scene, bad goal or checks.
    """
    path = resolve_scenario_path(path)
    data = read_yaml(path, ScenarioError, "scenario")
    return scenario_from_dict(data, domain or load_domain(), path, needs_task=needs_task)


def scenario_from_dict(data: Any, domain: Domain, path: Path | None = None, needs_task: bool = True) -> Scenario:
    where = str(path) if path else "scenario"
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where}: a scenario is a mapping with objects, init and goal")
    try:
        scene = scene_from_dict(data, domain, name=str(data.get("name") or (path.stem if path else "scenario")))
    except LamError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    goal = data.get("goal")
    if goal is not None:
        goal = str(goal)
        try:
            parse_goal_formula(goal)
        except LamError as exc:
            raise ScenarioError(f"{where}: goal {goal!r} is not a PDDL goal: {exc}") from None
    expect = str(data.get("expect", "feasible")).lower()
    if expect not in EXPECTATIONS:
        raise ScenarioError(f"{where}: expect must be one of {', '.join(EXPECTATIONS)}, got {expect!r}")
    if needs_task and goal is None and not data.get("instruction"):
        raise ScenarioError(f"{where}: give a goal or an instruction")
    checks = data.get("checks") or []
    if not isinstance(checks, list):
        raise ScenarioError(f"{where}: checks must be a list such as [{{on: [red, blue]}}]")
    # YAML 1.1 reads a bare ``on:`` key as True; take it as the check it was meant to be
    checks = [{("on" if k is True else k): v for k, v in c.items()} if isinstance(c, Mapping) else c
              for c in checks]
    for check in checks:
        if not isinstance(check, Mapping) or len(check) != 1 or next(iter(check)) not in CHECK_KINDS:
            raise ScenarioError(f"{where}: bad check {check!r}; each is one of {', '.join(CHECK_KINDS)}")
        kind, args = next(iter(check.items()))
        names = [args] if isinstance(args, str) else list(args or [])
        for n in names:
            if str(n).lower() not in scene.objects:
                raise ScenarioError(f"{where}: check {check!r} names unknown object {n!r}")
    perturbations = []
    for item in data.get("perturbations") or []:
        perturbations.append(_perturbation(item, scene, where))
    try:
        max_replans = int(data.get("max_replans", 4))
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: max_replans must be an integer") from None
    layout = str(data.get("layout", "random")).lower()
    if layout not in LAYOUTS:
        raise ScenarioError(f"{where}: layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    undo = data.get("undo", False)
    if not isinstance(undo, bool):
        raise ScenarioError(f"{where}: undo must be true or false, got {undo!r}")
    return Scenario(scene.name, scene, str(data.get("instruction") or ""), data.get("audio"), goal, expect,
                    tuple(dict(c) for c in checks), tuple(perturbations), str(data.get("description") or ""),
                    path, max_replans, tuple(str(t) for t in data.get("tags") or ()), layout, undo)


def _perturbation(item: Any, scene: Scene, where: str) -> Perturbation:
    if not isinstance(item, Mapping) or ("after_step" in item) == ("during_step" in item):
        raise ScenarioError(f"{where}: a perturbation needs after_step or during_step, and push or drop; "
                            f"got {item!r}")
    try:
        after = int(item["after_step"]) if "after_step" in item else None
        during = int(item["during_step"]) if "during_step" in item else None
        after_s = float(item.get("after_s", 0.5))
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: after_step/during_step must be integers and after_s seconds, "
                            f"got {item!r}") from None
    if "push" in item:
        spec = item["push"] or {}
        obj = str(spec.get("object", "")).lower()
        to = spec.get("to")
        if obj not in scene.objects:
            raise ScenarioError(f"{where}: push names unknown object {obj!r}")
        if not isinstance(to, (list, tuple)) or len(to) != 2:
            raise ScenarioError(f"{where}: push needs to: [x, y] in metres")
        return Perturbation(after, "push", obj, (float(to[0]), float(to[1])), during, after_s)
    if "drop" in item:
        return Perturbation(after, "drop", during_step=during, after_s=after_s)
    raise ScenarioError(f"{where}: a perturbation is push or drop, got {sorted(item)}")


# ---------------------------------------------------------------------- physical checks
def default_checks(goal_text: str | None, scene: Scene) -> list[dict]:
    """Checks that follow from a goal's placement atoms (for conjunctive goals)."""
    if not goal_text:
        return []
    try:
        formula = parse_goal_formula(goal_text)
    except LamError:
        return []
    checks = []
    for atom in _positive_atoms(formula):
        if atom[0] == "on" and len(atom) == 3:
            checks.append({"on": [atom[1], atom[2]]})
        elif atom[0] == "in" and len(atom) == 3:
            checks.append({"in": [atom[1], atom[2]]})
        elif atom[0] == "on-table" and len(atom) == 2:
            checks.append({"on_table": atom[1]})
    return [c for c in checks if all(str(n) in scene.objects for n in _names(next(iter(c.values()))))]


def _names(args) -> list[str]:
    return [args] if isinstance(args, str) else [str(a) for a in args]


def _positive_atoms(formula) -> list[tuple]:
    from ..symbolic.formula import FAnd, FAtom

    if isinstance(formula, FAtom):
        if any(str(a).startswith("?") for a in formula.args):
            return []
        return [(formula.predicate, *formula.args)]
    if isinstance(formula, FAnd):
        out = []
        for part in formula.parts:
            out += _positive_atoms(part)
        return out
    return []


def physical_checks(world: SimWorld, checks) -> list[CheckResult]:
    """Judge each check from the simulator's poses."""
    results = []
    for check in checks:
        kind, args = next(iter(check.items()))
        names = [args] if isinstance(args, str) else [str(a) for a in args]
        label = f"{kind} " + " ".join(names)
        if kind == "on":
            ok, detail = _is_on(world, names[0], names[1])
        elif kind == "tower":
            ok, detail = True, ""
            for below, above in zip(names[:-1], names[1:]):
                ok, detail = _is_on(world, above, below)
                if not ok:
                    break
        elif kind == "in":
            ok, detail = _is_in(world, names[0], names[1])
        elif kind == "on_table":
            ok, detail = _is_on_table(world, names[0])
        else:  # upright
            ok, detail = _is_upright(world, names[0])
        results.append(CheckResult(label, ok, detail))
    return results


def _is_on(world: SimWorld, top: str, below: str) -> tuple[bool, str]:
    (tp, _), (bp, _) = world.object_pose(top), world.object_pose(below)
    expected = (world.block_sizes[top] + world.block_sizes[below]) / 2
    dz = tp[2] - bp[2]
    dxy = math.dist(tp[:2], bp[:2])
    ok = abs(dz - expected) < POSITION_TOLERANCE and dxy < world.block_sizes[below] * 0.5
    return ok, f"height above {below} {dz * 1000:.0f} mm (want {expected * 1000:.0f}), offset {dxy * 1000:.0f} mm"


def _is_in(world: SimWorld, block: str, region: str) -> tuple[bool, str]:
    pos, _ = world.object_pose(block)
    geo = world.regions.get(region)
    if geo is None:
        return False, f"{region} is not a region"
    bottom = pos[2] - world.block_sizes[block] / 2
    ok = geo.contains_xy(pos) and abs(bottom - geo.floor_z) < POSITION_TOLERANCE
    return ok, f"at {pos[0]:.3f}, {pos[1]:.3f}, bottom {bottom * 1000:.0f} mm"


def _is_on_table(world: SimWorld, block: str) -> tuple[bool, str]:
    pos, _ = world.object_pose(block)
    bottom = pos[2] - world.block_sizes[block] / 2
    inside = [r for r, g in world.regions.items() if g.contains_xy(pos)]
    ok = abs(bottom) < POSITION_TOLERANCE and not inside
    return ok, f"bottom {bottom * 1000:.0f} mm" + (f", inside {inside[0]}" if inside else "")


def _is_upright(world: SimWorld, block: str) -> tuple[bool, str]:
    from .ground_truth import _tilt_rad

    tilt = _tilt_rad(world.object_pose(block)[1])
    return tilt < 0.15, f"tilt {math.degrees(tilt):.0f} deg"


# ---------------------------------------------------------------------- running
def _make_observer(kind: str, world: SimWorld, domain: Domain):
    if kind == "ground_truth":
        return GroundTruthObserver(world, domain)
    if kind == "perception":
        try:
            module = importlib.import_module("lam_robot.perception")
        except ImportError as exc:
            raise ScenarioError(f"observer 'perception' needs lam_robot.perception, which cannot be imported: "
                                f"{exc}") from None
        factory = getattr(module, "make_observer", None)
        if factory is None:
            raise ScenarioError("observer 'perception' needs lam_robot.perception.make_observer(world, domain), "
                                "which does not exist yet")
        return factory(world, domain)
    raise ScenarioError(f"unknown observer {kind!r}; choose ground_truth or perception")


def _translate(translate: Callable, scenario: Scenario, domain: Domain) -> tuple[str | None, str]:
    """Goal text from a translator, or (None, why it refused)."""
    result = translate(scenario.instruction, scenario.scene, domain)
    if isinstance(result, str):
        return result, ""
    status = getattr(result, "status", None)
    status_value = getattr(status, "value", status)
    goal = getattr(result, "goal_pddl", None)
    if str(status_value).lower() in ("ok", "success", "translated") and goal:
        return str(goal), ""
    reason = getattr(result, "reason", None) or getattr(result, "message", None) or f"translator: {status_value}"
    return None, str(reason)


def _snapshot(world: SimWorld) -> dict:
    snap = {b: world.object_pose(b)[0] for b in world.blocks}
    snap["__arm__"] = tuple(world.arm_joints())
    return snap


def _moved(world: SimWorld, before: dict) -> bool:
    after = _snapshot(world)
    for key, value in before.items():
        if key == "__arm__":
            if max(abs(a - b) for a, b in zip(value, after[key])) > 0.01:
                return True
        elif math.dist(value, after[key]) > STILL_TOLERANCE:
            return True
    return False


class _Recorder:
    def __init__(self, world: SimWorld, period_s: float = RECORD_PERIOD_S):
        self.frames = []
        self.period_s = period_s
        self.next_s = 0.0

    def __call__(self, world: SimWorld) -> None:
        if world.sim_time_s >= self.next_s:
            self.frames.append(world.camera_image(320, 240, eye=RECORD_EYE, target=RECORD_TARGET, fov_deg=50.0))
            self.next_s = world.sim_time_s + self.period_s

    def save(self, path: Path) -> None:
        import imageio.v2 as imageio

        path.parent.mkdir(parents=True, exist_ok=True)
        imageio.mimsave(path, self.frames, duration=self.period_s / 2, loop=0)  # plays at 2x speed


def run_scenario(scenario: Scenario, seed: int = 0, gui: bool = False, record: str | Path | None = None,
                 observer: str = "ground_truth", translate: Callable | None = None,
                 domain: Domain | None = None, planner: str = "auto",
                 motion_planner=None, undo: bool | None = None) -> ScenarioReport:
    """Build the world, execute the instruction, judge the physical result.

    Args:
        scenario: from :func:`load_scenario`.
        seed: layout seed for objects without a pose.
        gui: show the PyBullet GUI.
        record: write a GIF of the run here.
        observer: ``ground_truth`` or ``perception``.
        translate: ``(instruction, scene, domain) -> goal text or result`` (None: the file's goal).
        planner: planner name.
        motion_planner: a :class:`lam_robot.execution.motion.MotionPlanner` to reuse across runs.
        undo: undo the task afterwards and check the start state is back (None: as the file says).
    """
    if undo is not None and undo != scenario.undo:
        from dataclasses import replace

        scenario = replace(scenario, undo=undo)
    from ..execution.controller import PyBulletArmController
    from ..execution.executor import Executor
    from ..execution.motion import WORKSPACE

    domain = domain or load_domain()
    wall0 = time.perf_counter()
    report = ScenarioReport(scenario.name, seed, scenario.expect, False, False, False,
                            instruction=scenario.instruction)
    if translate is not None and scenario.instruction:
        goal, why = _translate(translate, scenario, domain)
    else:
        goal, why = scenario.goal, ""
        if goal is None:
            raise ScenarioError(f"scenario {scenario.name} has no goal; pass a translator for its instruction")
    report.goal = goal
    visual = bool(record) or gui or observer != "ground_truth"
    with SimWorld.from_scene(scenario.scene, seed=seed, gui=gui, visual=visual, layout=scenario.layout) as world:
        recorder = None
        if record:
            recorder = _Recorder(world)
            world.add_step_hook(recorder)
            recorder(world)
        before = _snapshot(world)
        sim0 = world.sim_time_s
        obs = _make_observer(observer, world, domain)
        controller = PyBulletArmController(world, workspace=WORKSPACE)
        pending = [q for q in scenario.perturbations if q.after_step is not None]
        in_step = [q for q in scenario.perturbations if q.during_step is not None]
        running: list = []  # the executor, once made

        def on_step(index: int, action: str, ex_report) -> None:
            done = len(ex_report.trace)
            for pert in [q for q in pending if q.after_step == done]:
                pending.remove(pert)
                _apply_perturbation(world, controller, pert)

        def during(w: SimWorld) -> None:
            if not in_step or not running:
                return
            ex = running[0]
            for pert in [q for q in in_step if q.during_step == ex.steps_started
                         and w.sim_time_s - ex.step_started_s >= q.after_s]:
                in_step.remove(pert)
                _apply_perturbation(world, controller, pert, settle=False)

        if in_step:
            world.add_step_hook(during)

        if goal is None:
            report.refused = True
            report.reason = why or "the translator refused the instruction"
        else:
            with Executor(obs, controller, domain, planner=planner, max_replans=scenario.max_replans,
                          on_step=on_step, motion_planner=motion_planner) as executor:
                running.append(executor)
                execution = executor.execute(goal)
                if scenario.undo and execution.success:
                    world.step(0.5)
                    before_undo = physical_checks(world, list(scenario.checks) or default_checks(
                        execution.goal, scenario.scene))
                    report.undo = executor.undo()
            report.execution = execution
            # refused by the guardrail or planner, or found impossible before anything moved
            report.refused = execution.status.value == "refused" or (
                execution.status.value == "failed" and not execution.moved)
            report.reason = execution.reason
            if execution.goal:
                report.goal = execution.goal
        world.step(0.5)  # let everything come to rest before judging
        report.moved = _moved(world, before)
        if scenario.feasible:
            checks = list(scenario.checks) or default_checks(report.goal, scenario.scene)
            report.checks = physical_checks(world, checks)
            if scenario.undo and report.undo is not None:
                restored = report.undo.success and \
                    GroundTruthObserver(world, domain).observe().state == scenario.scene.facts
                report.checks = [CheckResult(c.check + " (before the undo)", c.ok, c.detail) for c in before_undo]
                report.checks.append(CheckResult("undo restored the start state", restored, report.undo.reason))
            executed = report.execution is not None and report.execution.success
            report.success = executed and all(c.ok for c in report.checks)
            if executed and not report.success:
                report.reason = "physical check failed: " + "; ".join(
                    f"{c.check} ({c.detail})" for c in report.checks if not c.ok)
        else:
            report.checks = [CheckResult("refused", report.refused, report.reason),
                             CheckResult("no motion", not report.moved)]
            report.success = report.refused and not report.moved
        report.sim_time_s = world.sim_time_s - sim0
        if recorder is not None:
            world.remove_step_hook(recorder)
            recorder(world)
            try:
                recorder.save(Path(record))
            except (OSError, ValueError) as exc:
                raise ScenarioError(f"cannot write the recording {record}: {exc}") from None
            report.record = str(record)
            report.frames = len(recorder.frames)
    report.wall_time_s = time.perf_counter() - wall0
    return report


def _apply_perturbation(world: SimWorld, controller, pert: Perturbation, settle: bool = True) -> None:
    """Do what the script says. Mid-step (``settle=False``) it only changes commands and poses: the
    running motion keeps stepping the physics."""
    if pert.kind == "push":
        size = world.block_sizes[pert.obj]
        world.teleport_block(pert.obj, (pert.to[0], pert.to[1], size / 2 + 0.002))
        if settle:
            world.wait_settled(1.0)
    elif pert.kind == "drop":
        if settle:
            controller.set_gripper(0.04, duration_s=0.2)
            world.wait_settled(1.5)
        else:
            controller.open_fingers_now(0.04)
