"""Speech repairs on the token list: disfluencies, repeated words, and self-corrections.

"put the red, no, the blue block ..." keeps only what the speaker settled on, so the parser sees
one clean instruction.
"""

from __future__ import annotations

import re

from .tokens import _lemma
from .words import (
    ADJ_WORDS, BUILD_VERBS, CLEAR_VERBS, COLOR_WORDS, DISCOURSE_FILLERS, EMPTY_VERBS, FILLER_WORDS, HESITATIONS,
    HOLD_VERBS, PAUSE_BEFORE, PLACE_VERBS, REGION_GENERIC, REGION_SYNONYMS, RELEASE_VERBS, REMOVE_VERBS, SEPARATORS,
    SIZE_BIG, SIZE_SMALL, TABLE_WORDS, UNREACHABLE_PLACES,
)


CORRECTIONS = (("never", "mind"), ("nevermind",), ("forget", "it"), ("no", "wait", ","), ("no", "wait"),
               ("no", "sorry", ","),
               ("no", ","), ("sorry",), ("i", "mean"), ("actually",), ("scratch", "that"), ("wait", ","),
               ("rather",), ("oops",), ("correction",), ("i", "meant"), ("i", "mean", "to", "say"),
               ("make", "that"))


def _drop_disfluencies(tokens: list[str]) -> list[str]:
    """Remove hesitations and pause-bounded fillers, and the pauses they leave inside a phrase.

    Speech puts "um" and ", like," anywhere, even inside a noun phrase ("put the, um, blue
    block"); they carry no meaning. What is left is a comma after a determiner, preposition or
    verb ("put the , blue block"), which is only a pause and never a clause boundary, so it goes too.
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in HESITATIONS:
            i += 1
            if (not out or out[-1] == ",") and i < len(tokens) and tokens[i] == ",":
                i += 1  # "uh , put" / "the , um , blue": one pause is enough
            continue
        width = _filler_width(tokens, i, out)
        if width:
            i += width + (1 if i + width < len(tokens) and tokens[i + width] == "," else 0)
            continue
        out.append(tokens[i])
        i += 1
    out = _drop_repeats(out)
    verbs = PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | EMPTY_VERBS | BUILD_VERBS
    kept = []
    for j, tok in enumerate(out):
        if tok == "," and kept and (kept[-1] in PAUSE_BEFORE or _lemma(kept[-1]) in verbs and
                                    not kept[-1].endswith("ed")) and \
                j + 1 < len(out) and out[j + 1] not in SEPARATORS and \
                not (kept[-1] in ("off", "on", "in", "up", "down", "out") and _lemma(out[j + 1]) in verbs):
            # ("take the blue block off, put it in the bin": a particle ends the clause, a verb starts the next)
            continue
        kept.append(tok)
    return kept


def _drop_repeats(tokens: list[str]) -> list[str]:
    """Speech restarts: "the the brown cube", "on the on the cloth", "put it, put it in the bin" -> said once.

    A run of one to three words said twice in a row is kept once when it begins with a function
    word (a determiner or preposition), where a repeat never carries meaning; a verb and its object said
    twice across a pause ("put it, put it") is a restart too.
    """
    verbs = PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in (5, 4, 3, 2, 1):
            if n <= 3 and tokens[i] in PAUSE_BEFORE and tokens[i:i + n] == tokens[i + n:i + 2 * n] and \
                    i + 2 * n <= len(tokens):
                i += n
                break
            if _lemma(tokens[i]) in verbs and tokens[i + n:i + n + 1] == [","] and \
                    tokens[i:i + n] == tokens[i + n + 1:i + 2 * n + 1]:
                i += n + 1
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _filler_width(tokens: list[str], i: int, out: list[str]) -> int:
    """How many tokens from ``i`` are a discourse filler ("like", "you know"), or 0.

    A filler is set off by pauses (a comma or the start of the utterance on the left, a comma
    on the right), or is "like" squeezed between a verb and its object ("put like the block").
    """
    for filler in DISCOURSE_FILLERS:
        n = len(filler)
        if tuple(tokens[i:i + n]) != filler:
            continue
        after = tokens[i + n] if i + n < len(tokens) else None
        if (not out or out[-1] in (",", "so", "okay", "ok", "well", "and", "but", "now")) and after == ",":
            return n
        if filler == ("like",) and out and _lemma(out[-1]) in PLACE_VERBS | HOLD_VERBS and \
                after in ("the", "a", "an", "this", "that", "these", "those"):
            return n
    return 0


def _drop_restarted_phrase(tokens: list[str]) -> list[str]:
    """``put the green, er, the small green block in the bin``: a phrase broken off before its noun and said
    again in full keeps only the full one."""
    out = list(tokens)
    i = 1
    while i < len(out):
        if out[i] in ("the", "a", "an"):
            k = i + 1
            while k < len(out) and out[k] in _DESCRIBING:
                k += 1
            again = out[k + 2:] if k + 1 < len(out) and out[k] == "," and out[k + 1] in ("the", "a", "an") else []
            end = next((j for j, t in enumerate(again) if t in _LINKS or t in ("the", "a", "an")), len(again))
            if k > i + 1 and again and set(out[i + 1:k]) <= set(again[:end]) and \
                    set(again[:end]) - _DESCRIBING:
                out = out[:i] + out[k + 1:]  # the fragment's words all come back, with a noun
                continue
        i += 1
    return out


#: Words that describe before the noun; a fragment of only these was broken off ("the green, er, ...").
_DESCRIBING = frozenset(COLOR_WORDS) | frozenset(ADJ_WORDS) | SIZE_BIG | SIZE_SMALL


def _drop_rejected_lead(tokens: list[str]) -> list[str]:
    """``not the big green one, the small one. put it in the tray``: a phrase rejected first, then the one meant.

    An utterance that opens with "not" and a phrase, then a pause and a new phrase, keeps only what follows
    the pause (the phrase meant, taken up by the command after it).
    """
    i = 0
    while i < len(tokens) and (tokens[i] in FILLER_WORDS or tokens[i] in (",", "no")):
        i += 1
    if tokens[i:i + 1] != ["not"]:
        return tokens
    for j in range(i + 2, min(len(tokens) - 1, i + 10)):
        if tokens[j] == "," and tokens[j + 1] in ("the", "that", "this", "a", "an"):
            return tokens[j + 1:]
        if tokens[j] in SEPARATORS:
            break
    return tokens


def _retrace(before: list[str], repair: list[str], places=frozenset()) -> list[str] | None:
    """A repair that starts like part of what was said replaces that part (a speech "retrace").

    "put the gray one in the basket with the other purple, sorry, with the purple one": the repair
    begins with "with", so it replaces from the last "with". When the repair begins with a
    determiner, the phrase it replaces is the last one of the same sort (a place or a block):
    "put the red block in the tray, sorry, the bin" corrects the tray, not the red block.
    """
    if not repair or repair[0] not in PAUSE_BEFORE or repair[0] in ("that", "this"):
        return None
    starts = [j for j, t in enumerate(before) if t == repair[0] and j > 0]
    if not starts:
        return None
    same_sort = [j for j in starts if _is_place_phrase(before[j:], places) == _is_place_phrase(repair, places)]
    j = (same_sort or starts)[-1]
    if same_sort and not _is_place_phrase(repair, places) and len(repair) > 1 and not set(repair[1:]) & _LINKS:
        # "put the pink block (from the tin) on the plate, sorry, the navy block": only the block is
        # replaced; the destination (the last place phrase) stays
        end = max((k for k in range(j + 1, len(before)) if before[k] in ("on", "in", "under", "to")),
                  default=len(before))
        return before[:j] + repair + before[end:]
    return before[:j] + repair


#: Words that begin a place, one the robot can reach or not ("put it between... no, on the blue one").
_PLACE_WORDS = frozenset("on in under to between nextto beside behind near infrontof leftof rightof".split())
#: Words that end a noun phrase and begin a place or another part of the clause.
_LINKS = frozenset(["on", "in", "under", "to", "from", "off", "outof", "with", ",", "and", "then"])


def _is_place_phrase(tokens: list[str], scene_places=frozenset()) -> bool:
    """Whether the phrase the tokens begin with names a place (a region or the table).

    ``scene_places`` adds the scene's own words for its regions ("the cloth" when a zone is a cloth).
    """
    places = set(REGION_SYNONYMS) | REGION_GENERIC | TABLE_WORDS | UNREACHABLE_PLACES | set(scene_places)
    for k, tok in enumerate(tokens):
        if k > 0 and tok in ("on", "in", "under", "to", "from", "off", "with", ",", "and", "then"):
            break
        if tok in places or set(re.split(r"[_\-]", tok)) & places:
            return True
    return False


def _after_correction(tokens: list[str], places=frozenset()) -> list[str]:
    """Apply each self-correction in turn: "put it in the bin, no wait, the tray, no, the bin" -> "... the bin".

    ``places`` are the scene's words for its regions, so that "..., sorry, the cloth" replaces a place.
    """
    for _ in range(6):
        fixed = _one_correction(tokens, places)
        if fixed == tokens:
            break
        tokens = fixed
    return tokens


def _one_correction(tokens: list[str], places=frozenset()) -> list[str]:
    """Keep what the first self-correction settles on: "put red, no, blue in the tray" -> "blue in the tray".

    The first run of correction markers ("no wait ,") is read; later ones are left for the next pass.
    """
    cut = begin = 0
    for i in range(len(tokens)):
        if cut and i > cut and any(t not in (",", "no", "wait", "sorry", "oh") for t in tokens[cut:i]):
            break  # the first correction only (with any markers right after it: "sorry, I meant")
        for marker in CORRECTIONS:
            if tuple(tokens[i:i + len(marker)]) == marker and (i == 0 or tokens[i - 1] in (
                    ",", "oh", "sorry", "no", "wait", "oops")):
                if i + len(marker) > cut:
                    cut, begin = i + len(marker), (begin if cut else i)
    if cut and cut < len(tokens):
        rest = tokens[cut:]
        while rest and (rest[0] in FILLER_WORDS or rest[0] in (",", "no", "wait", "sorry", "actually", "rather")):
            rest = rest[1:]
        # "put red on the plate, no wait, on the green block": a new destination replaces the old one
        before = tokens[:begin]
        while before and before[-1] == ",":
            before = before[:-1]
        retraced = _retrace(before, rest, places)
        if retraced is not None:
            return retraced
        dest = [j for j, t in enumerate(before) if t in _PLACE_WORDS]
        if rest and rest[0] in ("on", "in", "under", "to") and dest and dest[-1] > 1:
            return before[:dest[-1]] + rest
        # "put red, no, blue in the tray": a bare phrase after the correction keeps the verb
        if rest and _lemma(rest[0]) not in PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | \
                BUILD_VERBS | EMPTY_VERBS | RELEASE_VERBS and tokens[0] not in (",",) and \
                rest[0] not in ("just", "please", "i", "make", "the", "let"):
            return tokens[:1] + rest
        return rest
    return tokens
