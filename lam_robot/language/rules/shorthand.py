"""Terse engineer notation, rewritten to the words the parser reads.

People used to consoles type commands the way they would label a diagram: colour initials joined
by hyphens ("stack b-g-r"), a heading before a colon ("white: bowl -> plate", "load box: red_b,
white_a"), an end of a tower named by a bare position word (", base blue"). Normalising has already
turned ":" into "," and "->" into "to". Each rewrite here fires only when the scene makes its reading
certain (every initial one colour present, the place words real regions), so ordinary sentences are
never touched.
"""

from __future__ import annotations

import re

from ...scene import Scene

from .tokens import _lemma
from .words import ALL_VERBS, COLOR_WORDS, REGION_GENERIC, REGION_SYNONYMS, SEPARATORS

#: The usual one-letter colour codes (k for black, as in CMYK), preferred when several colours share an initial.
_LETTERS = {"r": "red", "g": "green", "b": "blue", "y": "yellow", "w": "white", "k": "black", "o": "orange",
            "p": "purple"}
#: Verbs that fill a place with what follows: "load box: red_b, white_a".
_FILL_VERBS = frozenset("load fill pack".split())


def _colour_initials(tokens: list[str], scene: Scene) -> list[str]:
    """``b-g-r`` -> ``blue , green , red``, and ``blue-green-red`` the same: a list of colours, in order.

    Only where each letter stands for one colour of the scene's blocks (its usual letter, as in wiring
    codes, or else the one colour with that initial) and no object is called by that letter.
    """
    colours = sorted({o.color for o in scene.objects.values() if o.type == "block" and o.color})
    names = {part for n in scene.objects for part in re.split(r"[_\-]", n)}
    out: list[str] = []
    for tok in tokens:
        parts = tok.split("-")
        if len(parts) < 2 or any(not p for p in parts):
            out.append(tok)
            continue
        words = []
        for part in parts:
            if part in COLOR_WORDS and part in colours:
                words.append(part)
                continue
            hits = [c for c in colours if c.startswith(part)] if len(part) == 1 and part not in names else []
            if _LETTERS.get(part) in hits:
                hits = [_LETTERS[part]]  # "g" is green beside grey, "b" blue beside brown
            if len(hits) != 1:
                break
            words.append(hits[0])
        if len(words) != len(parts):
            out.append(tok)
            continue
        for i, word in enumerate(words):
            out += [word] if i == 0 else [",", word]
    return out


def _end_named(tokens: list[str], scene: Scene) -> list[str]:
    """``..., base blue`` -> ``... with blue at the bottom``; ``..., top red`` -> ``... with red on top``."""
    words = set(COLOR_WORDS) | set(scene.objects)
    out = list(tokens)
    for i in range(1, len(out) - 1):
        if out[i - 1] == "," and out[i] in ("base", "bottom", "top") and out[i + 1] in words and \
                (i + 2 == len(out) or out[i + 2] in SEPARATORS):
            where = ["on", "top"] if out[i] == "top" else ["at", "the", "bottom"]
            return out[:i - 1] + ["with", out[i + 1]] + where + out[i + 2:]
    return out


def _regions(scene: Scene) -> set:
    """Words that name a region of ``scene``: its names, kinds and the usual region nouns."""
    return ({n for n, o in scene.objects.items() if o.type == "region"} | set(REGION_SYNONYMS) | REGION_GENERIC
            | {o.kind for o in scene.objects.values() if o.type == "region" and o.kind})


def _headed_move(tokens: list[str], scene: Scene) -> list[str]:
    """``white , bowl to plate`` -> ``white from bowl to plate``: a thing, then where from and where to.

    Only a verbless command of that one shape, both places regions of the scene.
    """
    regions = _regions(scene)
    if tokens.count(",") != 1 or any(_lemma(t) in ALL_VERBS for t in tokens):
        return tokens
    comma = tokens.index(",")
    rest = [t for t in tokens[comma + 1:] if t != "the"]
    if comma == 0 or len(rest) != 3 or rest[1] != "to" or rest[0] not in regions or rest[2] not in regions:
        return tokens
    return tokens[:comma] + ["from"] + tokens[comma + 1:]


def _fill_list(tokens: list[str], scene: Scene) -> list[str]:
    """``load box , red_b , white_a`` -> ``load box with red_b , white_a``: the place, then what goes in it."""
    if len(tokens) < 4 or _lemma(tokens[0]) not in _FILL_VERBS:
        return tokens
    i = 2 if tokens[1] == "the" else 1
    if tokens[i] not in _regions(scene) or i + 2 >= len(tokens) or tokens[i + 1] != ",":
        return tokens
    return tokens[:i + 1] + ["with"] + tokens[i + 2:]


def _shorthand(tokens: list[str], scene: Scene) -> list[str]:
    """Every rewrite of this module, in turn."""
    for rewrite in (_colour_initials, _end_named, _headed_move, _fill_list):
        tokens = rewrite(tokens, scene)
    return tokens
