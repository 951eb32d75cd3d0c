"""The entry point: :func:`parse_instruction` (instruction + scene -> goal, refusal or question).

It screens the text (empty, too long, injection, raw PDDL, questions), runs the repairs and
rewrites, parses and builds the goal, and turns any ``_Stop`` into a refusal or a question.
"""

from __future__ import annotations

import re

from ...scene import Scene

from .base import _Stop
from .goals import _GoalBuilder, ParseOutcome
from .lexicon import _Vocabulary
from .parser import _Parser
from .repairs import _after_correction, _drop_disfluencies, _drop_rejected_lead, _drop_restarted_phrase
from .resolver import _Resolver
from .rewrites import (
    _drop_intensifier, _drop_mid_tags, _implicit_object, _possessives, REREADINGS, _same_place_as,
    _split_coordinated_adjectives, _strip_tags, _whichever,
)
from .scene_repairs import _drop_small_talk, _hear_homophones
from .shorthand import _shorthand
from .tokens import normalize
from .words import FILLER_WORDS, INJECTION_PATTERNS, SEPARATORS, SUGGESTIONS


def _inside_a_block(text: str, vocab: "_Vocabulary") -> str | None:
    """``put sun inside ruby``: the block said to be the inside of something, or None.

    "in" a block is read as on it, but "inside" (or "within") a block asks for what a block does not
    have, so it is refused rather than quietly changed.
    """
    match = re.search(r"\b(?:inside|within)\b(?:\s+of\b)?(.*)", text.lower())
    if match is None:
        return None
    parser = _Parser(normalize(match.group(1), vocab.scene.objects), vocab)
    try:
        ref = parser._p_np()
        names = _Resolver(vocab.scene, vocab).candidates(ref) if ref is not None else []
    except _Stop:
        return None
    if names and all(vocab.scene.objects[n].type == "block" for n in names):
        return ref.text
    return None


def _goal(tokens: list[str], vocab: "_Vocabulary", asides: bool = False) -> str:
    """The goal text for ``tokens``: parsed into clauses, resolved and built; raises _Stop otherwise."""
    clauses = _Parser(tokens, vocab, asides=asides).parse()
    if not clauses:
        raise _Stop("refuse", "the instruction has no words I can act on", code="empty")
    builder = _GoalBuilder(vocab.scene, _Resolver(vocab.scene, vocab))
    for clause in clauses:
        builder.add(clause)
    return builder.pddl()


def _goal_rereading(tokens: list[str], vocab: "_Vocabulary") -> str:
    """:func:`_goal` of ``tokens``; when they are not understood, try each of :data:`REREADINGS` first.

    A rereading is only a second chance: an instruction understood as said is never reread, and
    when no rereading is understood either the first refusal stands.
    """
    try:
        return _goal(tokens, vocab)
    except _Stop as stop:
        if stop.kind != "refuse" or stop.code not in ("not_understood", "unknown_object"):
            raise
        first = stop
    readings = [tokens] + [r for r in (reread(tokens) for reread in REREADINGS) if r != tokens]
    # last, each reading again with remarks between the commands passed over ("I think the tower is too tall.
    # Could you ...")
    for other, asides in [(r, False) for r in readings[1:]] + [(r, True) for r in readings]:
        try:
            return _goal(other, vocab, asides=asides)
        except _Stop as stop:
            if stop.kind != "refuse" or stop.code not in ("not_understood", "unknown_object"):
                raise
    raise first


def detect_injection(text: str) -> str | None:
    """The phrase that tries to override the robot's rules, or None."""
    low = text.lower()
    for pattern in INJECTION_PATTERNS:
        match = re.search(pattern, low)
        if match:
            return match.group(0)
    return None


def parse_instruction(text: str, scene: Scene) -> ParseOutcome:
    """Parse ``text`` against ``scene`` into goal text, a refusal or a question (never raises).

    Args:
        text: the instruction as typed or transcribed.
        scene: the grounded scene whose objects references are resolved against.
    """
    if not isinstance(text, str) or not text.strip():
        return ParseOutcome("refused", reason="the instruction is empty", code="empty")
    if len(text) > 2000:
        return ParseOutcome("refused", reason="the instruction is too long (over 2000 characters)",
                            code="too_long")
    injected = detect_injection(text)
    if injected:
        return ParseOutcome("refused", code="injection",
                            reason=f"the instruction tries to change my rules (\"{injected}\"); "
                                   "I only follow instructions about the objects on the table")
    if "(" in text and ")" in text and re.search(r"\(\s*(and|on|in|on-table|holding|clear|not|or)\b", text):
        return ParseOutcome("refused", code="raw_pddl",
                            reason="raw PDDL is not accepted as an instruction; use plain words or "
                                   "`lam-robot plan --goal`")
    text = _drop_small_talk(_hear_homophones(text, scene), scene)
    places = {o.kind for o in scene.objects.values() if o.type == "region" and o.kind} | set(scene.regions)
    tokens = _drop_restarted_phrase(_drop_rejected_lead(_drop_disfluencies(normalize(text, scene.objects))))
    tokens = _strip_tags(_drop_mid_tags(_after_correction(tokens, places)))
    tokens = _whichever(_same_place_as(_split_coordinated_adjectives(_drop_intensifier(_implicit_object(tokens)))))
    if not tokens or all(t in SEPARATORS or t in FILLER_WORDS for t in tokens):
        return ParseOutcome("refused", reason="the instruction has no words I can act on", code="empty")
    tokens = _shorthand(_possessives(tokens, scene), scene)
    vocab = _Vocabulary(scene)
    first = [t for t in tokens if t not in FILLER_WORDS and t != ","][:1]
    suggested = any(" ".join(tokens).startswith(s) for s in SUGGESTIONS)  # "why don't you put ...?"
    if first and first[0] in ("what", "where", "which", "who", "why", "how", "when", "does", "did") and \
            text.strip().endswith("?") and not suggested:
        return ParseOutcome("refused", code="question",
                            reason="that is a question; I can only carry out instructions that "
                                   "move objects")
    inside = _inside_a_block(text, vocab)
    if inside is not None:
        return ParseOutcome("refused", code="unsupported",
                            reason=f"{inside} is a block and has no inside; I can put things on it instead")
    try:
        return ParseOutcome("ok", goal_pddl=_goal_rereading(tokens, vocab))
    except _Stop as stop:
        if stop.kind == "clarify":
            return ParseOutcome("clarify", reason=stop.message, question=stop.question,
                                candidates=stop.candidates, code="ambiguous")
        return ParseOutcome("refused", reason=stop.message, code=stop.code)
    except RecursionError:
        return ParseOutcome("refused", reason="the instruction is too complex", code="too_complex")
    except Exception as exc:  # noqa: BLE001 - a parser bug must refuse, never reach the planner or crash
        return ParseOutcome("refused", reason=f"I could not parse that ({type(exc).__name__})",
                            code="parser_error")
