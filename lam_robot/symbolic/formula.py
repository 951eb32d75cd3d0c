"""Goal formulas: what PDDL goal text means, before and after grounding.

Text is parsed into a small syntax tree (:class:`FAtom`, :class:`FAnd`,
:class:`FOr`, :class:`FNot`, :class:`FQuant`). The guardrail grounds that
tree over the scene's objects into a :class:`Goal`: a disjunction of
:class:`Conjunction` of literals, which is what planners and validators use.
Most goals have exactly one alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..errors import PddlSyntaxError
from .atoms import Atom
from .sexpr import parse_sexpr, parse_typed_list, to_text


@dataclass(frozen=True)
class FAtom:
    predicate: str
    args: tuple[str, ...]

    def __str__(self) -> str:
        return "(" + " ".join((self.predicate, *self.args)) + ")"


@dataclass(frozen=True)
class FNot:
    body: "Formula"


@dataclass(frozen=True)
class FAnd:
    parts: tuple["Formula", ...]


@dataclass(frozen=True)
class FOr:
    parts: tuple["Formula", ...]


@dataclass(frozen=True)
class FQuant:
    """``forall`` or ``exists`` over typed variables."""

    kind: str  # "forall" | "exists"
    variables: tuple[tuple[str, str], ...]
    body: "Formula"


Formula = Union[FAtom, FNot, FAnd, FOr, FQuant]


def parse_goal_formula(text: str) -> Formula:
    """Parse goal text such as ``(and (on red blue) (not (clear green)))``.

    A bare atom, ``and``, ``or``, ``not``, ``imply``, ``forall`` and ``exists``
    are understood; a ``(:goal ...)`` wrapper is accepted and removed.

    Raises:
        PddlSyntaxError: when the text is not a well-formed goal.
    """
    expr = parse_sexpr(text)
    if expr and expr[0] == ":goal":
        if len(expr) != 2:
            raise PddlSyntaxError("(:goal ...) holds exactly one formula")
        expr = expr[1]
    return _formula(expr)


def _formula(expr) -> Formula:
    if isinstance(expr, str):
        raise PddlSyntaxError(f"expected a formula in parentheses, found {expr!r}")
    if not expr:
        raise PddlSyntaxError("empty formula ()")
    head = expr[0]
    if not isinstance(head, str):
        raise PddlSyntaxError(f"a formula starts with a name, found {to_text(expr)}")
    if head == "and":
        return FAnd(tuple(_formula(e) for e in expr[1:]))
    if head == "or":
        return FOr(tuple(_formula(e) for e in expr[1:]))
    if head == "not":
        if len(expr) != 2:
            raise PddlSyntaxError(f"(not ...) takes one formula: {to_text(expr)}")
        return FNot(_formula(expr[1]))
    if head == "imply":
        if len(expr) != 3:
            raise PddlSyntaxError(f"(imply A B) takes two formulas: {to_text(expr)}")
        return FOr((FNot(_formula(expr[1])), _formula(expr[2])))
    if head in ("forall", "exists"):
        if len(expr) != 3 or not isinstance(expr[1], list):
            raise PddlSyntaxError(f"({head} (?x - type) formula) expected: {to_text(expr)}")
        variables = tuple(parse_typed_list(expr[1]))
        if not variables or not all(v.startswith("?") for v, _ in variables):
            raise PddlSyntaxError(f"{head} needs ?variables: {to_text(expr)}")
        return FQuant(head, variables, _formula(expr[2]))
    if head.startswith((":", "?")) or head == "-":
        raise PddlSyntaxError(f"{head!r} is not a predicate name")
    if not all(isinstance(a, str) for a in expr[1:]):
        raise PddlSyntaxError(f"atom arguments must be names: {to_text(expr)}")
    return FAtom(head, tuple(expr[1:]))


@dataclass(frozen=True)
class Conjunction:
    """Ground literals that must all hold together.

    Attributes:
        positive: atoms that must be true.
        negative: atoms that must be false.
    """

    positive: frozenset = frozenset()
    negative: frozenset = frozenset()

    def holds_in(self, state) -> bool:
        return self.positive <= state and not (self.negative & state)

    def unmet(self, state) -> list[str]:
        """The literals that do not hold in ``state``, as PDDL text."""
        missing = [str(a) for a in sorted(self.positive - state)]
        missing += [f"(not {a})" for a in sorted(self.negative & state)]
        return missing

    def to_pddl(self) -> str:
        parts = [str(a) for a in sorted(self.positive)]
        parts += [f"(not {a})" for a in sorted(self.negative)]
        return "(and " + " ".join(parts) + ")" if parts else "(and)"

    def __str__(self) -> str:
        return self.to_pddl()


@dataclass(frozen=True)
class Goal:
    """A checked, ground goal in disjunctive normal form.

    Attributes:
        alternatives: reaching any one of these conjunctions achieves the goal.
        source: the PDDL text it was read from.
    """

    alternatives: tuple[Conjunction, ...]
    source: str = ""

    @classmethod
    def of_atoms(cls, atoms, negative=()) -> "Goal":
        """A one-alternative goal from atoms (convenience for callers and tests)."""
        conj = Conjunction(frozenset(atoms), frozenset(negative))
        return cls((conj,), conj.to_pddl())

    def holds_in(self, state) -> bool:
        return any(c.holds_in(state) for c in self.alternatives)

    @property
    def is_conjunctive(self) -> bool:
        return len(self.alternatives) == 1

    def to_pddl(self) -> str:
        if self.is_conjunctive:
            return self.alternatives[0].to_pddl()
        return "(or " + " ".join(c.to_pddl() for c in self.alternatives) + ")"

    def atoms(self) -> frozenset:
        """Every atom the goal mentions, positive or negative."""
        out: set[Atom] = set()
        for c in self.alternatives:
            out |= c.positive | c.negative
        return frozenset(out)

    def __str__(self) -> str:
        return self.to_pddl()
