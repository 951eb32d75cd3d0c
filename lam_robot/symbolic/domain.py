"""PDDL domains: typed STRIPS actions, grounded against a set of objects.

lam_robot reads the domain itself (rather than only handing it to a planner)
because the guardrail, the validator, the explainer and the executor all need
the same precise meaning of every action: preconditions, add and delete
effects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import DomainError, PddlSyntaxError
from .atoms import Atom
from .sexpr import parse_sexpr, parse_typed_list, to_text


@dataclass(frozen=True)
class Literal:
    """A possibly negated, possibly lifted atom: ``(not (on ?x ?y))``."""

    predicate: str
    args: tuple[str, ...]
    positive: bool = True

    def ground(self, binding: Mapping[str, str]) -> Atom:
        return Atom(self.predicate, tuple(binding.get(a, a) for a in self.args))


@dataclass(frozen=True)
class GroundAction:
    """One executable step such as ``(place-on-block red blue)``.

    Attributes:
        name: action schema name.
        args: object names bound to the schema's parameters, in order.
        pre_pos / pre_neg: atoms that must hold / must not hold before.
        add / delete: atoms the step makes true / false (delete applied first).
    """

    name: str
    args: tuple[str, ...]
    pre_pos: frozenset = field(default=frozenset(), compare=False, repr=False)
    pre_neg: frozenset = field(default=frozenset(), compare=False, repr=False)
    add: frozenset = field(default=frozenset(), compare=False, repr=False)
    delete: frozenset = field(default=frozenset(), compare=False, repr=False)

    def __str__(self) -> str:
        return "(" + " ".join((self.name, *self.args)) + ")"

    def applicable(self, state: frozenset) -> bool:
        return self.pre_pos <= state and not (self.pre_neg & state)

    def apply(self, state: frozenset) -> frozenset:
        """Successor state: delete effects first, then add effects (PDDL semantics)."""
        return (state - self.delete) | self.add


@dataclass(frozen=True)
class ActionSchema:
    """A lifted action: typed parameters, literal preconditions and effects."""

    name: str
    parameters: tuple[tuple[str, str], ...]
    preconditions: tuple[Literal, ...]
    effects: tuple[Literal, ...]

    def ground(self, args: tuple[str, ...]) -> GroundAction:
        if len(args) != len(self.parameters):
            raise DomainError(f"{self.name} takes {len(self.parameters)} arguments, got {len(args)}")
        binding = {p: a for (p, _), a in zip(self.parameters, args)}
        pre_pos = frozenset(lit.ground(binding) for lit in self.preconditions if lit.positive)
        pre_neg = frozenset(lit.ground(binding) for lit in self.preconditions if not lit.positive)
        add = frozenset(lit.ground(binding) for lit in self.effects if lit.positive)
        delete = frozenset(lit.ground(binding) for lit in self.effects if not lit.positive)
        return GroundAction(self.name, tuple(args), pre_pos, pre_neg, add, delete)


@dataclass(frozen=True)
class Domain:
    """A parsed PDDL domain.

    Attributes:
        name: the domain's name.
        types: each type mapped to its parent (``object`` is the root).
        predicates: each predicate mapped to its typed parameters.
        actions: each action schema by name.
        text: the original PDDL, handed unchanged to external planners.
    """

    name: str
    types: Mapping[str, str]
    predicates: Mapping[str, tuple[tuple[str, str], ...]]
    actions: Mapping[str, ActionSchema]
    text: str = field(repr=False, default="")

    def is_subtype(self, child: str, parent: str) -> bool:
        """True when ``child`` equals ``parent`` or descends from it."""
        seen = set()
        while child not in seen:
            if child == parent:
                return True
            seen.add(child)
            child = self.types.get(child, "object")
            if child == "object" and parent == "object":
                return True
        return False

    def arity(self, predicate: str) -> int:
        return len(self.predicates[predicate])

    def ground_action(self, name: str, args: Iterable[str]) -> GroundAction:
        """Ground one step by name, e.g. ``ground_action('place-on-block', ['red', 'blue'])``.

        Raises:
            DomainError: on an unknown action or a wrong number of arguments.
        """
        schema = self.actions.get(name)
        if schema is None:
            raise DomainError(f"unknown action {name!r}; the domain has: {', '.join(sorted(self.actions))}")
        return schema.ground(tuple(args))

    def ground_all(self, objects: Mapping[str, str]) -> list[GroundAction]:
        """Every type-correct ground action over ``objects`` (name -> type)."""
        result = []
        for schema in self.actions.values():
            pools = [[o for o, t in objects.items() if self.is_subtype(t, ptype)]
                     for _, ptype in schema.parameters]
            for combo in itertools.product(*pools):
                result.append(schema.ground(combo))
        return result

    @cached_property
    def static_predicates(self) -> frozenset:
        """Predicates no action changes."""
        changed = {lit.predicate for a in self.actions.values() for lit in a.effects}
        return frozenset(p for p in self.predicates if p not in changed)


def _read_literals(expr, where: str) -> tuple[Literal, ...]:
    """Read a conjunction of (possibly negated) atoms."""
    if expr == [] or expr is None:
        return ()
    if not isinstance(expr, list) or not expr:
        raise DomainError(f"{where}: expected a list, found {to_text(expr)}")
    if expr[0] == "and":
        out: list[Literal] = []
        for part in expr[1:]:
            out.extend(_read_literals(part, where))
        return tuple(out)
    if expr[0] == "not":
        if len(expr) != 2 or not isinstance(expr[1], list):
            raise DomainError(f"{where}: malformed negation {to_text(expr)}")
        inner = _read_literals(expr[1], where)
        if len(inner) != 1:
            raise DomainError(f"{where}: only atoms may be negated, found {to_text(expr)}")
        return (Literal(inner[0].predicate, inner[0].args, positive=False),)
    if not all(isinstance(e, str) for e in expr):
        raise DomainError(f"{where}: lam_robot supports STRIPS conjunctions of literals, found {to_text(expr)}")
    return (Literal(expr[0], tuple(expr[1:])),)


def parse_domain(text: str) -> Domain:
    """Parse PDDL domain text.

    Raises:
        PddlSyntaxError: malformed text.
        DomainError: well-formed but not a typed STRIPS domain lam_robot understands.
    """
    expr = parse_sexpr(text)
    if len(expr) < 2 or expr[0] != "define" or not isinstance(expr[1], list) or expr[1][:1] != ["domain"]:
        raise DomainError("a domain starts with (define (domain NAME) ...)")
    name = expr[1][1] if len(expr[1]) > 1 else "unnamed"
    types: dict[str, str] = {}
    predicates: dict[str, tuple[tuple[str, str], ...]] = {}
    actions: dict[str, ActionSchema] = {}
    for section in expr[2:]:
        if not isinstance(section, list) or not section:
            raise DomainError(f"unexpected domain section {to_text(section)}")
        head = section[0]
        if head == ":types":
            for child, parent in parse_typed_list(section[1:]):
                types[child] = parent
        elif head == ":predicates":
            for pred in section[1:]:
                if not isinstance(pred, list) or not pred or not isinstance(pred[0], str):
                    raise DomainError(f"malformed predicate {to_text(pred)}")
                predicates[pred[0]] = tuple(parse_typed_list(pred[1:]))
        elif head == ":action":
            schema = _parse_action(section)
            actions[schema.name] = schema
        elif head in (":requirements", ":constants"):
            continue
        else:
            raise DomainError(f"unsupported domain section {head}")
    domain = Domain(name, types, predicates, actions, text)
    _check_domain(domain)
    return domain


def _parse_action(section: list) -> ActionSchema:
    if len(section) < 2 or not isinstance(section[1], str):
        raise DomainError(f"action without a name: {to_text(section)}")
    name = section[1]
    fields = dict(zip(section[2::2], section[3::2]))
    params = tuple(parse_typed_list(fields.get(":parameters", [])))
    pre = _read_literals(fields.get(":precondition", []), f"{name} precondition")
    eff = _read_literals(fields.get(":effect", []), f"{name} effect")
    return ActionSchema(name, params, pre, eff)


def _check_domain(domain: Domain) -> None:
    for schema in domain.actions.values():
        variables = {p for p, _ in schema.parameters}
        for lit in schema.preconditions + schema.effects:
            if lit.predicate not in domain.predicates:
                raise DomainError(f"action {schema.name} uses unknown predicate {lit.predicate}")
            if len(lit.args) != domain.arity(lit.predicate):
                raise DomainError(f"action {schema.name}: wrong arity in ({lit.predicate} {' '.join(lit.args)})")
            for arg in lit.args:
                if arg.startswith("?") and arg not in variables:
                    raise DomainError(f"action {schema.name}: unbound variable {arg}")


def load_domain(path: str | Path | None = None) -> Domain:
    """Read a domain file; the shipped tabletop domain when ``path`` is None."""
    from ..resources import default_domain_path

    path = Path(path) if path is not None else default_domain_path()
    try:
        text = path.read_text()
    except OSError as exc:
        raise DomainError(f"cannot read domain {path}: {exc}") from exc
    try:
        return parse_domain(text)
    except PddlSyntaxError as exc:
        raise DomainError(f"{path}: {exc}") from exc
