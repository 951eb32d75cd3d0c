"""The counted domain: the standard domain, with each region's blocks counted against its room.

Every action that puts a block into a region or takes one out gets a counted twin
(``place-in-region`` -> ``place-in-region-counted``) with two more parameters, the region's count
before and after, so that placing needs a free slot:

    (place-in-region-counted ?x ?r ?before ?after)
      precondition: ... (room-level ?r ?before) (room-next ?before ?after) (room-fits ?r ?after)
      effect:       ... (room-level ?r ?after) (not (room-level ?r ?before))

Counts are objects (``room-level-0`` ...) linked by ``room-next``, so the domain stays plain typed
STRIPS that Fast Downward and pyperplan read. The twins are derived from the parsed domain, not
written by hand, so the standard domain stays the one source of what each action means; only the
planner sees the counted one, and :meth:`CountedTask.standard_plan` maps its plan back.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

from ..symbolic.atoms import Atom
from ..symbolic.domain import ActionSchema, Domain, GroundAction, Literal, parse_domain
from .base import PlanningTask

COUNT_TYPE = "room-count"
LEVEL = "room-level"  # (room-level ?r ?n): region ?r holds ?n blocks
NEXT = "room-next"    # (room-next ?n ?m): ?m is ?n plus one
FITS = "room-fits"    # (room-fits ?r ?n): ?n blocks fit side by side in ?r
SUFFIX = "-counted"


class CountedTask:
    """A planning task over the counted domain, and the way back to the standard domain.

    Args:
        task: the task in the standard domain.
        limits: region name -> blocks it holds side by side; a region not named is limited
            only by the number of blocks.

    Attributes:
        task: the counted task to hand to a planner.
    """

    def __init__(self, task: PlanningTask, limits: Mapping[str, int]):
        domain, self._twins = _counted_domain(task.domain.text)
        self._standard = task.domain
        regions = [o for o, t in task.objects.items() if task.domain.is_subtype(t, "region")]
        blocks = sum(1 for t in task.objects.values() if not task.domain.is_subtype(t, "region"))
        now = {r: sum(1 for a in task.state if a.predicate == "in" and a.args[1] == r) for r in regions}
        room = {r: limits.get(r, blocks) for r in regions}
        top = max([0, *room.values(), *now.values()])
        levels = [f"{LEVEL}-{i}" for i in range(top + 1)]
        facts = {Atom(NEXT, (levels[i], levels[i + 1])) for i in range(top)}
        for r in regions:
            facts.add(Atom(LEVEL, (r, levels[now[r]])))
            facts.update(Atom(FITS, (r, levels[i])) for i in range(1, room[r] + 1))
        self.task = PlanningTask(domain, {**task.objects, **{lv: COUNT_TYPE for lv in levels}},
                                 task.state | facts, task.goal)

    def standard_plan(self, plan: Sequence[GroundAction]) -> tuple[GroundAction, ...]:
        """The counted plan as steps of the standard domain (counts dropped), grounded there."""
        out = []
        for step in plan:
            name, arity = self._twins.get(step.name, (step.name, len(step.args)))
            out.append(self._standard.ground_action(name, step.args[:arity]))
        return tuple(out)


@lru_cache(maxsize=8)
def _counted_domain(text: str) -> tuple[Domain, dict[str, tuple[str, int]]]:
    """The counted domain for the domain ``text``, and twin name -> (standard name, arity)."""
    standard = parse_domain(text)
    actions, twins = [], {}
    for schema in standard.actions.values():
        twin = _twin(schema, standard)
        actions.append(twin)
        if twin is not schema:
            twins[twin.name] = (schema.name, len(schema.parameters))
    types = {**standard.types, COUNT_TYPE: "object"}
    predicates = {**standard.predicates,
                  LEVEL: (("?r", "region"), ("?n", COUNT_TYPE)),
                  NEXT: (("?n", COUNT_TYPE), ("?m", COUNT_TYPE)),
                  FITS: (("?r", "region"), ("?n", COUNT_TYPE))}
    return parse_domain(_domain_text(standard.name + SUFFIX, types, predicates, actions)), twins


def _twin(schema: ActionSchema, domain: Domain) -> ActionSchema:
    """``schema`` with its regions' counts kept, or ``schema`` itself when it moves no block in or out."""
    regions = {p for p, t in schema.parameters if domain.is_subtype(t, "region")}
    touched = [(lit.args[1], lit.positive) for lit in schema.effects
               if lit.predicate == "in" and lit.args[1] in regions]
    if not touched:
        return schema
    params, pre, eff = list(schema.parameters), list(schema.preconditions), list(schema.effects)
    for i, (region, fills) in enumerate(touched):
        before, after = f"?room-before-{i}", f"?room-after-{i}"
        params += [(before, COUNT_TYPE), (after, COUNT_TYPE)]
        pre.append(Literal(LEVEL, (region, before)))
        pre.append(Literal(NEXT, (before, after) if fills else (after, before)))
        if fills:
            pre.append(Literal(FITS, (region, after)))
        eff += [Literal(LEVEL, (region, after)), Literal(LEVEL, (region, before), positive=False)]
    return ActionSchema(schema.name + SUFFIX, tuple(params), tuple(pre), tuple(eff))


def _domain_text(name: str, types: Mapping[str, str], predicates: Mapping[str, tuple],
                 actions: Sequence[ActionSchema]) -> str:
    """Typed STRIPS PDDL text (what Fast Downward and pyperplan read)."""
    def typed(params) -> str:
        return " ".join(f"{p} - {t}" for p, t in params)

    def literals(lits) -> str:
        parts = [f"({' '.join((lit.predicate, *lit.args))})" for lit in lits]
        parts = [p if lit.positive else f"(not {p})" for p, lit in zip(parts, lits)]
        return f"(and {' '.join(parts)})"

    negative_pre = any(not lit.positive for a in actions for lit in a.preconditions)
    requirements = ":strips :typing" + (" :negative-preconditions" if negative_pre else "")
    by_parent: dict[str, list[str]] = {}
    for child, parent in types.items():
        by_parent.setdefault(parent, []).append(child)
    lines = [f"(define (domain {name})", f"  (:requirements {requirements})",
             "  (:types " + " ".join(f"{' '.join(kids)} - {parent}" for parent, kids in by_parent.items()) + ")",
             "  (:predicates " + " ".join(f"({p} {typed(params)})" for p, params in predicates.items()) + ")"]
    for a in actions:
        lines.append(f"  (:action {a.name} :parameters ({typed(a.parameters)})\n"
                     f"    :precondition {literals(a.preconditions)}\n    :effect {literals(a.effects)})")
    return "\n".join(lines) + ")\n"
