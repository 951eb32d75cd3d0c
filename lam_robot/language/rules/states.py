"""State descriptions: "the red block (should be) on the blue one", "nothing on the tray".

A mixin of :class:`~.parser._Parser`; a sentence that describes the goal state instead of an action.
"""

from __future__ import annotations

from .base import Clause, Ref, _Stop
from .tokens import _lemma
from .words import COPULAS, STATE_PREFIXES, SWAP_VERBS


class _StateFrames:
    """Parser methods for state descriptions; mixed into ``_Parser``."""

    # -- state descriptions: "the red block (should be) on the blue one"
    def _p_state(self) -> list | None:
        for phrase in STATE_PREFIXES:
            save = self.pos
            if self.accept_seq(phrase):
                if self.peek() == "it" and self.peek(1) in ("so", "such"):
                    self.pos += 1  # "make it so that ...", but "I want it in the bin": "it" is the subject
                self.accept("that", "to", "so")
                out = self._p_state_body()
                if out is not None:
                    return out
                self.pos = save
        return self._p_state_body()

    def _p_state_body(self) -> list | None:
        save = self.pos
        self.accept("there")  # "(make sure) there is nothing on the green block"
        if not (self.accept("is", "are", "be") or self.accept_seq("should be") or self.accept_seq("must be")
                or self.accept_seq("will be")) or self.peek() not in ("nothing", "no"):
            self.pos = save
        if self.accept("isclear"):
            ref = self._p_np()  # "ensure that nothing is on the red block" (folded like "the block that nothing is on")
            return [self._clear_of(ref)] if ref is not None else None
        if self.accept("nothing", "no"):
            self.accept("block", "blocks", "one", "ones", "thing", "things", "objects", "else")
            self._p_copula()
            self.accept("stacked", "sitting", "resting", "lying", "left", "placed", "put")
            self.accept("on", "in")
            ref = self._p_np()
            if ref is None:
                return None
            return [self._clear_of(ref)]
        themes = self._p_np_list()
        if themes is None:
            return None
        if self.peek() in ("could", "would", "can") and self.peek(1) in ("have", "contain", "hold", "get"):
            self.pos += 1  # "the box could have both red blocks in it"
        self.accept("should", "must", "will")
        needs = bool(self.accept("need", "needs", "wants", "want"))
        if needs and not self.accept("to") and self.peek() not in ("be", "go"):
            self.pos -= 1  # "the bin needs the yellow block in it": what it should hold
        if _lemma(self.peek() or "") in SWAP_VERBS and (len(themes) > 1 or themes[0].plural) and \
                self.peek(1) in self.PLACE_NOUNS:
            self.pos += 1  # "the red and blue blocks should swap places"
            swap = self._swap_ending(themes)
            return [swap] if swap else None
        if self._p_nothing_on():
            return [self._clear_of(t) if not self.vocab.is_region_ref(t) else Clause("empty", [t]) for t in themes]
        if self.accept("contain", "contains", "hold", "holds", "have", "has", "get", "gets", "receive", "needs",
                       "need", "wants", "want"):
            contents = self._p_np_list()
            if contents is None or len(themes) != 1:
                return None
            if self.peek() in ("on", "in") and self.peek(1) in ("it", "top"):
                self.pos += 2  # "the plate should have the orange block on it"
            if self.vocab.is_region_ref(themes[0]):
                return [Clause("place", contents, "in", themes[0])]
            if self.toks[self.pos - 2:self.pos] in (["on", "it"], ["on", "top"]):
                return [Clause("place", contents, "on", themes[0])]
            return None
        self._p_copula()
        if self.peek() in ("stacked", "arranged", "piled", "ordered") and self.peek(1) not in (
                "on", "in", "under", "onto", "into") and self.accept("stacked", "arranged", "piled", "ordered"):
            self.accept("up")
            self.accept("as", "like", ",", "in")
            chain = self._p_chain()
            if chain is not None:
                return chain
            order = self._tower_order_prefix()
            items = self._p_tower_list()
            if items and len(items) > 1:
                return self._tower_from_positions(items, order or self._tower_order_suffix())
            return None
        negated = bool(self.accept("not", "never"))
        self.accept("put", "placed", "stacked", "moved", "sitting", "resting", "lying", "located",
                    "standing", "set", "kept")
        if self.accept("clear", "free", "uncovered", "empty", "exposed", "unobstructed"):
            if negated:
                raise _Stop("refuse", "I cannot make something not clear without a place for it",
                            code="unsupported")
            return [self._clear_of(t) if not self.vocab.is_region_ref(t) else Clause("empty", [t])
                    for t in themes]
        if self.accept("held", "picked", "grabbed", "lifted", "in"):
            if self.toks[self.pos - 1] != "in" or self.peek() in ("hand", "gripper", "my", "your", "the") \
                    and self.peek(1) in ("hand", "gripper", "claw"):
                self.accept("up", "my", "your", "the")
                self.accept("hand", "gripper", "claw")
                return [Clause("hold", themes)]
            self.pos -= 1
        before = self.pos
        relation, target, chain = self._p_destination()
        if relation == "off" and self.pos - before > 1 and not negated and self.at_boundary():
            # "I need z out of the red bowl", "the black block should be off the stack"
            return [Clause("place", themes, "table", Ref(table=True, text="the table"))]
        if relation is None or relation == "off":
            return None
        self._one_anaphora(themes, target)  # "..., and the big green block on the medium one"
        companions = self._p_companions() if not negated else []  # "... could go on the plate with the black one"
        stacked = companions if getattr(self, "companions_on", False) else []
        clauses = [Clause("place", themes, relation, target, negated=negated, companions=[] if stacked else companions,
                          stacked=stacked)]
        for rel, tgt in chain:
            clauses.append(Clause("place", [clauses[-1].target], rel, tgt))
        return clauses

    def _p_nothing_on(self) -> bool:
        """``has nothing on it``, ``should have no blocks on top``, ``does not have anything on it``.

        The negated existential is another way to say "clear" (or "empty" for a region).
        """
        save = self.pos
        self.accept("does", "do")
        negated = bool(self.accept("not"))
        if not self.accept("have", "has"):
            self.pos = save
            return False
        self.accept("got")
        word = self.accept("nothing", "no", "anything", "any")
        if word is None or (word in ("anything", "any")) != negated:
            self.pos = save
            return False
        self.accept("block", "blocks", "one", "ones", "thing", "things", "objects", "else")
        self.accept("stacked", "sitting", "resting", "lying", "left", "placed", "put")
        if not self.accept("on", "in"):
            self.pos = save
            return False
        if self.accept("top"):
            self.accept("of")
        self.accept("it", "them", "itself")
        if not self.at_boundary():
            self.pos = save
            return False
        return True

    def _p_copula(self) -> None:
        self.accept("all", "both", "each")
        for phrase in COPULAS:
            if self.accept_seq(phrase):
                self.accept("placed", "put", "put", "sitting", "resting", "lying", "stacked", "located")
                return
