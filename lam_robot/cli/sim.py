"""``lam-robot sim run|suite|list``: scenarios in the PyBullet simulation."""

from __future__ import annotations

import sys
import time

from ..errors import LamError
from ..symbolic.domain import load_domain
from . import EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED
from .common import print_json


def register(sub) -> None:
    sim = sub.add_parser("sim", help="run scenarios in the PyBullet simulation")
    sim_sub = sim.add_subparsers(dest="sim_command", metavar="SUBCOMMAND")

    run = sim_sub.add_parser("run", help="run one scenario end to end")
    run.add_argument("scenario", help="scenario YAML file or name (e.g. tower3)")
    run.add_argument("--seed", type=int, default=0, help="layout seed")
    run.add_argument("--gui", action="store_true", help="show the PyBullet GUI")
    run.add_argument("--record", metavar="OUT.gif", default=None, help="write a GIF of the run")
    run.add_argument("--observer", default="ground_truth", choices=("ground_truth", "perception"))
    run.add_argument("--planner", default="auto")
    run.add_argument("--translator", default=None,
                     help="translate the instruction with this backend (e.g. rules); default: the file's goal")
    run.add_argument("--undo", action="store_true",
                     help="afterwards, put everything back (undo) and check the start state on the physics")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(func=run_one)

    suite = sim_sub.add_parser("suite", help="run every scenario and print a summary table")
    suite.add_argument("--seeds", type=int, default=1, help="seeds per scenario (0..N-1)")
    suite.add_argument("--only", default=None, help="run scenarios whose name contains this")
    suite.add_argument("--translator", default=None, help="translate instructions with this backend")
    suite.add_argument("--observer", default="ground_truth", choices=("ground_truth", "perception"))
    suite.add_argument("--perception", dest="observer", action="store_const", const="perception",
                       help="perception in the loop (same as --observer perception)")
    suite.add_argument("--json", action="store_true")
    suite.set_defaults(func=run_suite)

    lst = sim_sub.add_parser("list", help="list the shipped scenarios")
    lst.set_defaults(func=run_list)
    sim.set_defaults(func=lambda args: (sim.print_help(), EXIT_REFUSED)[1])


def print_report(report, out=None) -> None:
    """The human-readable account of one scenario run."""
    w = (out or sys.stdout).write
    w(f"scenario {report.scenario} (seed {report.seed}, expect {report.expect})\n")
    if report.instruction:
        w(f"instruction: {report.instruction!r}\n")
    w(f"goal: {report.goal}\n")
    ex = report.execution
    if ex is not None and ex.plan:
        w(f"plan ({len(ex.plan)} steps, validated); why each step:\n")
        for i, sentence in enumerate(ex.explanation):
            w(f"  {i + 1}. {sentence}\n")
    if ex is not None and ex.trace:
        w("execution trace:\n")
        for entry in ex.trace:
            mark = "ok " if entry.ok else "FAIL"
            skills = ", ".join(f"{s.skill} {s.sim_time_s:.1f}s" + ("" if s.ok else f" [{s.status.value}]")
                               for s in entry.skills)
            w(f"  [{mark}] {entry.action:32s} {skills}" + (f"  <- {entry.note}" if entry.note else "") + "\n")
    if ex is not None:
        for r in ex.replans:
            w(f"replan before step {r.at_step + 1}: {r.cause}\n")
            if r.plan:
                w(f"  new plan: {' '.join(r.plan)}\n")
    undo = getattr(report, "undo", None)
    if undo is not None:
        w(f"undo (\"put it back\"): goal {undo.goal}; {undo.status.value}" +
          (f" ({undo.reason})" if undo.reason else "") + "\n")
        for entry in undo.trace:
            note = f"  <- {entry.note}" if entry.note else ""
            w(f"  [{'ok ' if entry.ok else 'FAIL'}] {entry.action}{note}\n")
    for c in report.checks:
        w(f"check {'ok  ' if c.ok else 'FAIL'} {c.check}" + (f" ({c.detail})" if c.detail else "") + "\n")
    verdict = "SUCCESS" if report.success else "FAILURE"
    extra = f": {report.reason}" if report.reason else ""
    w(f"verdict: {verdict}{extra}\n")
    speed = report.sim_time_s / report.wall_time_s if report.wall_time_s else 0.0
    w(f"steps {report.steps}, replans {report.replans}, sim {report.sim_time_s:.1f} s, "
      f"wall {report.wall_time_s:.1f} s ({speed:.0f}x real time)" +
      (f", recorded {report.frames} frames to {report.record}" if report.record else "") + "\n")


