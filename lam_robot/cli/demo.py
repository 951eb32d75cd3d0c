"""``lam-robot demo``: the default end-to-end demonstration, headless.

It runs the default scenario through the whole pipeline, each stage printed:

1. **voice**: the scenario's instruction spoken by espeak-ng into a WAV file
   and recognised by pocketsphinx with the scene's grammar (skipped, with a
   note, when either is missing: ``--no-voice`` skips it on purpose);
2. **translation**: the rules parser turns the words into a PDDL goal, which
   the guardrail checks and reads back as a sentence;
3. **perception**: a camera in the simulator, the shipped YOLO detector,
   lifting and grounding give the state the planner starts from and the
   executor checks every step against (``--observer ground_truth`` uses the
   simulator's own state instead; it is the fallback when ultralytics is missing);
4. **planning**: the validated plan and why each step is needed;
5. **execution**: the trace with replans, the verdict from the physics, and a
   GIF of the run (under ``runs/`` by default).
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
    demo = sub.add_parser("demo", help="run the default demonstration headless (voice -> goal -> plan -> motion)")
    demo.add_argument("--scenario", "--scene", dest="scenario", default=DEFAULT_SCENARIO,
                      help="scenario YAML (or name) with 'instruction' and 'goal'")
    demo.add_argument("--record", default=DEFAULT_GIF, help="GIF to write ('' for none)")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--observer", default=None, choices=("ground_truth", "perception"),
                      help="where the state comes from (default: perception when ultralytics is installed)")
    demo.add_argument("--no-voice", action="store_true", help="use the typed instruction, no speech")
    demo.set_defaults(func=run_demo)


def _default_observer() -> str:
    import importlib.util

    return "perception" if importlib.util.find_spec("ultralytics") is not None else "ground_truth"


def _hear(instruction: str, scene, domain, wav: Path) -> str | None:
    """Speak ``instruction`` (espeak-ng), recognise it (pocketsphinx); the words heard, or None."""
    import shutil

    if shutil.which("espeak-ng") is None:
        print("voice: skipped (espeak-ng is not installed: make apt-deps)")
        return None
    try:
        from ..language import speech

        speech.synthesize(instruction, wav)
        heard = speech.transcribe(wav, scene, domain)
    except (ImportError, LamError) as exc:
        print(f"voice: skipped ({exc})")
        return None
    print(f"voice: spoke {str(wav)!r}; heard {heard.text!r} (confidence {heard.confidence:.2f}, "
          f"{heard.source}, {heard.latency_s:.1f} s)")
    return heard.text or None


def run_demo(args) -> int:
    from ..language import translate
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
    out_dir = Path(record).parent if record else Path("runs")
    out_dir.mkdir(parents=True, exist_ok=True)
    words = scenario.instruction
    if words and not args.no_voice:
        heard = _hear(words, scene, domain, out_dir / "demo_instruction.wav")
        if heard is not None:
            if translate(heard, scene, domain).ok:
                words = heard
            else:
                print("voice: what was heard does not make a goal; going on with the typed words")
    observer = args.observer or _default_observer()
    print(f"observer: {observer}")

    def translator(text, current_scene, dom):
        result = translate(words, current_scene, dom)
        if result.ok:
            print(f"goal: {result.goal_pddl}")
            print(f"goal in words: {result.sentence}")
        else:
            print(f"{result.status}: {result.message}")
        return result

    report = run_scenario(scenario, seed=args.seed, record=record, domain=domain, observer=observer,
                          translate=translator if words else None)
    if not words and report.execution is not None and report.execution.goal:
        from ..guardrail import check_goal

        checked = check_goal(report.execution.goal, scene, domain)
        if checked.ok:
            print(f"goal in words: {goal_sentence(checked.goal, scene)}")
    print_report(report)
    if report.refused:
        return EXIT_REFUSED
    return EXIT_OK if report.success else EXIT_INTERNAL
