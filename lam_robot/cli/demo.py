"""``lam-robot demo``: the default end-to-end demonstration, headless.

It runs the default scenario in the PyBullet simulation: the instruction,
its checked goal read back as a sentence, the validated plan and why each
step is needed, the execution trace with replans, the verdict from the
physics, and a GIF of the run (under ``runs/`` by default).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import LamError
from ..symbolic.domain import load_domain
from ..verbalize import goal_sentence
from . import EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED

DEFAULT_SCENARIO = "sim/scenarios/tower3.yaml"
DEFAULT_GIF = "runs/demo.gif"


def register(sub) -> None:
    demo = sub.add_parser("demo", help="run the default demonstration headless")
    demo.add_argument("--scenario", "--scene", dest="scenario", default=DEFAULT_SCENARIO,
                      help="scenario YAML (or name) with 'instruction' and 'goal'")
    demo.add_argument("--record", default=DEFAULT_GIF, help="GIF to write ('' for none)")
    demo.add_argument("--seed", type=int, default=0)
    demo.set_defaults(func=run_demo)


def run_demo(args) -> int:
    from ..sim.scenario import load_scenario, run_scenario  # PyBullet loads only when a demo runs
    from .sim import print_report

    domain = load_domain()
    try:
        scenario = load_scenario(args.scenario, domain)
    except LamError as exc:
        print(f"refused: {exc}")
        return EXIT_REFUSED
    scene = scenario.scene
    print(f"scene {scene.name}: " + ", ".join(o.describe() for o in scene.objects.values()))
    print("state: " + " ".join(str(a) for a in sorted(scene.facts)))
    record = args.record or None
    if record:
        Path(record).parent.mkdir(parents=True, exist_ok=True)
    report = run_scenario(scenario, seed=args.seed, record=record, domain=domain)
    if report.execution is not None and report.execution.goal:
        from ..guardrail import check_goal

        checked = check_goal(report.execution.goal, scene, domain)
        if checked.ok:
            print(f"goal in words: {goal_sentence(checked.goal, scene)}")
    print_report(report)
    if report.refused:
        return EXIT_REFUSED
    return EXIT_OK if report.success else EXIT_INTERNAL
