"""Token rewrites to the parser's canonical word order before clauses are read.

Tag questions are dropped, passives turned active ("the red block should be put ..."), verbless
pairs and appositions split, possessives ("the tray's block") turned into locatives, and a second
verb with no object given "it".
"""

from __future__ import annotations

from ...scene import Scene

from .base import _singular
from .repairs import _LINKS
from .tokens import _lemma
from .words import (
    ADJ_WORDS, ALL_VERBS, ANY_NOUNS, BLOCK_NOUNS, COLOR_WORDS, FILLER_WORDS, PLACE_VERBS, PLURAL_NOUNS,
    REGION_GENERIC, REGION_SYNONYMS, SEPARATORS, TOWER_NOUNS,
)


#: Tags said mid-utterance, between two pauses ("you've got the pink one there, haven't you? Just pop it ...").
MID_TAGS = (("have", "not", "you"), ("do", "not", "you"), ("is", "not", "it"), ("are", "not", "you"),
            ("will", "you"), ("would", "you"), ("could", "you"), ("can", "you"), ("right",), ("ok",), ("okay",))


def _drop_mid_tags(tokens: list[str]) -> list[str]:
    """``..., haven't you, just pop it in the basket``: a tag question between pauses says nothing."""
    out = list(tokens)
    for tag in MID_TAGS:
        n = len(tag)
        i = 1
        while i + n < len(out):
            if out[i - 1] == "," and tuple(out[i:i + n]) == tag and out[i + n] == ",":
                out = out[:i] + out[i + n + 1:]
                continue
            i += 1
    return out


TAG_QUESTIONS = (("and", "that", "it"), ("and", "that", "all"), ("that", "it"), ("that", "all"),
                 ("would", "you"), ("could", "you"), ("can", "you"), ("will", "you"), ("ok",), ("okay",),
                 ("please",), ("thanks",), ("thank", "you"), ("right",), ("alright",), ("yes",))


def _strip_tags(tokens: list[str]) -> list[str]:
    """Drop trailing tag questions and courtesies: "..., would you?" "..., thanks"."""
    changed = True
    while changed and tokens:
        changed = False
        while tokens and tokens[-1] == ",":
            tokens = tokens[:-1]
            changed = True
        for tag in TAG_QUESTIONS:
            n = len(tag)
            if len(tokens) > n and tuple(tokens[-n:]) == tag and tokens[-n - 1] == ",":
                tokens = tokens[:-n - 1]
                changed = True
            elif len(tokens) > n + 2 and tuple(tokens[-n:]) == tag and tag[0] in ("and", "ok", "okay", "please",
                                                                                  "thanks"):
                tokens = tokens[:-n]  # "... in the bin and that's it", "... in the bin ok"
                changed = True
    return tokens


#: Passive participles and the verbs they are read back to: "could the tower be turned upside down".
PARTICIPLES = {
    "put": "put", "placed": "place", "moved": "move", "set": "set", "taken": "take", "stacked": "stack",
    "dropped": "drop", "turned": "turn", "flipped": "flip", "lifted": "lift", "picked": "pick", "removed": "remove",
    "cleared": "clear", "emptied": "empty", "carried": "carry", "brought": "bring", "transferred": "transfer",
    "shifted": "shift", "reversed": "reverse", "inverted": "invert", "swapped": "swap", "grabbed": "grab",
    "unstacked": "unstack", "laid": "lay", "raised": "raise", "released": "release", "relocated": "relocate",
    "returned": "return", "inserted": "insert", "positioned": "position", "rebuilt": "rebuild",
}
_PASSIVE_AUX = frozenset("be is are to has have needs need should must can could will would get gets ought".split())
_SUBJECT_STOP = frozenset("""sure that want like need wish can could would will should must if so i you we please
make ensure""".split()) | SEPARATORS


