"""``lam-robot demo``: the default end-to-end demonstration, headless.

It shows as much of the pipeline as is built: the default scene's
instruction, its checked goal read back as a sentence, the validated plan
and why each step is needed.
"""

from __future__ import annotations

import yaml

from ..planning import plan_request
from ..resources import find_resource
from ..scene import load_scene
from ..symbolic.domain import load_domain
from ..verbalize import goal_sentence
from . import EXIT_OK, EXIT_REFUSED

DEFAULT_SCENE = "sim/scenes/tower3.yaml"


def register(sub) -> None:
    demo = sub.add_parser("demo", help="run the default demonstration headless")
    demo.add_argument("--scene", default=DEFAULT_SCENE, help="scene YAML with 'instruction' and 'goal'")
    demo.set_defaults(func=run_demo)


def run_demo(args) -> int:
    path = find_resource(args.scene)
    domain = load_domain()
    scene = load_scene(path, domain)
    spec = yaml.safe_load(path.read_text())
    print(f"scene {scene.name}: " + ", ".join(o.describe() for o in scene.objects.values()))
    print("state: " + " ".join(str(a) for a in sorted(scene.facts)))
    print(f"instruction: {spec.get('instruction', '(none)')!r}")
    result = plan_request(spec["goal"], scene, domain)
    if not result.ok:
        print(f"refused: {result.reason}")
        return EXIT_REFUSED
    print(f"goal: {result.goal.to_pddl()}  -> {goal_sentence(result.goal, scene)}")
    print(f"plan: {len(result.plan)} steps from {result.planner}, validated; why each step:")
    for step in result.explanation:
        print(f"  {step.index + 1}. {step.sentence}")
    return EXIT_OK
