"""Ground atoms and symbolic states.

A state is a ``frozenset`` of :class:`Atom`: hashable, comparable, and an
action is applicable when its preconditions are a subset of it (the
pyperplan way). Atoms print as PDDL: ``(on red blue)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import PddlSyntaxError
from .sexpr import parse_sexpr


@dataclass(frozen=True, order=True)
class Atom:
    """A ground predicate instance such as ``(on red blue)``.

    Attributes:
        predicate: lower-case predicate name.
        args: object names, in the predicate's parameter order.
    """

    predicate: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "(" + " ".join((self.predicate, *self.args)) + ")"

    def __repr__(self) -> str:
        return f"Atom{str(self)!r}"


State = frozenset  # frozenset[Atom]


def parse_atom(text: str) -> Atom:
    """Parse ``"(on red blue)"`` into an :class:`Atom`.

    Raises:
        PddlSyntaxError: when the text is not one flat, ground atom.
    """
    expr = parse_sexpr(text)
    return atom_from_sexpr(expr)


def atom_from_sexpr(expr) -> Atom:
    """Turn a parsed flat list such as ``['on', 'red', 'blue']`` into an atom."""
    if not isinstance(expr, list) or not expr or not all(isinstance(e, str) for e in expr):
        raise PddlSyntaxError(f"not a ground atom: {expr!r}")
    if expr[0].startswith(("?", ":")) or any(a.startswith(("?", ":")) for a in expr[1:]):
        raise PddlSyntaxError(f"not a ground atom: ({' '.join(expr)})")
    return Atom(expr[0], tuple(expr[1:]))


def format_state(state) -> str:
    """Sorted, one atom per line: stable output for logs and tests."""
    return "\n".join(str(a) for a in sorted(state))