def _active_voice(tokens: list[str]) -> list[str]:
    """``the green block is to be taken off the red one and put in the bowl`` -> ``take the green block off
    the red one and put it in the bowl``: a passive read as the command it describes.

    The subject is the words before the auxiliaries back to a clause boundary or a modal ("can the
    wooden cube be placed on ..."); a second participle joined by "and" gets "it" for its object.
    """
    for k in range(2, len(tokens)):
        if tokens[k] in PARTICIPLES and tokens[k - 1] in ("be", "is", "are", "get", "gets"):
            break
    else:
        return tokens
    aux = k - 1
    while aux > 0 and tokens[aux - 1] in _PASSIVE_AUX:
        aux -= 1
    begin = aux
    while begin > 0 and tokens[begin - 1] not in _SUBJECT_STOP and _lemma(tokens[begin - 1]) not in ALL_VERBS:
        begin -= 1
    if begin == aux:
        return tokens
    head = tokens[:begin]
    while head and head[-1] in _SUBJECT_STOP - SEPARATORS:
        head = head[:-1]
    rest = tokens[k + 1:]
    for j in range(len(rest) - 1):
        if rest[j] in ("and", "andthen", "then") and rest[j + 1] in PARTICIPLES and \
                j + 2 < len(rest) and rest[j + 2] in ("in", "on", "to", "under", "down", "back"):
            rest = rest[:j + 1] + [PARTICIPLES[rest[j + 1]], "it"] + rest[j + 2:]
    return head + [PARTICIPLES[tokens[k]]] + tokens[begin:aux] + rest


def _split_verbless(tokens: list[str]) -> list[str]:
    """``lime in bin brick in bowl`` -> ``lime in bin , brick in bowl``: verbless goals listed without commas.

    With no verb at all, a second "X in/on Y" after a first one starts a new goal; its subject is
    the word before the preposition with the colours, sizes and determiner said before it.
    """
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS for t in tokens):
        return tokens
    preps = [i for i, t in enumerate(tokens) if t in ("in", "on", "to")]
    out = list(tokens)
    for first, second in reversed(list(zip(preps, preps[1:]))):
        if set(tokens[first + 1:second]) & {",", "and", "then", "andthen"} or second - first < 3:
            continue
        k = second - 1
        while k - 1 > first + 1 and tokens[k - 1] in COLOR_WORDS | ADJ_WORDS | {"the", "a", "an"}:
            k -= 1
        out = out[:k] + [","] + out[k:]
    return out


def _verbless_pair(tokens: list[str]) -> list[str]:
    """``dark block, right bin``, ``white block green bowl`` -> ``... in ...``: a thing and then a place.

    Only with no verb and no preposition at all, and when the thing has a noun (block, cube, one);
    it ends at that noun or at a comma.
    """
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS or t in _LINKS - {","} for t in tokens):
        return tokens
    if "," in tokens:
        cut = tokens.index(",")
        left, right = tokens[:cut], tokens[cut + 1:]
    else:
        cut = next((i for i, t in enumerate(tokens) if t in BLOCK_NOUNS | {"one"}), None)
        if cut is None:
            return tokens
        left, right = tokens[:cut + 1], tokens[cut + 1:]
    while right and (right[-1] in FILLER_WORDS - ADJ_WORDS or right[-1] == ","):  # "green bowl please", "box. now."
        right = right[:-1]
    if not set(left) & (BLOCK_NOUNS | ANY_NOUNS) or not right or "," in right or all(t in COLOR_WORDS for t in right):
        return tokens  # "red green" names no thing and no place
    return left + ["in"] + ([] if right[0] in ("the", "a", "an", "my", "your") else ["the"]) + right


def _drop_apposition(tokens: list[str]) -> list[str]:
    """``put the blue block, the one at the very top, into the bin``: an aside that renames the thing just
    said, set off by commas and opening with "the", is passed over (the name before it already says which).
    """
    out = list(tokens)
    for i in range(len(tokens) - 2, 0, -1):
        if out[i] != "," or i + 2 >= len(out) or out[i - 1] not in BLOCK_NOUNS | {"one"}:
            continue
        relative = out[i + 1] == "that" and out[i + 2] in ("in", "on", "at", "under", "sitting", "sits", "lying", "the")
        if out[i + 1] != "the" and not relative:
            continue  # ", the one at the very top," or ", which is in the middle of the tower,"
        end = next((j for j in range(i + 2, len(out)) if out[j] == ","), None)
        if end is None or end - i > 10 or not relative and not set(out[i + 2:end]) & (BLOCK_NOUNS | {"one"}) or any(
                _lemma(t) in ALL_VERBS | PLACE_VERBS for t in out[i + 2:end]):
            continue
        out = out[:i] + out[end + 1:]
    return out


def _verbless_pause(tokens: list[str]) -> list[str]:
    """``the pink one, in the tray``: with no verb, a pause between a thing and its place is only a pause."""
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS for t in tokens):
        return tokens
    return [t for i, t in enumerate(tokens) if not (
        t == "," and 0 < i < len(tokens) - 1 and tokens[i + 1] in ("in", "on", "to", "under")
        and tokens[i - 1] not in SEPARATORS)]


