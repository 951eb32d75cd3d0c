"""Text repairs that need the scene: compounds written apart, ASR homophones, small talk.

They run on the raw text before tokenising, and change a word only where the scene makes the
intended word the only sense ("the read block" is red only when something red is there).
"""

from __future__ import annotations

import re

from ...scene import Scene

from .words import (
    ALL_VERBS, ANY_NOUNS, BLOCK_NOUNS, BUILD_VERBS, COLOR_WORDS, COLOUR_HOMOPHONES, _NP_BEFORE, NUMBER_HOMOPHONES,
    PLACE_HOMOPHONES,
    PLURAL_NOUNS, REGION_SYNONYMS, REMOVE_VERBS, SOCIAL_OPENERS, TABLE_WORDS, TOWER_NOUNS, UNSUPPORTED_VERBS,
    VERB_FORMS,
)


def _scene_words(scene: Scene) -> set:
    """Words that name something in ``scene`` or any block: colours, kinds, types, name parts, nouns."""
    words = set(BLOCK_NOUNS | TABLE_WORDS | TOWER_NOUNS | set(REGION_SYNONYMS) | PLURAL_NOUNS)
    for obj in scene.objects.values():
        words.update(w for w in (obj.color, obj.kind, obj.type, obj.name) if w)
        words.update(p for p in re.split(r"[_\-]", obj.name) if p)
    return words


def _join_compounds(text: str, scene: Scene) -> str:
    """``lunch box`` -> ``lunchbox`` when the scene has an object of that name or kind written as one word."""
    for obj in scene.objects.values():
        for word in {obj.name, obj.kind or ""}:
            if len(word) < 6 or not word.isalpha():
                continue
            for cut in range(3, len(word) - 2):
                text = re.sub(rf"\b{word[:cut]}[\s-]+{word[cut:]}\b", word, text, flags=re.IGNORECASE)
    return text


def _hear_homophones(text: str, scene: Scene) -> str:
    """Undo a speech recogniser's homophones where the scene makes the intended word the only sense.

    "read"/"blew" become red/blue only when something in the scene has that colour and the word sits in a
    noun phrase (after "the", "two", ...; or before a noun: "the read block", "too blew blocks"), so "read
    me the recipe" stays a request to read. "too" before a colour or a plural noun is the count two, and
    before "the" the preposition to; "in two the box" is into; "on top off" and "out off" are "of"; a place
    word that sounds like one of the scene's places ("the trey") names it.
    """
    colours = {o.color for o in scene.objects.values() if o.color}
    kinds = {o.kind for o in scene.objects.values() if o.kind} | {o.type for o in scene.objects.values()}
    nouns = BLOCK_NOUNS | ANY_NOUNS | set(REGION_SYNONYMS) | PLURAL_NOUNS | kinds
    dets = ("the", "a", "an", "this", "that", "my", "your")
    parts = re.split(r"([A-Za-z0-9_']+)", _join_compounds(text, scene))
    idx = [i for i in range(1, len(parts), 2)]
    low = [parts[i].lower() for i in idx]

    def near(k: int, step: int) -> str:
        j = k + step
        return low[j] if 0 <= j < len(low) else ""

    for k, word in enumerate(low):
        heard = COLOUR_HOMOPHONES.get(word)
        if heard in colours and (near(k, -1) in _NP_BEFORE or near(k, 1) in nouns):
            low[k] = heard
        heard = PLACE_HOMOPHONES.get(word)
        if heard in kinds and near(k, -1) in dets:
            low[k] = heard
    numbered = any(re.search(r"\d$", n) for n in scene.objects)
    for k, word in enumerate(low):
        nxt, prev = near(k, 1), near(k, -1)
        if numbered and word in NUMBER_HOMOPHONES and prev in ("block", "cube", "number", "no", "bin", "tray") and \
                nxt in ("", "in", "into", "on", "onto", "under", "off", "from", "and", "then", "is", "should", "goes"):
            low[k] = NUMBER_HOMOPHONES[word]  # "put block too in the bin", "block number for"
            continue
        if word == "write" and prev in ("the", "on", "to", "at"):
            low[k] = "right"  # "the write bin", "on the write"
            continue
        if word == "too" and (nxt in COLOR_WORDS or nxt in PLURAL_NOUNS):
            low[k] = "two"
        elif word in ("too", "two") and nxt in dets:
            low[k] = "to"
            if prev in ("in", "on"):  # "in two the box": into
                low[k - 1], low[k] = prev + "to", ""
        elif word == "off" and prev in ("top", "out") and nxt in dets:
            low[k] = "of"
    for i, word in zip(idx, low):
        if word != parts[i].lower():
            parts[i] = word
    return re.sub(r"\s{2,}", " ", "".join(parts))


def _drop_small_talk(text: str, scene: Scene) -> str:
    """Pass over whole sentences of small talk around a request ("Good morning, dear. ... Thank you.").

    A sentence is small talk when it opens with a greeting, thanks or "my"/"oh" (:data:`SOCIAL_OPENERS`),
    names no action and nothing in the scene. When every sentence is small talk the text is kept as it
    is, to be refused.
    """
    sentences = re.findall(r"[^.!?]+[.!?]*", text)
    if len(sentences) < 2:
        return text
    scene_words = _scene_words(scene)
    actions = ALL_VERBS | UNSUPPORTED_VERBS | REMOVE_VERBS | BUILD_VERBS | set(VERB_FORMS) | {"set", "make"}

    def small_talk(sentence: str) -> bool:
        words = re.findall(r"[a-z0-9_]+", sentence.lower())
        return bool(words) and words[0] in SOCIAL_OPENERS and not any(
            w in actions or w in scene_words or w in COLOR_WORDS for w in words)

    kept = [s for s in sentences if not small_talk(s)]
    return "".join(kept).strip() if kept else text
