"""The scene's vocabulary: which colour, kind and name words name which objects.

:class:`_Vocabulary` is built once per instruction from the scene and shared by the parser and
the resolver; :func:`_matches` tests one object against a reference's words.
"""

from __future__ import annotations

import re

from ...scene import Scene, SceneObject

from .base import Ref
from .words import ANY_NOUNS, BLOCK_NOUNS, PLURAL_NOUNS, REGION_GENERIC, REGION_SYNONYMS


class _Vocabulary:
    """The scene's words: colours, kinds, name parts, and which objects each names."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.colors = {o.color for o in scene.objects.values() if o.color}
        self.kinds = {o.kind for o in scene.objects.values() if o.kind}
        self.names = set(scene.objects)
        self.name_parts = set()
        for name in scene.objects:
            self.name_parts.update(p for p in re.split(r"[_\-]", name) if p)
        self.noun_words = set(BLOCK_NOUNS) | set(ANY_NOUNS) | set(REGION_SYNONYMS) | set(REGION_GENERIC)
        self.noun_words |= {k for k in self.kinds} | {k + "s" for k in self.kinds}
        self.words = self.colors | self.kinds | self.name_parts | self.names | self.noun_words

    def is_name(self, token: str) -> bool:
        return token in self.names

    def is_region_ref(self, ref: Ref) -> bool:
        return bool(ref.nouns) and all(self._noun_is_region(n) for n in ref.nouns) or \
            bool(ref.names) and all(self.scene.objects[n].type == "region" for n in ref.names)

    def _noun_is_region(self, noun: str) -> bool:
        return noun in REGION_SYNONYMS or noun in REGION_GENERIC or noun in self.kinds and \
            any(o.kind == noun and o.type == "region" for o in self.scene.objects.values())


#: Words for where an object stands across the table, read from its position when its name does not say.
SIDE_ADJS = frozenset("left right middle center centre front back near far".split())


def _position(obj: SceneObject) -> tuple | None:
    """``(x, y)`` in metres in the robot's frame (x forward, y to the robot's left, REP 103), or None."""
    pos = obj.attributes.get("position")
    if isinstance(pos, (list, tuple)) and len(pos) >= 2 and all(isinstance(v, (int, float)) for v in pos[:2]):
        return float(pos[0]), float(pos[1])
    return None


def _parts(obj: SceneObject) -> set:
    return {p for p in re.split(r"[_\-]", obj.name) if p}


def _matches(obj: SceneObject, ref: Ref, vocab: _Vocabulary) -> bool:
    parts = _parts(obj)
    for name in ref.names:
        if obj.name != name:
            return False
    for color in ref.colors:
        if obj.color != color and color not in parts and not (color == "gray" and obj.color == "grey"):
            return False
    for noun in ref.nouns:
        if noun in ANY_NOUNS or noun in ("one",):
            continue
        if noun in ("block", "cube", "brick", "piece"):
            if obj.type != "block" and noun not in parts:
                return False
            if noun in vocab.kinds and obj.kind != noun and noun not in parts:
                return False  # "the cube" when some blocks are cubes and others are not
            continue
        if (noun in REGION_GENERIC or noun == "container") and noun not in vocab.kinds:
            if obj.type != "region":
                return False
            continue
        wanted = REGION_SYNONYMS.get(noun, {noun}) | {noun} | {
            kind for kind, syn in REGION_SYNONYMS.items() if noun in syn and kind not in PLURAL_NOUNS}
        if not (obj.kind in wanted or parts & wanted or obj.type == noun):
            return False
    for adj in ref.adjs:
        if adj in ("big", "large", "huge", "biggest", "largest", "small", "little", "tiny", "smallest",
                   "first", "second", "third", "top", "bottom", "upper", "lower", "stacktop", "stackbottom",
                   "stackmiddle", "instack", "isempty", "alone", "highest") or adj.startswith(("rank", "few")):
            continue  # handled as a selection over candidates
        if adj in SIDE_ADJS and adj not in parts and _position(obj) is not None:
            continue  # "the blue block on the left": chosen by where the candidates stand (resolver)
        if adj in ("middle", "center", "centre", "medium") and adj not in parts and obj.type == "block":
            continue  # "the middle green block": in the middle of a stack, or of middle size (resolver)
        if adj not in parts and obj.attributes.get("side") != adj and obj.attributes.get("label") != adj:
            return False
    return True
