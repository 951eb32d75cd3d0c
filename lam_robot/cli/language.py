"""``lam-robot translate``, ``lam-robot listen`` and ``lam-robot do``: language from a shell.

* ``translate --scene S.yaml "INSTRUCTION" [--backend rules|llama|openai] [--json]``
  prints ``{"status": "ok"|"refused"|"clarify", "goal": ..., "reason": ..., "question": ...}``;
  exit 0 for ok, 2 otherwise.
* ``listen --scene S.yaml FILE.wav [--json] [--translate]``: what pocketsphinx heard.
* ``do --scene SCENARIO.yaml ("INSTRUCTION" | --audio FILE.wav)``: voice or text to
  executed motion in the simulator, with the read-back and the explanation.
"""

from __future__ import annotations

import dataclasses
import sys

from ..errors import LamError
from . import EXIT_OK, EXIT_REFUSED
from .common import add_scene_arguments, load_inputs, print_json


def register(sub) -> None:
    tr = sub.add_parser("translate", help="instruction -> checked goal, refusal or clarifying question")
    add_scene_arguments(tr)
    tr.add_argument("instruction", help='e.g. "put the red block on the blue one"')
    _add_backend_arguments(tr)
    tr.add_argument("--json", action="store_true", help="print one JSON object")
    tr.add_argument("--say", action="store_true", help="speak the read-back, refusal or question (espeak-ng)")
    tr.set_defaults(func=run_translate)

    ls = sub.add_parser("listen", help="speech (WAV file or microphone) -> text with the scene grammar")
    add_scene_arguments(ls)
    ls.add_argument("audio", nargs="?", help="WAV file (omit with --mic)")
    ls.add_argument("--mic", type=float, default=None, metavar="SECONDS", help="record from the microphone")
    ls.add_argument("--engine", default="pocketsphinx", help="speech engine (pocketsphinx, faster-whisper)")
    ls.add_argument("--model-path", default=None, help="model directory for engines that need one")
    ls.add_argument("--no-grammar", action="store_true", help="language model only")
    ls.add_argument("--translate", action="store_true", help="also translate what was heard")
    _add_backend_arguments(ls)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_listen)

    do = sub.add_parser("do", help="voice or text -> checked goal -> executed motion in the simulator")
    do.add_argument("--scene", required=True, help="scenario (or scene) YAML, a path or a name in sim/scenarios")
    do.add_argument("--domain", default=None, help="PDDL domain file (default: the tabletop domain)")
    do.add_argument("instruction", nargs="?", default=None, help="what to do (default: the scenario's own)")
    do.add_argument("--audio", default=None, help="spoken instruction as a WAV file")
    _add_backend_arguments(do)
    do.add_argument("--seed", type=int, default=0)
    do.add_argument("--gui", action="store_true")
    do.add_argument("--record", default=None, help="write a GIF of the run here")
    do.add_argument("--observer", default="ground_truth", choices=("ground_truth", "perception"))
    do.add_argument("--say", action="store_true", help="speak the read-back or refusal (espeak-ng)")
    do.add_argument("--json", action="store_true")
    do.set_defaults(func=run_do)


def _add_backend_arguments(parser) -> None:
    parser.add_argument("--backend", default="rules", choices=("rules", "llama", "openai"),
                        help="translator; model backends run behind the rule parser unless --no-cascade")
    parser.add_argument("--no-cascade", action="store_true", help="ask the model directly")
    parser.add_argument("--model", default=None, help="llama: GGUF path; openai: model name")
    parser.add_argument("--base-url", default=None, help="openai: endpoint, e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--max-repairs", type=int, default=2, help="model answers sent back after a rejection")


def make_translator(args):
    """The translator the arguments ask for (models are loaded lazily, on first use)."""
    from ..language import get_translator

    options: dict = {}
    if args.backend == "llama":
        options = {"model_path": args.model, "max_repairs": args.max_repairs}
    elif args.backend == "openai":
        options = {"base_url": args.base_url, "model": args.model, "max_repairs": args.max_repairs}
    return get_translator(args.backend, cascade=not args.no_cascade, **options)


def _say(text: str) -> None:
    from ..language.speech import speak

    try:
        speak(text)
    except LamError as exc:
        print(f"(not spoken: {exc})", file=sys.stderr)


def _print_result(result) -> None:
    if result.ok:
        print(f"ok: {result.goal_pddl}\n    {result.sentence}")
    elif result.status == "clarify":
        print(f"clarify: {result.question}")
    else:
        print(f"refused: {result.reason}")


def _bad_input(args, exc: LamError) -> int:
    if getattr(args, "json", False):
        print_json({"status": "refused", "goal": None, "reason": str(exc), "question": None,
                    "error_code": "bad_input"})
    else:
        print(f"refused: {exc}")
    return EXIT_REFUSED


