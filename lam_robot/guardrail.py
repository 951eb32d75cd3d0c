"""The guardrail: the single gate every goal passes before planning.

Whoever wrote a goal (a person, the rule parser, an LLM), it reaches the
planner only as a :class:`~lam_robot.symbolic.formula.Goal` produced here.
The checks, in order:

1. syntax (``and``, ``or``, ``not``, ``forall``/``exists`` over typed objects, atoms);
2. known predicates, arity, types, objects present in the scene;
3. no self-reference such as ``(on red red)``;
4. no contradiction (``on`` cycles, a block on two supports, ``in`` and
   ``on`` at once, two blocks on one, ``holding`` two things, ...);
5. reachability: every positive literal is reachable in the delete relaxation.

A refusal is a structured :class:`GoalError` (code, offending atom, human
sentence) that an LLM can be shown to repair its answer. :func:`check_goal`
never raises for any input text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from .errors import LamError
from .scene import Scene
from .symbolic.atoms import Atom
from .symbolic.domain import Domain
from .symbolic.formula import (Conjunction, FAnd, FAtom, FNot, FOr, FQuant, Formula, Goal,
                               parse_goal_formula)

#: More disjuncts than this after grounding is refused rather than planned.
MAX_ALTERNATIVES = 64


class GoalErrorCode(str, Enum):
    """Why a goal was refused. Values are stable strings for JSON and topics."""

    SYNTAX = "syntax"
    EMPTY = "empty"
    UNKNOWN_PREDICATE = "unknown_predicate"
    ARITY = "arity"
    UNKNOWN_OBJECT = "unknown_object"
    TYPE_MISMATCH = "type_mismatch"
    UNBOUND_VARIABLE = "unbound_variable"
    SELF_REFERENCE = "self_reference"
    CONTRADICTION = "contradiction"
    UNREACHABLE = "unreachable"
    OVER_CAPACITY = "over_capacity"
    TOO_COMPLEX = "too_complex"


@dataclass(frozen=True)
class GoalError:
    """A structured refusal.

    Attributes:
        code: the machine-readable reason.
        atom: the offending atom or sub-formula as PDDL text, when there is one.
        message: one sentence for a person (or an LLM repairing its output).
    """

    code: GoalErrorCode
    message: str
    atom: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code.value, "atom": self.atom, "message": self.message}

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class GuardrailResult:
    """The guardrail's verdict: a checked goal, or the reason it was refused."""

    goal: Goal | None = None
    error: GoalError | None = None

    @property
    def ok(self) -> bool:
        return self.goal is not None

    @property
    def status(self) -> str:
        return "ok" if self.ok else "refused"

    def to_dict(self) -> dict:
        return {"status": self.status,
                "goal": self.goal.to_pddl() if self.goal else None,
                "error": self.error.to_dict() if self.error else None}


class _Refusal(LamError):
    def __init__(self, code: GoalErrorCode, message: str, atom: str | None = None):
        super().__init__(message)
        self.error = GoalError(code, message, atom)


_Dnf = list  # list[tuple[frozenset[Atom], frozenset[Atom]]]