_SHARED_ADJS = ADJ_WORDS | frozenset("top bottom first second third last".split())


def _drop_intensifier(tokens: list[str]) -> list[str]:
    """``the block right under the yellow one`` -> ``the block under the yellow one``; "on the right" stays."""
    return [t for i, t in enumerate(tokens) if not (
        t in ("right", "just") and 0 < i < len(tokens) - 1 and tokens[i + 1] in ("under", "on", "in", "above")
        and tokens[i - 1] not in ("the", "to", "at", "on", "in", "from"))]


def _whichever(tokens: list[str]) -> list[str]:
    """``in whichever bowl is empty`` -> ``in the bowl isempty``: the one that is so (a question when several are)."""
    out = list(tokens)
    for i in range(len(out) - 3):
        if out[i] in ("whichever", "whatever") and out[i + 2] in ("is", "that") and (
                out[i + 1] in REGION_SYNONYMS or out[i + 1] in BLOCK_NOUNS | ANY_NOUNS | REGION_GENERIC):
            state = {"empty": "isempty", "clear": "isclear", "free": "isclear"}.get(out[i + 3])
            out = out[:i] + ["the", out[i + 1]] + ([state] + out[i + 4:] if state else ["that", "is"] + out[i + 3:])
            break
    return out


def _same_place_as(tokens: list[str]) -> list[str]:
    """``in the same bowl as the black one`` -> ``in the bowl with the black one``: the one that holds it."""
    out = list(tokens)
    for i in range(len(out) - 3):
        if out[i] == "the" and out[i + 1] == "same" and out[i + 3] == "as" and (
                out[i + 2] in REGION_SYNONYMS or out[i + 2] in REGION_GENERIC):
            out = out[:i + 1] + [out[i + 2], "with"] + out[i + 4:]
    return out


def _split_coordinated_adjectives(tokens: list[str]) -> list[str]:
    """``the left and right blue blocks`` -> ``the left blue block and the right blue block``.

    Two adjectives joined by "and" before one plural noun name two things, each with the words that follow.
    """
    out = list(tokens)
    i = 0
    while i + 3 < len(out):
        if out[i] in ("the", "both") and out[i + 1] in _SHARED_ADJS and out[i + 2] in ("and", "or") and \
                out[i + 3] == "the" and i + 4 < len(out) and out[i + 4] in _SHARED_ADJS:
            del out[i + 3]  # "the big and the small green blocks"
        if out[i] in ("the", "both") and out[i + 1] in _SHARED_ADJS and out[i + 2] in ("and", "or") and \
                out[i + 3] in _SHARED_ADJS:
            end = i + 4
            while end < len(out) and out[end] in COLOR_WORDS:
                end += 1
            if end < len(out) and out[end] in PLURAL_NOUNS:
                tail = out[i + 4:end] + [_singular(out[end])]
                out = out[:i] + ["the", out[i + 1]] + tail + ["and", "the", out[i + 3]] + tail + out[end + 1:]
        i += 1
    return out


def _wished_done(tokens: list[str]) -> list[str]:
    """``I'd quite like the red block taken out of the tray and placed on the table`` -> ``take the red block out
    of the tray and place it on the table``: a wish for a thing done, read as the command."""
    for w, tok in enumerate(tokens):
        if tok not in ("like", "want", "need", "prefer") or w + 2 >= len(tokens):
            continue
        k = next((j for j in range(w + 2, min(len(tokens), w + 9)) if tokens[j] in PARTICIPLES), None)
        if k is None or any(_lemma(t) in ALL_VERBS or t in SEPARATORS for t in tokens[w + 1:k]) or \
                not set(tokens[w + 1:k]) & (BLOCK_NOUNS | ANY_NOUNS | COLOR_WORDS | set(REGION_SYNONYMS) | TOWER_NOUNS):
            continue
        rest = tokens[k + 1:]
        for j in range(len(rest) - 1):
            if rest[j] not in ("and", "andthen", "then"):
                continue
            if rest[j + 1] in PARTICIPLES:  # "... and placed on the table"
                obj = [] if rest[j + 2:j + 3] == ["it"] else ["it"]
                rest = rest[:j + 1] + [PARTICIPLES[rest[j + 1]]] + obj + rest[j + 2:]
                continue
            p = next((q for q in range(j + 2, min(len(rest), j + 7)) if rest[q] in PARTICIPLES), None)
            if p is not None and not any(_lemma(t) in ALL_VERBS or t in SEPARATORS for t in rest[j + 1:p]):
                rest = rest[:j + 1] + [PARTICIPLES[rest[p]]] + rest[j + 1:p] + rest[p + 1:]  # "and every block put"
        return [PARTICIPLES[tokens[k]]] + tokens[w + 1:k] + rest
    return tokens