def run_translate(args) -> int:
    try:
        domain, scene = load_inputs(args)
        translator = make_translator(args)
    except LamError as exc:
        return _bad_input(args, exc)
    result = translator.translate(args.instruction, scene, domain)
    if args.json:
        print_json(result.to_dict())
    else:
        _print_result(result)
    if args.say:
        _say(result.message)
    return EXIT_OK if result.ok else EXIT_REFUSED


def run_listen(args) -> int:
    from ..language import speech

    try:
        domain, scene = load_inputs(args)
        engine = speech.get_engine(args.engine, **({"use_grammar": False} if args.no_grammar else {}),
                                   **({"model_path": args.model_path} if args.model_path else {}))
        if args.mic is not None:
            transcript = speech.transcribe(speech.record_microphone(args.mic), scene, domain, engine=engine)
        elif args.audio:
            transcript = speech.transcribe(args.audio, scene, domain, engine=engine)
        else:
            raise LamError("give a WAV file or --mic SECONDS")
    except LamError as exc:
        return _bad_input(args, exc)
    data = {"transcript": transcript.to_dict(), "status": "ok" if transcript.text else "refused"}
    result = None
    if args.translate and transcript.text:
        try:
            result = make_translator(args).translate(transcript.text, scene, domain)
        except LamError as exc:
            return _bad_input(args, exc)
        data.update(result.to_dict())
        data["transcript"] = transcript.to_dict()
    if args.json:
        print_json(data)
    else:
        if transcript.text:
            source = "grammar" if transcript.used_grammar else "language model"
            print(f"heard: {transcript.text}  (confidence {transcript.confidence:.2f}, {source})")
        else:
            print(f"heard nothing: {transcript.reason}")
        if result is not None:
            _print_result(result)
    if not transcript.text:
        return EXIT_REFUSED
    return EXIT_OK if result is None or result.ok else EXIT_REFUSED


def run_do(args) -> int:
    try:
        from ..sim.scenario import load_scenario, resolve_scenario_path, run_scenario
    except ImportError as exc:  # the simulator extras are not installed
        return _bad_input(args, LamError(f"the simulator is unavailable: {exc}"))
    from ..symbolic.domain import load_domain

    try:
        domain = load_domain(args.domain)
        brings_task = args.instruction is not None or bool(args.audio)
        scenario = load_scenario(resolve_scenario_path(args.scene), domain, needs_task=not brings_task)
        translator = make_translator(args)
        heard = None
        instruction = args.instruction
        if args.audio:
            from ..language import speech

            heard = speech.transcribe(args.audio, scenario.scene, domain)
            if not heard.text:
                raise LamError(f"nothing was recognised in {args.audio}: {heard.reason}")
            instruction = heard.text
        elif instruction is None and scenario.audio:
            from ..language import speech

            heard = speech.transcribe(scenario.audio, scenario.scene, domain)
            instruction = heard.text
        instruction = instruction if instruction is not None else scenario.instruction
        if not instruction:
            raise LamError("no instruction: give one, --audio FILE.wav, or a scenario with an instruction")
    except LamError as exc:
        return _bad_input(args, exc)
    if instruction != scenario.instruction:  # the file's checks belong to the file's instruction
        scenario = dataclasses.replace(scenario, instruction=instruction, checks=(), expect="feasible",
                                       undo=False)
    results = []

    def translate(text, scene, dom):
        result = translator.translate(text, scene, dom)
        results.append(result)
        if not args.json:
            if heard is not None:
                print(f"heard: {heard.text}  (confidence {heard.confidence:.2f})")
            _print_result(result)
        if args.say:
            _say(result.message)
        return result

    try:
        report = run_scenario(scenario, seed=args.seed, gui=args.gui, record=args.record,
                              observer=args.observer, translate=translate, domain=domain)
    except LamError as exc:
        return _bad_input(args, exc)
    translation = results[-1] if results else None
    if args.json:
        data = report.to_dict()
        data["translation"] = translation.to_dict() if translation else None
        data["transcript"] = heard.to_dict() if heard else None
        print_json(data)
    else:
        if report.refused or not (translation and translation.ok):
            print(f"no motion: {report.reason or (translation.message if translation else 'refused')}")
        else:
            print(f"executed {report.steps} step(s), {report.replans} replan(s), "
                  f"{'success' if report.success else 'FAILED'}")
            for step in report.to_dict().get("explanation", []):
                print(f"  - {step if isinstance(step, str) else step.get('sentence', step)}")
            for check in report.checks:
                print(f"  check {check.check}: {'ok' if check.ok else 'FAILED'} {check.detail}")
    ok = bool(translation and translation.ok and report.success)
    return EXIT_OK if ok else EXIT_REFUSED