class _Grounder:
    """Grounds a formula over the scene's objects into DNF, checking as it goes."""

    def __init__(self, scene: Scene, domain: Domain):
        self.scene = scene
        self.domain = domain
        self.types = scene.object_types

    def atom(self, f: FAtom, binding: Mapping[str, str]) -> Atom:
        shown = str(f)
        if f.predicate not in self.domain.predicates:
            raise _Refusal(GoalErrorCode.UNKNOWN_PREDICATE,
                           f"unknown predicate '{f.predicate}' in {shown}; known predicates: "
                           f"{', '.join(sorted(self.domain.predicates))}", shown)
        params = self.domain.predicates[f.predicate]
        if len(params) != len(f.args):
            raise _Refusal(GoalErrorCode.ARITY,
                           f"{f.predicate} takes {len(params)} argument(s), {shown} gives {len(f.args)}", shown)
        args = []
        for (_, ptype), raw in zip(params, f.args):
            if raw.startswith("?"):
                if raw not in binding:
                    raise _Refusal(GoalErrorCode.UNBOUND_VARIABLE,
                                   f"variable {raw} in {shown} is not bound by forall/exists", shown)
                name = binding[raw]
            else:
                name = raw
                if name not in self.types:
                    raise _Refusal(GoalErrorCode.UNKNOWN_OBJECT,
                                   f"there is no object '{name}' in the scene (it has: "
                                   f"{', '.join(self.types)})", shown)
            if not self.domain.is_subtype(self.types[name], ptype):
                raise _Refusal(GoalErrorCode.TYPE_MISMATCH,
                               f"{name} is a {self.types[name]}, but {f.predicate} expects a {ptype} "
                               f"there: {shown}", shown)
            args.append(name)
        return Atom(f.predicate, tuple(args))

    def dnf(self, f: Formula, binding: Mapping[str, str], positive: bool) -> _Dnf:
        if isinstance(f, FAtom):
            atom = self.atom(f, binding)
            if atom.predicate == "on" and atom.args[0] == atom.args[1]:
                if not any(a.startswith("?") for a in f.args):
                    raise _Refusal(GoalErrorCode.SELF_REFERENCE,
                                   f"{atom}: a block cannot be on itself", str(atom))
                # reached through a quantifier: simply false for that binding
                return [] if positive else [(frozenset(), frozenset())]
            return [(frozenset([atom]), frozenset())] if positive else [(frozenset(), frozenset([atom]))]
        if isinstance(f, FNot):
            return self.dnf(f.body, binding, not positive)
        if isinstance(f, (FAnd, FOr)):
            conjunctive = isinstance(f, FAnd) == positive
            parts = [self.dnf(p, binding, positive) for p in f.parts]
            return self._product(parts) if conjunctive else self._union(parts)
        if isinstance(f, FQuant):
            bindings = self._bindings(f, binding)
            parts = [self.dnf(f.body, b, positive) for b in bindings]
            conjunctive = (f.kind == "forall") == positive
            return self._product(parts) if conjunctive else self._union(parts)
        raise _Refusal(GoalErrorCode.SYNTAX, f"unsupported formula {f!r}")

    def _bindings(self, f: FQuant, binding: Mapping[str, str]) -> list[dict]:
        pools = []
        for var, vtype in f.variables:
            if vtype not in self.domain.types and vtype != "object":
                raise _Refusal(GoalErrorCode.TYPE_MISMATCH,
                               f"unknown type '{vtype}' for {var}; the domain has: "
                               f"{', '.join(sorted(self.domain.types))}", f"{var} - {vtype}")
            pools.append([o for o, t in self.types.items() if self.domain.is_subtype(t, vtype)])
        out = []
        for combo in itertools.product(*pools):
            b = dict(binding)
            b.update({v: o for (v, _), o in zip(f.variables, combo)})
            out.append(b)
        return out

    @staticmethod
    def _union(parts: list[_Dnf]) -> _Dnf:
        out = list(dict.fromkeys(c for p in parts for c in p))
        if len(out) > MAX_ALTERNATIVES:
            raise _Refusal(GoalErrorCode.TOO_COMPLEX,
                           f"the goal has more than {MAX_ALTERNATIVES} alternative ways to be true; "
                           "state it more directly")
        return out

    @staticmethod
    def _product(parts: list[_Dnf]) -> _Dnf:
        result: _Dnf = [(frozenset(), frozenset())]
        for part in parts:
            result = list(dict.fromkeys((p1 | p2, n1 | n2) for p1, n1 in result for p2, n2 in part))
            result = [(p, n) for p, n in result if not (p & n)] if result else result
            if len(result) > MAX_ALTERNATIVES:
                raise _Refusal(GoalErrorCode.TOO_COMPLEX,
                               f"the goal has more than {MAX_ALTERNATIVES} alternative ways to be true; "
                               "state it more directly")
        return result


def _with_free_hand(conj: Conjunction) -> Conjunction:
    """Tasks end with the gripper free unless the goal is about the gripper.

    A plan that stops while holding a block is valid PDDL but not what a
    person means by "make sure green is not on red".
    """
    mentions_hand = any(a.predicate in ("holding", "handempty") for a in conj.positive | conj.negative)
    if mentions_hand:
        return conj
    return Conjunction(conj.positive | {Atom("handempty")}, conj.negative)


