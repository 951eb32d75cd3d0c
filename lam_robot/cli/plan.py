"""``lam-robot plan`` and ``lam-robot check-goal``: the symbolic core from a shell."""

from __future__ import annotations

from ..errors import LamError
from ..guardrail import check_goal
from ..planning import DEFAULT_TIMEOUT_S, PLANNER_NAMES, plan_request
from ..verbalize import goal_sentence
from . import EXIT_OK, EXIT_REFUSED
from .common import add_scene_arguments, load_inputs, print_json


def register(sub) -> None:
    plan = sub.add_parser("plan", help="check a goal, plan, validate and explain")
    add_scene_arguments(plan)
    plan.add_argument("--goal", required=True, help='PDDL goal, e.g. "(and (on red blue))"')
    plan.add_argument("--planner", default="auto", choices=PLANNER_NAMES)
    plan.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds")
    plan.add_argument("--json", action="store_true", help="print one JSON object")
    plan.set_defaults(func=run_plan)

    check = sub.add_parser("check-goal", help="run the guardrail alone")
    add_scene_arguments(check)
    check.add_argument("--goal", required=True)
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=run_check)


def _bad_input(args, exc: LamError) -> int:
    error = {"code": "bad_input", "atom": None, "message": str(exc)}
    if args.json:
        print_json({"status": "refused", "plan": [], "explanation": [], "error": error})
    else:
        print(f"refused: {exc}")
    return EXIT_REFUSED


def run_plan(args) -> int:
    try:
        domain, scene = load_inputs(args)
    except LamError as exc:
        return _bad_input(args, exc)
    result = plan_request(args.goal, scene, domain, args.planner, args.timeout)
    if args.json:
        data = result.to_dict()
        data["goal_sentence"] = goal_sentence(result.goal, scene) if result.goal else None
        if not result.ok and data["error"] is None:
            data["error"] = {"code": result.status.value, "atom": None, "message": result.reason}
        print_json(data)
        return EXIT_OK if result.ok else EXIT_REFUSED
    if not result.ok:
        print(f"refused: {result.reason}")
        return EXIT_REFUSED
    print(f"goal: {result.goal.to_pddl()}")
    print(f"      {goal_sentence(result.goal, scene)}")
    print(f"plan ({len(result.plan)} steps, {result.planner}, {result.time_s:.3f} s, validated):")
    for step in result.explanation:
        print(f"  {step.index + 1:3d}. {step.action}")
        print(f"       {step.sentence}")
    return EXIT_OK


def run_check(args) -> int:
    try:
        domain, scene = load_inputs(args)
    except LamError as exc:
        return _bad_input(args, exc)
    checked = check_goal(args.goal, scene, domain)
    if args.json:
        data = checked.to_dict()
        data["goal_sentence"] = goal_sentence(checked.goal, scene) if checked.ok else None
        print_json(data)
    elif checked.ok:
        print(f"ok: {checked.goal.to_pddl()}\n    {goal_sentence(checked.goal, scene)}")
    else:
        print(f"refused [{checked.error.code.value}]: {checked.error.message}")
    return EXIT_OK if checked.ok else EXIT_REFUSED
