"""PDDL problem text from a symbolic state: what external planners read."""

from __future__ import annotations

from typing import Mapping


def problem_pddl(objects: Mapping[str, str], state, goal_pddl: str,
                 domain_name: str = "tabletop", name: str = "task") -> str:
    """Render a problem.

    Args:
        objects: object name -> PDDL type.
        state: the true atoms (closed world: everything else is false).
        goal_pddl: the goal formula as PDDL text.
    """
    by_type: dict[str, list[str]] = {}
    for obj, obj_type in objects.items():
        by_type.setdefault(obj_type, []).append(obj)
    decl = " ".join(" ".join(names) + f" - {t}" for t, names in by_type.items())
    init = " ".join(str(a) for a in sorted(state))
    return (f"(define (problem {name}) (:domain {domain_name})\n"
            f"  (:objects {decl})\n  (:init {init})\n  (:goal {goal_pddl}))\n")
