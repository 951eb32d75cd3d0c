"""Plain-English renderings of atoms, actions and goals.

One place decides how the robot says things, so the explainer, the goal
read-back ("the red block will be on the blue block"), the status topic and
speech output all agree.
"""

from __future__ import annotations

from typing import Mapping

from .symbolic.atoms import Atom
from .symbolic.formula import Conjunction, Goal


def _name(obj: str, scene=None) -> str:
    if scene is not None and obj in getattr(scene, "objects", {}):
        return scene.objects[obj].describe()
    return obj


_ATOM_TEMPLATES: Mapping[str, tuple[str, str]] = {
    # predicate: (is-true phrasing, will-be phrasing)
    "on": ("{0} is on {1}", "{0} will be on {1}"),
    "on-table": ("{0} is on the table", "{0} will be on the table"),
    "in": ("{0} is in {1}", "{0} will be in {1}"),
    "clear": ("{0} is clear", "nothing will be on {0}"),
    "holding": ("the gripper holds {0}", "the gripper will hold {0}"),
    "handempty": ("the gripper is free", "the gripper will be free"),
}

_NEGATED_TEMPLATES: Mapping[str, str] = {
    "on": "{0} will not be on {1}",
    "on-table": "{0} will not be on the table",
    "in": "{0} will not be in {1}",
    "clear": "something will be on {0}",
    "holding": "the gripper will not hold {0}",
    "handempty": "the gripper will hold something",
}

_ACTION_TEMPLATES: Mapping[str, str] = {
    "pick-from-table": "pick up {0} from the table",
    "pick-from-block": "unstack {0} from {1}",
    "pick-from-region": "take {0} out of {1}",
    "place-on-table": "put {0} down on the table",
    "place-on-block": "stack {0} on {1}",
    "place-in-region": "put {0} into {1}",
}


def atom_phrase(atom: Atom, scene=None, future: bool = False) -> str:
    """``(on red blue)`` -> ``red is on blue`` (or ``... will be on ...``)."""
    names = [_name(a, scene) for a in atom.args]
    templates = _ATOM_TEMPLATES.get(atom.predicate)
    if templates is None:
        return str(atom)
    return templates[1 if future else 0].format(*names)


def negated_phrase(atom: Atom, scene=None) -> str:
    names = [_name(a, scene) for a in atom.args]
    template = _NEGATED_TEMPLATES.get(atom.predicate)
    return template.format(*names) if template else f"not {atom}"


def action_phrase(action, scene=None) -> str:
    """``(place-on-block red blue)`` -> ``stack red on blue``."""
    names = [_name(a, scene) for a in action.args]
    template = _ACTION_TEMPLATES.get(action.name)
    return template.format(*names) if template else str(action)


def join_phrases(phrases: list[str]) -> str:
    if not phrases:
        return ""
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def conjunction_sentence(conj: Conjunction, scene=None) -> str:
    phrases = [atom_phrase(a, scene, future=True) for a in sorted(conj.positive)
               if a.predicate not in ("handempty", "clear") or len(conj.positive) == 1]
    phrases += [negated_phrase(a, scene) for a in sorted(conj.negative)]
    if not phrases:
        phrases = [atom_phrase(a, scene, future=True) for a in sorted(conj.positive)]
    return join_phrases(phrases) or "nothing needs to change"


def goal_sentence(goal: Goal, scene=None) -> str:
    """Read a checked goal back to the person before the arm moves.

    Example:
        ``(and (on red blue))`` -> ``The red block will be on the blue block.``
    """
    if goal.is_conjunctive:
        text = conjunction_sentence(goal.alternatives[0], scene)
    else:
        text = "either " + " or ".join(conjunction_sentence(c, scene) for c in goal.alternatives)
    return text[:1].upper() + text[1:] + "."
