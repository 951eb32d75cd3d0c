"""Helpers shared by subcommands: loading the domain and scene, printing JSON."""

from __future__ import annotations

import json
import sys

from ..scene import Scene, load_scene
from ..symbolic.domain import Domain, load_domain


def add_scene_arguments(parser) -> None:
    parser.add_argument("--scene", required=True, help="scene or scenario YAML file")
    parser.add_argument("--domain", default=None, help="PDDL domain file (default: the tabletop domain)")


def load_inputs(args) -> tuple[Domain, Scene]:
    """Domain then scene, both checked; raises LamError subclasses on bad files."""
    domain = load_domain(args.domain)
    return domain, load_scene(args.scene, domain)


def print_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
