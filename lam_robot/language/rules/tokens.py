"""Text to tokens: normalisation, split colour runs, and spelling correction against known words.

:func:`normalize` is the first step of every parse; the corrections map near-misses ("bleu",
"yelow") onto the parser's words and the scene's names.
"""

from __future__ import annotations

import re

from .words import (
    ADJ_WORDS, ANY_NOUNS, BLOCK_NOUNS, BUILD_VERBS, CLEAR_VERBS, COLOR_WORDS, _CONTRACTIONS, COPULAS, DISPOSE_VERBS,
    EMPTY_VERBS, FILL_VERBS, FILLER_WORDS, HARMFUL_VERBS, HOLD_VERBS, NUMBER_WORDS, NUMERALS, _PHRASES, PLACE_VERBS,
    PLURAL_NOUNS, POLITE_PREFIXES, QUESTION_WORDS, REGION_GENERIC, REGION_SYNONYMS, RELEASE_VERBS, REMOVE_VERBS,
    REVERSE_VERBS, SEPARATORS, SIZE_BIG, SIZE_SMALL, _SPELLINGS, STATE_PREFIXES, SWAP_VERBS, TABLE_WORDS,
    TOWER_NOUNS, UNREACHABLE_PLACES, UNSUPPORTED_VERBS, VERB_FORMS,
)


def normalize(text: str, names=()) -> list[str]:
    """Lower-case, fold contractions and multi-word expressions, split into tokens.

    ``names`` are the scene's object names: "cube 1" becomes ``cube1`` when that
    is an object, chat spellings ("pls", "teh") are expanded unless they name
    one, and a misspelt lexicon word ("blcok") is corrected when it is close to
    exactly one word the parser knows.
    """
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    for old, new in _CONTRACTIONS:
        text = text.replace(old, new)
    text = text.replace("can not", "cannot").replace("cannot", "can not")
    text = re.sub(r"\s*(->|=>|-->|\u2192)\s*", " to ", text)
    text = re.sub(r"[.;:!?]+", " , ", text)
    text = text.replace(",", " , ")
    text = re.sub(r"#\s*(\d+)", r" number \1", text)                     # "#4": block number 4
    text = re.sub(r"[\"'`()\[\]{}<>*#]", " ", text)
    text = re.sub(r"\b(left|right)[- ]hand(ed)?( side)?\b", r"\1", text)  # "the right-hand bin"
    text = re.sub(r"-(colou?red|ish)\b", r" \1", text)                    # "the yellow-coloured block"
    text = re.sub(r"\s+-\s+|\s+-|-\s+", " , ", text)
    text = " " + " ".join(_fix_tokens(text.split(), set(names))) + " "
    for old, new in _PHRASES:
        text = text.replace(f" {old} ", f" {new} " if new else " ")
    return _split_colour_runs([t for t in text.split() if t], set(names))


def _split_colour_runs(tokens: list[str], names=frozenset()) -> list[str]:
    """``red blue green`` -> ``red , blue , green``: a block has one colour, so adjacent colour words
    are a list whose commas were not written (speech recognisers write none); so are adjacent object
    names with digits or underscores ("unstack r1 b1 g1")."""
    out: list[str] = []
    for tok in tokens:
        if out and tok in COLOR_WORDS and out[-1] in COLOR_WORDS and tok != out[-1] or \
                out and tok in names and out[-1] in names and not (tok + out[-1]).isalpha():
            out.append(",")
        out.append(tok)
    return out


def _fix_tokens(tokens: list[str], names: set) -> list[str]:
    """Join split object names, expand chat spellings and correct near-miss lexicon words."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        spoken_number = len(tok) == 1 and nxt in NUMERALS
        if nxt is not None and tok not in names and (nxt.isdigit() or len(nxt) == 1 or spoken_number):
            num = NUMERALS.get(nxt, nxt) if len(tok) == 1 else nxt  # "b three" for b3
            joined = [j for j in (tok + num, tok + "_" + num, tok + "-" + num) if j in names]
            if joined:
                out.append(joined[0])
                i += 2
                continue
        if tok in names:
            out.append(tok)
        elif tok in _SPELLINGS:
            out.extend(_SPELLINGS[tok].split())
        else:
            out.append(_correct(tok))
        i += 1
    return out


def _known_words() -> frozenset:
    words = set(COLOR_WORDS | BLOCK_NOUNS | ANY_NOUNS | REGION_GENERIC | set(REGION_SYNONYMS) | PLURAL_NOUNS
                | TABLE_WORDS | ADJ_WORDS | set(NUMBER_WORDS) | PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS
                | REMOVE_VERBS | EMPTY_VERBS | FILL_VERBS | BUILD_VERBS | TOWER_NOUNS | RELEASE_VERBS
                | SWAP_VERBS | UNREACHABLE_PLACES | HARMFUL_VERBS | UNSUPPORTED_VERBS | set(VERB_FORMS)
                | FILLER_WORDS | SEPARATORS
                | QUESTION_WORDS)
    for phrase in POLITE_PREFIXES + STATE_PREFIXES + COPULAS + [p for pair in _PHRASES for p in pair]:
        words.update(phrase.split())
    words.update("""the a an of to on in off up down out back under over from with that this these those it
them they there here not no yes all every each both other others another some any one ones top bottom
middle left right its their my your me you we us our what is are be was were been being has have had
do does did will would should could can may might must need needs want wants like take put""".split())
    words.update("""side sides end ends edge""".split())
    words.update("""size sizes order colour color colours colors matching match matches same whole entire
keeping keep reverse invert flip descending ascending increasing decreasing""".split())
    words.update(REVERSE_VERBS | DISPOSE_VERBS | SIZE_BIG | SIZE_SMALL)
    return frozenset(words)


#: Words a misspelling may be corrected to: verbs, nouns, colours (never object names).
_TARGETS = frozenset(w for w in (PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | EMPTY_VERBS
                                 | BUILD_VERBS | TOWER_NOUNS | RELEASE_VERBS | SWAP_VERBS | HARMFUL_VERBS | COLOR_WORDS
                                 | BLOCK_NOUNS | set(REGION_SYNONYMS) | TABLE_WORDS
                                 | {"please", "everything", "bottom", "middle"}) if len(w) >= 4)
_KNOWN = None


def _edit1(a: str, b: str) -> str | None:
    """The kind of single edit turning ``a`` into ``b`` (swap, drop, add, sub), or None."""
    if a == b:
        return None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "swap"
        return "sub" if len(diff) == 1 else None
    if abs(len(a) - len(b)) != 1:
        return None
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return "add" if len(a) < len(b) else "drop"
    return None


def _correct(tok: str) -> str:
    """``blcok`` -> ``block``: one slip from exactly one lexicon word; unknown words stay as they are.

    A slip is two letters swapped, a letter doubled or stray, or an inner letter
    left out. A changed letter is not a slip ("clock" is not "block", "cable"
    is not "table", "bake" is not "take"), nor is a missing first letter ("lock");
    words with digits or underscores (object names) are never touched.
    """
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _known_words()
    if len(tok) < 4 or tok in _KNOWN or not tok.isalpha():
        return tok
    hits = []
    for word in _TARGETS:
        kind = _edit1(tok, word)
        if kind in ("swap", "drop") or kind == "add" and tok != word[1:]:
            hits.append(word)
    return hits[0] if len(hits) == 1 else tok


def _lemma(word: str) -> str:
    return VERB_FORMS.get(word, word)