def find_contradiction(conj: Conjunction) -> GoalError | None:
    """The first reason ``conj`` can never hold in this domain, or None.

    Args:
        conj: ground literals.
    """
    both = conj.positive & conj.negative
    if both:
        atom = sorted(both)[0]
        return GoalError(GoalErrorCode.CONTRADICTION, f"{atom} is asked to be both true and false", str(atom))
    supports: dict[str, list[Atom]] = {}
    on_top: dict[str, list[Atom]] = {}
    held: list[Atom] = []
    clear: set[str] = set()
    for atom in sorted(conj.positive):
        if atom.predicate in ("on", "on-table", "in", "holding"):
            supports.setdefault(atom.args[0], []).append(atom)
        if atom.predicate == "on":
            on_top.setdefault(atom.args[1], []).append(atom)
        if atom.predicate == "holding":
            held.append(atom)
        if atom.predicate == "clear":
            clear.add(atom.args[0])

    def refuse(message: str, atom: Atom) -> GoalError:
        return GoalError(GoalErrorCode.CONTRADICTION, message, str(atom))

    for block, places in supports.items():
        if len(places) > 1:
            return refuse(f"{block} cannot be in two places at once: {places[0]} and {places[1]}", places[1])
    for block, tops in on_top.items():
        if len(tops) > 1:
            return refuse(f"two blocks cannot both be directly on {block}: {tops[0]} and {tops[1]}", tops[1])
        if block in clear:
            return refuse(f"(clear {block}) contradicts {tops[0]}", tops[0])
    if len(held) > 1:
        return refuse(f"the gripper can hold only one thing: {held[0]} and {held[1]}", held[1])
    if held:
        block = held[0].args[0]
        if Atom("handempty") in conj.positive:
            return refuse(f"(handempty) contradicts {held[0]}", held[0])
        if block in clear:
            return refuse(f"a held block is not clear: {held[0]} and (clear {block})", held[0])
        if block in on_top:
            return refuse(f"nothing can rest on a held block: {on_top[block][0]} and {held[0]}", on_top[block][0])
    on = {a.args[0]: a.args[1] for a in conj.positive if a.predicate == "on"}
    for start in sorted(on):
        seen = [start]
        node = on.get(start)
        while node is not None:
            if node in seen:
                chain = " on ".join(seen[seen.index(node):] + [node])
                return refuse(f"the goal stacks blocks in a cycle: {chain}", Atom("on", (start, on[start])))
            seen.append(node)
            node = on.get(node)
    return None


def relaxed_reachable(domain: Domain, scene: Scene) -> frozenset:
    """Every atom reachable from the scene when delete effects are ignored."""
    reached = set(scene.facts)
    actions = domain.ground_all(scene.object_types)
    pending = [a for a in actions if not a.pre_neg]
    changed = True
    while changed:
        changed = False
        still = []
        for action in pending:
            if action.pre_pos <= reached:
                if not action.add <= reached:
                    reached |= action.add
                    changed = True
            else:
                still.append(action)
        pending = still
    return frozenset(reached)


def check_goal(goal: str | Formula, scene: Scene, domain: Domain) -> GuardrailResult:
    """Check a goal against the domain and the scene.

    Args:
        goal: PDDL goal text (or an already parsed formula).
        scene: the grounded current state; its objects are the only names allowed.
        domain: the planning domain.

    Returns:
        A result holding either the ground :class:`Goal` or a :class:`GoalError`.
    """
    try:
        if isinstance(goal, str):
            if not goal.strip():
                raise _Refusal(GoalErrorCode.EMPTY, "the goal is empty")
            formula = parse_goal_formula(goal)
            source = goal.strip()
        else:
            formula, source = goal, ""
        dnf = _Grounder(scene, domain).dnf(formula, {}, True)
        alternatives = [_with_free_hand(Conjunction(p, n)) for p, n in dnf]
        if not alternatives:
            raise _Refusal(GoalErrorCode.CONTRADICTION, "the goal can never be true (it is false in every case)")
        first_problem = None
        consistent = []
        for conj in alternatives:
            problem = find_contradiction(conj)
            if problem is None:
                consistent.append(conj)
            elif first_problem is None:
                first_problem = problem
        if not consistent:
            return GuardrailResult(error=first_problem)
        reachable = relaxed_reachable(domain, scene)
        reachable_alts = [c for c in consistent if c.positive <= reachable]
        if not reachable_alts:
            missing = sorted(consistent[0].positive - reachable)
            return GuardrailResult(error=GoalError(
                GoalErrorCode.UNREACHABLE,
                f"{missing[0]} cannot be reached from the current scene by any sequence of actions",
                str(missing[0])))
        return GuardrailResult(goal=Goal(tuple(reachable_alts), source or reachable_alts[0].to_pddl()))
    except _Refusal as refusal:
        return GuardrailResult(error=refusal.error)
    except LamError as exc:  # PddlSyntaxError and friends
        return GuardrailResult(error=GoalError(GoalErrorCode.SYNTAX, f"the goal is not valid PDDL: {exc}"))
    except RecursionError:
        return GuardrailResult(error=GoalError(GoalErrorCode.TOO_COMPLEX, "the goal is nested too deeply"))


def goal_objects(goal: Goal) -> Iterable[str]:
    """Object names a goal mentions, in first-seen order."""
    seen: dict[str, None] = {}
    for atom in sorted(goal.atoms()):
        for arg in atom.args:
            seen.setdefault(arg, None)
    return list(seen)
