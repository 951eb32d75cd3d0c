"""Why each step is needed: causal links from a validated plan.

For every precondition of every step and every goal literal, the explainer
finds the step that last made it true (its *producer*). A step's reasons are
the goal atoms it achieves and the later steps whose preconditions it
establishes, rendered as a sentence such as
"unstack green from red, so that red is clear for: stack red on blue".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .symbolic.atoms import Atom
from .symbolic.domain import Domain, GroundAction
from .symbolic.formula import Goal
from .validator import regrounded
from .verbalize import action_phrase, atom_phrase, join_phrases, negated_phrase


@dataclass(frozen=True)
class CausalLink:
    """Step ``producer`` makes ``atom`` true for step ``consumer`` (None: the goal)."""

    producer: int
    atom: Atom
    consumer: int | None
    negative: bool = False


@dataclass(frozen=True)
class StepExplanation:
    """One step and why it is in the plan.

    Attributes:
        index: position in the plan, from 0.
        action: the step as PDDL text.
        achieves_goal: goal literals this step makes true for the end.
        enables: (later step index, atom) pairs this step establishes.
        sentence: the reason in plain English.
    """

    index: int
    action: str
    achieves_goal: tuple[str, ...]
    enables: tuple[tuple[int, str], ...]
    sentence: str

    def to_dict(self) -> dict:
        return {"index": self.index, "action": self.action, "achieves_goal": list(self.achieves_goal),
                "enables": [{"step": i, "atom": a} for i, a in self.enables], "sentence": self.sentence}


def causal_links(plan: Sequence[GroundAction], initial_state: frozenset, goal: Goal | None,
                 domain: Domain) -> list[CausalLink]:
    """Producer -> consumer links for every precondition and goal literal."""
    steps = regrounded(plan, domain)
    producer: dict[Atom, int] = {}      # who made an atom true last
    remover: dict[Atom, int] = {}       # who made an atom false last
    links: list[CausalLink] = []
    for index, step in enumerate(steps):
        for atom in sorted(step.pre_pos):
            if atom in producer:
                links.append(CausalLink(producer[atom], atom, index))
        for atom in step.delete:
            producer.pop(atom, None)
            remover[atom] = index
        for atom in step.add:
            producer[atom] = index
            remover.pop(atom, None)
    if goal is not None:
        final = frozenset(initial_state)
        for step in steps:
            final = step.apply(final)
        chosen = next((c for c in goal.alternatives if c.holds_in(final)), goal.alternatives[0])
        for atom in sorted(chosen.positive):
            if atom in producer:
                links.append(CausalLink(producer[atom], atom, None))
        for atom in sorted(chosen.negative):
            if atom in remover and atom in initial_state:
                links.append(CausalLink(remover[atom], atom, None, negative=True))
    return links


def explain_plan(plan: Sequence[GroundAction], initial_state: frozenset, goal: Goal | None,
                 domain: Domain, scene=None) -> list[StepExplanation]:
    """One :class:`StepExplanation` per step of a (validated) plan.

    Args:
        scene: optional; when given, objects are named as people say them ("the red block").
    """
    steps = regrounded(plan, domain)
    links = causal_links(steps, initial_state, goal, domain)
    out = []
    for index, step in enumerate(steps):
        mine = [link for link in links if link.producer == index]
        goal_links = [link for link in mine if link.consumer is None]
        if len(goal_links) > 1:  # "and the gripper is free" adds nothing next to a real goal
            goal_links = [link for link in goal_links if link.atom.predicate != "handempty"]
        step_links = [link for link in mine if link.consumer is not None]
        reasons = []
        if goal_links:
            reasons.append("which achieves the goal that " + join_phrases(
                [negated_phrase(link.atom, scene) if link.negative
                 else atom_phrase(link.atom, scene) for link in goal_links]))
        by_consumer: dict[int, list[Atom]] = {}
        for link in step_links:
            if link.atom.predicate in ("handempty",) and len(step_links) > 1:
                continue  # "the gripper is free" is implied by every placement; say it only when alone
            by_consumer.setdefault(link.consumer, []).append(link.atom)
        for consumer, atoms in sorted(by_consumer.items()):
            reasons.append("so that " + join_phrases([atom_phrase(a, scene) for a in atoms])
                           + " for: " + action_phrase(steps[consumer], scene))
        if not reasons:
            reasons.append("(no later step or goal needs this step)")
        sentence = action_phrase(step, scene) + ", " + "; and ".join(reasons)
        out.append(StepExplanation(index, str(step), tuple(str(link.atom) for link in goal_links),
                                   tuple((link.consumer, str(link.atom)) for link in step_links), sentence))
    return out