def make_translate(name: str | None):
    """A ``translate(instruction, scene, domain)`` callable for a translator backend name, or None."""
    if not name:
        return None
    try:
        from ..language import get_translator
    except ImportError as exc:
        raise LamError(f"translator {name!r} needs lam_robot.language: {exc}") from None
    translator = get_translator(name)
    return translator.translate


def run_one(args) -> int:
    from ..sim.scenario import load_scenario, run_scenario

    try:
        domain = load_domain()
        scenario = load_scenario(args.scenario, domain)
        report = run_scenario(scenario, seed=args.seed, gui=args.gui, record=args.record,
                              observer=args.observer, domain=domain, planner=args.planner,
                              translate=make_translate(args.translator), undo=True if args.undo else None)
    except LamError as exc:
        if args.json:
            print_json({"success": False, "error": str(exc)})
        else:
            print(f"error: {exc}")
        return EXIT_REFUSED
    if args.json:
        print_json(report.to_dict())
    else:
        print_report(report)
    return EXIT_OK if report.success else EXIT_INTERNAL


def run_suite(args) -> int:
    from tqdm import tqdm

    from ..sim.scenario import list_scenarios, load_scenario, run_scenario

    domain = load_domain()
    paths = [p for p in list_scenarios() if not args.only or args.only in p.stem]
    if not paths:
        print("error: no scenarios found")
        return EXIT_REFUSED
    if args.seeds < 1:
        print("error: --seeds must be at least 1")
        return EXIT_REFUSED
    rows = []
    wall0 = time.perf_counter()
    try:
        translate = make_translate(args.translator)
    except LamError as exc:
        print(f"error: {exc}")
        return EXIT_REFUSED
    from ..execution.motion import MotionPlanner

    motion_planner = MotionPlanner()
    jobs = [(p, s) for p in paths for s in range(args.seeds)]
    for path, seed in tqdm(jobs, desc="scenarios", unit="run", file=sys.stderr, disable=None):
        try:
            scenario = load_scenario(path, domain)
            report = run_scenario(scenario, seed=seed, domain=domain, translate=translate,
                                  motion_planner=motion_planner, observer=args.observer)
            rows.append(report.to_dict())
        except LamError as exc:
            rows.append({"scenario": path.stem, "seed": seed, "success": False, "error": str(exc),
                         "steps": 0, "replans": 0, "sim_time_s": 0.0, "wall_time_s": 0.0})
    motion_planner.close()
    ok = sum(r["success"] for r in rows)
    summary = {"runs": len(rows), "succeeded": ok, "success_rate": ok / len(rows),
               "sim_time_s": round(sum(r["sim_time_s"] for r in rows), 2),
               "wall_time_s": round(time.perf_counter() - wall0, 2)}
    if args.json:
        print_json({"summary": summary, "runs": [
            {k: r.get(k) for k in ("scenario", "seed", "expect", "success", "steps", "replans", "sim_time_s",
                                   "wall_time_s", "reason", "error")} for r in rows]})
    else:
        print(f"{'scenario':24s} {'seed':>4s} {'expect':9s} {'result':7s} {'steps':>5s} {'replans':>7s} "
              f"{'sim s':>7s} {'wall s':>7s}")
        for r in rows:
            print(f"{r['scenario']:24s} {r['seed']:4d} {str(r.get('expect', '?')):9s} "
                  f"{'ok' if r['success'] else 'FAIL':7s} {r['steps']:5d} {r['replans']:7d} "
                  f"{r['sim_time_s']:7.1f} {r['wall_time_s']:7.1f}")
            if not r["success"]:
                print(f"    {r.get('reason') or r.get('error')}")
        speed = summary["sim_time_s"] / summary["wall_time_s"] if summary["wall_time_s"] else 0
        print(f"{ok}/{len(rows)} succeeded; sim {summary['sim_time_s']:.0f} s in wall "
              f"{summary['wall_time_s']:.0f} s ({speed:.0f}x real time)")
    return EXIT_OK if ok == len(rows) else EXIT_INTERNAL


def run_list(args) -> int:
    from ..sim.scenario import list_scenarios, load_scenario

    domain = load_domain()
    for path in list_scenarios():
        try:
            sc = load_scenario(path, domain)
            print(f"{path.stem:24s} {sc.expect:9s} {sc.description}")
        except LamError as exc:
            print(f"{path.stem:24s} BROKEN    {exc}")
    return EXIT_OK