def _drop_contrast_aside(tokens: list[str]) -> list[str]:
    """``the red block on its own, not the one in the tower mind you, could you pop it ...``: an aside between
    pauses saying which one is not meant (it never asks for anything) is passed over."""
    out = list(tokens)
    for i in range(len(out) - 2):
        if out[i] == "," and out[i + 1] == "not" and out[i + 2] in ("the", "that", "this", "a", "an"):
            end = next((j for j in range(i + 3, len(out)) if out[j] == ","), None)
            if end is not None and not any(_lemma(t) in ALL_VERBS | PLACE_VERBS for t in out[i + 2:end]):
                return out[:i] + out[end:]
    return out


def _move_from_to(tokens: list[str]) -> list[str]:
    """``ruby , tray to bin`` (from "ruby: tray -> bin"): a thing, where it is, where it goes; the middle is dropped."""
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS for t in tokens) or tokens.count(",") != 1:
        return tokens
    cut = tokens.index(",")
    rest = tokens[cut + 1:]
    if "to" not in rest or not 0 < rest.index("to") <= 3:
        return tokens
    return tokens[:cut] + rest[rest.index("to"):]


#: Other readings tried, in order, when an instruction is not understood as said.
REREADINGS = (_active_voice, _split_verbless, _verbless_pair, _drop_apposition, _verbless_pause, _wished_done,
              _move_from_to, _drop_contrast_aside)


_DETERMINERS = frozenset("the a an this that your my".split())
_HEIGHTS = frozenset("tall short high low taller shorter higher lower tallest shortest highest lowest".split())
#: After "X's", words that make the "'s" an "is": "the blue block's going in the bin".
_IS_AFTER = frozenset("in on to not been already supposed got gone a an the there here empty clear free".split())


def _possessives(tokens: list[str], scene: Scene) -> list[str]:
    """``the tin's block`` -> ``the block in the tin``; ``the tower's top block`` -> ``the top block of the tower``.

    Normalising leaves "'s" as a token ``s``. After a region it means what is in it, after a tower
    what belongs to it, after a block what is on it; before a verb in -ing or a place it is "is".
    """
    regions = {n for n, o in scene.objects.items() if o.type == "region"} | set(REGION_SYNONYMS) | REGION_GENERIC
    regions |= {o.kind for o in scene.objects.values() if o.type == "region" and o.kind}
    out = list(tokens)
    i = 1
    while i < len(out) - 1:
        if out[i] != "s" or out[i - 1] in (",", "s"):
            i += 1
            continue
        nxt = out[i + 1]
        if nxt.endswith("ing") or nxt in _IS_AFTER:
            out[i] = "is"
            i += 1
            continue
        start = i - 1
        while start > 0 and out[start - 1] in COLOR_WORDS | ADJ_WORDS | _DETERMINERS | _HEIGHTS:
            start -= 1  # "the short tower's top block"
        end = i + 1
        while end < len(out) and out[end] not in _LINKS | SEPARATORS | {"is", "are", "should", "goes", "go"} \
                and _lemma(out[end]) not in ALL_VERBS:
            end += 1
        if end == i + 1:
            i += 1
            continue
        owner = out[start:i]
        relation = "of" if owner[-1] in TOWER_NOUNS else "in" if owner[-1] in regions else "on"
        owned = ["everything"] if out[i + 1:end] == ["contents"] else ["the"] + out[i + 1:end]
        out = out[:start] + owned + [relation] + owner + out[end:]
        i = start + 1
    return out


def _implicit_object(tokens: list[str]) -> list[str]:
    """``take the block and put on the plate``: a second verb with no object acts on "it"."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        out.append(tok)
        if i > 0 and tokens[i - 1] in ("and", "then", "andthen") and _lemma(tok) in PLACE_VERBS and \
                i + 2 < len(tokens) and tokens[i + 1] in ("on", "in", "to") and tokens[i + 2] in _DETERMINERS:
            out.append("it")
        elif i > 0 and tokens[i - 1] == "," and _lemma(tok) in PLACE_VERBS and i + 2 < len(tokens) and \
                tokens[i + 1] in ("on", "in", "to", "into", "onto") and "," in tokens[:i - 1]:
            out.append("it")  # "the small green, put in tray": the thing named before the pause
    return out
