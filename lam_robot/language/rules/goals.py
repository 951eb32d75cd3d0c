"""Goal assembly: clauses to the final set of goal literals, later clauses overriding earlier ones.

:class:`ParseOutcome` is what the rule parser returns, before the guardrail.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from ...scene import Scene

from .base import Clause, Ref, _Stop
from .resolver import _names_text, _Resolver


@dataclass
class ParseOutcome:
    """What the rule parser made of an instruction, before the guardrail."""

    status: str                        # ok | refused | clarify
    goal_pddl: str | None = None
    reason: str | None = None
    question: str | None = None
    candidates: tuple = ()
    code: str | None = None


def _lit(pred: str, *args: str) -> str:
    return "(" + " ".join((pred, *args)) + ")"


class _GoalBuilder:
    """Accumulates the final state clause by clause; a later clause overrides an earlier one."""

    def __init__(self, scene: Scene, resolver: _Resolver):
        self.scene = scene
        self.res = resolver
        self.support: dict[str, str] = {}   # block -> literal (or disjunction) for where it ends up
        self.extra: dict[str, str] = {}     # key -> literal (clear X, negations)
        self.order: list[str] = []

    def _set_support(self, block: str, literal: str) -> None:
        self.support[block] = literal
        self.order.append(block)
        self.extra.pop(f"clear {block}", None) if literal.startswith("(holding") else None

    def add(self, clause: Clause) -> None:
        kind = clause.kind
        if clause.retracted:
            # nothing to do, but "it" in the correction that follows refers to its objects
            names = []
            for ref in clause.themes:
                got = self.res.resolve(ref, many=True)
                self.res.note(got, ref.plural or len(got) > 1)
                names += got
            if len(clause.themes) > 1:
                self.res.note(names, True)
            return
        if kind == "tower":
            names = []
            for ref in clause.chain:
                got = self.res.resolve(ref)
                if len(got) != 1:
                    if ref.quant in ("all", "both", "them") or ref.plural:
                        raise _Stop("clarify", "the order of the tower was not given",
                                    question=f"In which order should I stack {_names_text(self.scene, got)}, "
                                             "from the bottom up?", candidates=tuple(got))
                    raise _Stop("clarify", f"\"{ref.text}\" is ambiguous",
                                question=f"Which one do you mean by \"{ref.text}\": "
                                         f"{_names_text(self.scene, got, ' or ')}?", candidates=tuple(got))
                names.append(got[0])
                self.res.note(got, False)
            if len(names) < 2:
                raise _Stop("clarify", "a tower needs at least two blocks",
                            question="Which blocks should the tower be made of, from the bottom up?")
            if clause.target is not None:
                # "stack them on the table with red at the bottom": the tower's base there too
                base = "table" if clause.target.table else self.res.resolve(clause.target, role="target")[0]
                self._build_chain(names, base)
            for below, above in zip(names, names[1:]):
                self._place(above, "on", below)
            self.res.placed_top = names[-1]
            self.res.last = [names[-1]]
            return
        if kind == "swap":
            self._swap(clause)
            return
        if kind == "reverse":
            stack = self._one_stack(clause.themes[0])
            for ref, position in clause.marks:
                got = self.res.resolve(ref)
                if got != [stack[-1] if position == "bottom" else stack[0] if position == "top" else None]:
                    raise _Stop("clarify", f"{ref.text} would not be at the {position} of the reversed tower",
                                question="Which block should be at the bottom?", candidates=tuple(stack))
            self._build_chain(stack[::-1], self.scene.support_of(stack[0]))
            return
        if kind == "sizetower":
            self._size_tower(clause)
            return
        if kind in ("clear", "cleartable", "empty"):
            for ref in clause.themes:
                if kind == "cleartable" or ref.table:
                    raise _Stop("clarify", "clearing the table needs a destination",
                                question="Where should the blocks on the table go?")
                for name in self.res.resolve(ref, many=True):
                    obj = self.scene.objects[name]
                    if obj.type == "region":
                        # what is in it and what stands on that: everything taken out
                        inside = [m for f in self.scene.facts if f.predicate == "in" and f.args[1] == name
                                  for m in self.res._stack_of(f.args[0])]
                        for block in inside:
                            self._set_support(block, _lit("on-table", block))
                        self.res.remember([name])
                        self.res.note(inside, True)
                        continue
                    else:
                        for block, lit in list(self.support.items()):
                            if lit == _lit("on", block, name):
                                del self.support[block]
                        self.extra[f"clear {name}"] = _lit("clear", name)
                    self.res.note([name], False)
            return
        themes: list[list[str]] = []
        for ref in clause.themes:
            got = self.res.resolve(ref, role="theme")
            themes.append((ref, got))
        fixed = [n for _, got in themes for n in got if self.scene.objects[n].type == "region"]
        if fixed and not clause.retracted:
            raise _Stop("refuse", f"{_names_text(self.scene, fixed)} cannot be moved; I can only move blocks",
                        code="unsupported")
        if kind == "hold":
            for ref, got in themes:
                for name in got:
                    self._set_support(name, _lit("holding", name))
                self.res.note(got, ref.plural)
            if len(themes) > 1:  # "take X and Y and put them in the bin"
                self.res.note([n for _, got in themes for n in got], True)
            return
        # place
        target = clause.target
        if target is None:
            raise _Stop("clarify", "no destination", question="Where should it go?")
        source: list = []
        if clause.source is not None:
            try:
                source = self.res.resolve(clause.source, role="restrictor", many=True)
            except _Stop:
                pass
            self.res.remember(source)
        if target.match == "apart":
            self._place_apart(clause, themes)
            return
        if target.match:
            self._place_matching(clause, themes)
            return
        self.res.current_supports = {self.scene.support_of(n) for _, got in themes for n in got}
        self.res.target_relation = clause.relation
        self.res.current_themes = {n for _, got in themes for n in got}
        try:
            dest = self._negated_target(clause, themes) or self._dest_by_companions(clause, target) or \
                self.res.resolve(target, role="target")
        finally:
            self.res.current_supports = set()
            self.res.target_relation = None
            self.res.current_themes = set()
        if len(dest) > 1 and target.quant == "indef" and not target.plural and len(clause.themes) == 1:
            got = themes[0][1]
            if len(got) == 1:
                options = [self._literal(got[0], clause.relation, d) for d in dest if d != got[0]]
                key = "any:" + got[0]
                self.support[key] = "(or " + " ".join(options) + ")" if len(options) > 1 else options[0]
                self.order.append(key)
                self.res.note(got, False)
                return
        if len(dest) > 1 and (target.plural or target.quant in ("all", "both")) and \
                sum(len(got) for _, got in themes) == 1:
            raise _Stop("refuse", f"one block cannot be in {len(dest)} places at once ({target.text})",
                        code="impossible")
        if len(dest) != 1:
            raise _Stop("clarify", f"\"{target.text}\" could mean several objects",
                        question=f"Which one do you mean by \"{target.text}\": "
                                 f"{_names_text(self.scene, dest, ' or ')}?", candidates=tuple(dest))
        where = dest[0]
        if clause.relation == "under" and (where == "table" or self.scene.objects[where].type == "region"):
            raise _Stop("refuse", f"nothing can go under {target.text}; I can put blocks on blocks, in regions "
                        "or on the table", code="unsupported")
        themes += self._companions(clause, where)
        if clause.keep_order:
            self._move_stack(clause, themes, where)
            return
        for ref, got in themes:
            indefinite = ref.quant == "indef" and len(got) > 1 and not ref.plural
            if ref.quant in ("all",) and where in got and len(got) > 1:
                got = [g for g in got if g != where]
            if indefinite:
                options = [self._literal(g, clause.relation, where) for g in got if g != where]
                key = "any:" + ",".join(got)
                self.support[key] = "(or " + " ".join(options) + ")" if len(options) > 1 else options[0]
                self.order.append(key)
            else:
                for name in got:
                    if clause.negated:
                        self.extra[f"not {name}"] = _lit("not", self._literal(name, clause.relation, where))
                    else:
                        self._place(name, clause.relation, where)
            self.res.note(got, ref.plural or ref.quant in ("all", "both", "them"))
        if clause.stacked:
            self._stack_on(clause, [n for _, got in themes for n in got])
        if where != "table":
            self.res.mentioned.append(where) if where not in self.res.mentioned else None
            self.res.remember([where])
        self.res.last_place = where
        if where == "table" and len(source) == 1:
            self.res.remember(source)
            self.res.last_place = source[0]  # "take X off Y and put Z there": Y, the place said
        if clause.relation in ("on", "to") and where in self.scene.objects and \
                self.scene.objects[where].type == "block" and len(themes) == 1 and len(themes[0][1]) == 1:
            self.res.placed_top = themes[0][1][0]
        elif clause.relation == "under":
            self.res.placed_top = where

    def _negated_target(self, clause: Clause, themes: list) -> list[str] | None:
        """``make sure the green block isn't on the yellow one``: of the yellow ones, the one it is on now.

        Denying a relation presupposes it holds, so an ambiguous place is the one the theme is in or
        on now, when exactly one fits; otherwise None (resolved as usual).
        """
        if not clause.negated or clause.target is None or clause.target.quant != "def" or clause.target.plural:
            return None
        try:
            options = self.res.candidates(clause.target)
        except _Stop:
            return None
        names = [n for _, got in themes for n in got]
        now = [d for d in options if any(self.res._holds(clause.relation, n, d) for n in names)]
        return now if len(options) > 1 and len(now) == 1 else None

    def _dest_by_companions(self, clause: Clause, target: Ref) -> list[str] | None:
        """``put the orange block in the bowl with the purple one``: of two bowls, the one the purple block is in.

        A companion already in one of several places that fit the target says which is meant; None when it
        does not pick out exactly one (resolved as usual).
        """
        if not clause.companions or target.quant != "def" or target.plural:
            return None
        try:
            options = self.res.candidates(target)
            mates = [self.res.candidates(ref) for ref in clause.companions]
        except _Stop:
            return None
        there = [d for d in options if all(any(self.scene.support_of(n) == d for n in got) for got in mates)]
        return there if len(options) > 1 and len(there) == 1 else None

    def _companions(self, clause: Clause, where: str) -> list:
        """``put X in the basket with the purple one``: a companion already there only locates the place;
        one that is elsewhere goes there too. "with the others" never moves anything."""
        out = []
        for ref in clause.companions:
            got = self.res.resolve(ref, role="theme", many=True)
            if ref.others:
                continue
            moving = [n for n in got if self.scene.support_of(n) != where]
            if len(moving) < len(got) and not (ref.plural or ref.quant in ("all", "both", "them")):
                continue  # "with the purple one": the purple one that is there already
            if moving and (where == "table" or self.scene.objects[where].type != "region"):
                raise _Stop("clarify", f"{ref.text} cannot also go on {where}",
                            question=f"Should {ref.text} go somewhere else?", candidates=tuple(moving))
            if moving:
                out.append((ref, moving))
        return out

    def _one_stack(self, ref: Ref) -> list[str]:
        """The blocks of the one stack ``ref`` names ("the tower", "the red tower"), bottom first."""
        names = self.res.resolve(ref, many=True)
        stacks = []
        for name in names:
            stack = self.res._stack_of(name)
            if stack not in stacks:
                stacks.append(stack)
        if len(stacks) > 1:
            raise _Stop("clarify", "there is more than one stack",
                        question="Which stack do you mean: " + " or ".join(
                            f"the one with {_names_text(self.scene, s)}" for s in stacks) + "?",
                        candidates=tuple(s[0] for s in stacks))
        if not stacks or len(stacks[0]) < 2:
            raise _Stop("refuse", "there is no stack of blocks to do that with", code="unknown_object")
        self.res.note(stacks[0], True)
        return stacks[0]

    def _build_chain(self, chain: list[str], base: str | None) -> None:
        """``chain[0]`` on ``base`` (the table or a region), each next block on the one before."""
        if base in (None, "table") or self.scene.objects[base].type != "region":
            self._set_support(chain[0], _lit("on-table", chain[0]))
        else:
            self._set_support(chain[0], _lit("in", chain[0], base))
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.placed_top = chain[-1]

    def _move_stack(self, clause: Clause, themes: list, where: str) -> None:
        """``move the tower into the bin, keeping the same order``: the lowest block goes there, the rest
        stay on it as they are now."""
        names = [n for _, got in themes for n in got]
        stack = self.res._stack_of(names[0]) if names else []
        if not names or any(n not in stack for n in names):
            raise _Stop("clarify", "they are not one stack, so there is no order to keep",
                        question=f"In which order should I put {_names_text(self.scene, names)} there, "
                                 "from the bottom up?", candidates=tuple(names))
        chain = [n for n in stack if n in names]
        if where in chain:
            raise _Stop("refuse", "a stack cannot go on one of its own blocks", code="impossible")
        self._place(chain[0], clause.relation, where)
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.note(chain, True)
        self.res.last_place = where

    def _stack_on(self, clause: Clause, placed: list) -> None:
        """``put X in the tray with Y on top of it``: Y on X (and the next on Y)."""
        if len(placed) != 1:
            raise _Stop("clarify", "on top of which one?", question="On top of which block should it go?",
                        candidates=tuple(placed))
        base = placed[0]
        for ref in clause.stacked:
            got = self.res.resolve(ref, role="theme")
            if len(got) != 1 or got[0] == base:
                raise _Stop("clarify", f"\"{ref.text}\" is not one other block",
                            question=f"Which block should go on {base}?", candidates=tuple(got))
            self._place(got[0], "on", base)
            self.res.note(got, False)
            base = got[0]

    def _place_matching(self, clause: Clause, themes: list) -> None:
        """``put each block in the tray of its colour``: every block to the one place of its own colour."""
        places = self.res.resolve(clause.target, role="target", many=True)
        missing, placed = [], []
        for ref, got in themes:
            for name in got:
                colour = self.scene.objects[name].color
                hits = [p for p in places if p != name and colour and
                        (self.scene.objects[p].color or "").replace("grey", "gray") == colour.replace("grey", "gray")]
                if len(hits) > 1:
                    raise _Stop("clarify", f"more than one {clause.target.text} has the colour of {name}",
                                question=f"Which of {_names_text(self.scene, hits, ' or ')} should {name} go in?",
                                candidates=tuple(hits))
                if not hits:
                    missing.append(name)
                    continue
                self._place(name, clause.relation, hits[0])
                placed.append(name)
            self.res.note(got, ref.plural or ref.quant in ("all", "both", "them"))
        if missing:
            raise _Stop("clarify", "nothing there has the colour of " + _names_text(self.scene, missing),
                        question=f"Where should {_names_text(self.scene, missing)} go? Nothing there has "
                                 "its colour.", candidates=tuple(missing))

    def _place_apart(self, clause: Clause, themes: list) -> None:
        """``put the lemon and the plum in different bowls``: each block in a place none of the others is in.

        Which goes where is not said, so every one-to-one assignment is an alternative (the planner takes
        the cheapest); more blocks than places cannot be done.
        """
        places = self.res.resolve(clause.target, role="target", many=True)
        names = [n for _, got in themes for n in got]
        if len(names) > len(places):
            raise _Stop("refuse", f"{len(names)} blocks cannot each go in a different one of "
                        f"{_names_text(self.scene, places)}", code="impossible")
        options = ["(and " + " ".join(self._literal(n, clause.relation, p) for n, p in zip(names, chosen)) + ")"
                   for chosen in permutations(places, len(names))]
        if len(options) > 24:
            raise _Stop("clarify", "too many ways to share them out",
                        question=f"Where should each of {_names_text(self.scene, names)} go?")
        key = "apart:" + ",".join(names)
        self.support[key] = "(or " + " ".join(options) + ")" if len(options) > 1 else options[0]
        self.order.append(key)
        self.res.note(names, True)

    def _size_tower(self, clause: Clause) -> None:
        """``stack them from biggest to smallest``: a tower ordered by the blocks' sizes."""
        names: list[str] = []
        for ref in clause.themes:
            if ref.quant == "them" and not self.res.last and not any(
                    f.predicate == "holding" for f in self.scene.facts):
                got = list(self.scene.blocks)  # "stack them by size", said of what is on the table
            else:
                got = self.res.resolve(ref, many=True)
            names += [n for n in got if n not in names and self.scene.objects[n].type == "block"]
        sizes = {n: self.scene.objects[n].size for n in names}
        if len(names) < 2:
            raise _Stop("clarify", "a tower needs at least two blocks",
                        question="Which blocks should the tower be made of?")
        if None in sizes.values() or len(set(sizes.values())) < len(names):
            raise _Stop("clarify", "the blocks' sizes do not give an order",
                        question=f"Some of {_names_text(self.scene, names)} are the same size (or their size is "
                                 "not known); in which order should I stack them, from the bottom up?",
                        candidates=tuple(names))
        chain = sorted(names, key=lambda n: sizes[n], reverse=clause.relation == "size_desc")
        for ref, position in clause.marks:
            got = self.res.resolve(ref)
            want = chain[0] if position == "bottom" else chain[-1] if position == "top" else None
            if len(got) != 1 or got[0] != want:
                raise _Stop("clarify", f"{ref.text} at the {position} does not fit the order by size",
                            question="By size, " + _names_text(self.scene, [chain[0]]) + " would be at the "
                                     "bottom; which order do you want?", candidates=tuple(chain))
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.note(chain, True)
        self.res.placed_top = chain[-1]

    def _swap(self, clause: Clause) -> None:
        """``swap A and B``: each block takes the place (support) the other has now."""
        names: list[str] = []
        for ref in clause.themes:
            got = self.res.resolve(ref, role="theme", many=len(clause.themes) == 1)
            names += [n for n in got if n not in names]
        if len(names) != 2:
            raise _Stop("clarify", f"swapping needs two blocks, {len(names)} match",
                        question=f"Which two of {_names_text(self.scene, names)} should I swap?",
                        candidates=tuple(names))
        fixed = [n for n in names if self.scene.objects[n].type != "block"]
        if fixed:
            raise _Stop("refuse", f"{_names_text(self.scene, fixed)} cannot be moved; I can only move blocks",
                        code="unsupported")
        a, b = names
        was = {a: self.scene.support_of(a), b: self.scene.support_of(b)}
        if None in was.values():
            raise _Stop("refuse", "I do not know where one of them is now", code="unsupported")
        if was[a] == was[b]:
            where = "on the table" if was[a] == "table" else f"in {self.scene.objects[was[a]].describe()}"
            raise _Stop("refuse", f"{_names_text(self.scene, names)} are both {where}; swapping them changes "
                        "nothing I can do", code="unsupported")
        for block, other in ((a, b), (b, a)):
            place = was[other] if was[other] != block else other  # "swap A and B" with A on B: B ends on A
            literal = _lit("holding", block) if place == "gripper" else self._literal(block, "to", place)
            self._set_support(block, literal)
            if place in self.scene.objects and self.scene.objects[place].type == "block":
                self.extra.pop(f"clear {place}", None)
        self.res.note(names, True)

    def _literal(self, name: str, relation: str, where: str) -> str:
        if where == "table" or relation == "table":
            return _lit("on-table", name)
        obj = self.scene.objects[where]
        if obj.type == "region":
            return _lit("in", name, where)
        if relation == "under":
            return _lit("on", where, name)
        return _lit("on", name, where)

    def _place(self, name: str, relation: str, where: str) -> None:
        literal = self._literal(name, relation, where)
        if relation == "under" and where != "table" and self.scene.objects[where].type == "block":
            self._set_support(where, literal)
            self.extra.pop(f"clear {name}", None)
            return
        self._set_support(name, literal)
        if where in self.scene.objects and self.scene.objects[where].type == "block":
            self.extra.pop(f"clear {where}", None)

    def _implied(self, key: str, lit: str) -> bool:
        """``the grey one shouldn't be in the tray, put it on the yellow one``: a block placed somewhere else
        is not in the tray anyway, so the denial adds nothing (a denial of the very place is kept, and refused)."""
        name = key[4:] if key.startswith("not ") else None
        placed = self.support.get(name) if name else None
        return bool(placed) and placed.startswith(("(on ", "(in ", "(on-table ", "(holding ")) and \
            lit != _lit("not", placed)

    def pddl(self) -> str:
        seen = []
        for key in self.order:
            lit = self.support.get(key)
            if lit is not None and lit not in seen:
                seen.append(lit)
        seen += [lit for key, lit in self.extra.items() if lit and lit not in seen and not self._implied(key, lit)]
        if not seen:
            raise _Stop("refuse", "the instruction asks for nothing to change", code="empty")
        return "(and " + " ".join(seen) + ")"
