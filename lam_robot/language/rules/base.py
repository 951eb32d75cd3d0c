"""Shared types of the rule parser: references, clauses, and the exceptions that stop a parse.

``Ref`` (a noun phrase before resolution) and ``Clause`` (one thing the person wants) pass between
the parser, the resolver and the goal builder; ``_Stop`` carries a refusal or a question out of any
of them. Kept apart so that those modules need not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class _Stop(Exception):
    """The parser's outcome when it is not a goal: refuse or ask."""

    def __init__(self, kind: str, message: str, question: str | None = None,
                 candidates: tuple[str, ...] = (), code: str = "not_understood"):
        super().__init__(message)
        self.kind = kind  # "refuse" | "clarify"
        self.message = message
        self.question = question
        self.candidates = candidates
        self.code = code


@dataclass
class Ref:
    """A noun phrase before resolution.

    Attributes:
        quant: ``def`` (the), ``indef`` (a), ``all``, ``both``, ``it``, ``them``, ``other``.
        colors/nouns/adjs/names: the words that restrict it.
        number: how many were asked for ("the two red blocks").
        plural: a plural noun was used.
        restrictor: ``(relation, Ref)`` from "the block on the table".
        table: the phrase names the table.
        text: the words as said, for messages.
    """

    quant: str = "def"
    colors: list = field(default_factory=list)
    nouns: list = field(default_factory=list)
    adjs: list = field(default_factory=list)
    names: list = field(default_factory=list)
    number: int | None = None
    plural: bool = False
    restrictor: tuple | None = None
    table: bool = False
    top: bool = False
    text: str = ""
    others: bool = False
    excluded: list = field(default_factory=list)
    clear: bool = False
    among: "Ref | None" = None          # "the larger of the two red blocks": chosen among these
    unreachable: str | None = None      # "the floor": a place named only to be refused
    tower: list | None = None           # "the bottom block of the (green) tower": colours in its stack
    match: str | None = None            # "the tray of its colour": chosen per object by that attribute
    whole: bool = False                 # "the (whole) tower": one stack, moved as it is


@dataclass
class Clause:
    """One thing the person wants, in order. ``kind``: place, hold, clear, table, tower, swap, empty."""

    kind: str
    themes: list = field(default_factory=list)  # list[Ref]
    relation: str | None = None                  # on | in | under | to | table
    target: Ref | None = None
    chain: list = field(default_factory=list)    # tower, bottom first: list[Ref]
    negated: bool = False
    retracted: bool = False                      # "don't put X in the bin, put it in the tray"
    companions: list = field(default_factory=list)  # "put X in the tray with Y": Y is there too
    stacked: list = field(default_factory=list)  # "put X in the tray with Y on top of it": Y on X
    source: Ref | None = None                    # "take X out of the tray": where X comes from
    keep_order: bool = False                     # "..., keeping the same order": the stack stays as it is
    marks: list = field(default_factory=list)    # size tower: "(the big blue one) at the bottom" to check


def _NEGATION_STOP() -> _Stop:
    return _Stop("refuse", "I can only act on things to do, not on things not to do; "
                 "tell me where things should end up", code="unsupported")


class _Backtrack(Exception):
    pass


def _singular(word: str) -> str:
    if word in ("boxes", "dishes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _list_text(refs) -> str:
    texts = [r.text or "it" for r in refs]
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]
