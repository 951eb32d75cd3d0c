"""Verb frames that take things: pick up, clear, take off/out, fill, empty, swap and let go.

A mixin of :class:`~.parser._Parser`; its methods read tokens through the parser's cursor.
"""

from __future__ import annotations

from .base import Clause, _list_text, Ref, _Stop
from .resolver import _names_text, _no_such, _Resolver
from .words import (
    CLEAR_VERBS, COLOR_WORDS, EMPTY_VERBS, FILL_VERBS, HOLD_VERBS, RELEASE_VERBS, REMOVE_VERBS, SWAP_VERBS,
    TOWER_NOUNS,
)


class _TakeFrames:
    """Parser methods for the taking, clearing and swapping verbs; mixed into ``_Parser``."""

    def _p_hold(self) -> Clause | None:
        verb = self._verb(HOLD_VERBS)
        if verb is None:
            return None
        self.accept("up", "hold")
        self.accept("of")
        if verb == "hold" and self.peek() == "on" and self.peek(1) not in (",", None):
            self.pos += 1  # "hold onto the white block"
        self.theme_only = True
        try:
            themes = self._p_themes()
        finally:
            self.theme_only = False
        if themes is None or themes[0].whole and self.at_boundary():
            return None
        self.accept("up")
        self.skip_fillers()
        if self.accept("in", "with") and self.accept("the", "your"):
            self.accept("gripper", "hand", "claw")
            self.skip_fillers()
            return Clause("hold", themes)
        if self.at_boundary() or self.peek() in ("and", ","):
            return Clause("hold", themes)
        if verb in ("pick", "grab", "grasp", "seize", "fetch", "collect") and self.peek() in ("off", "from", "outof"):
            # "pick up the white block off the yellow one": where it comes from; it ends up in the hand
            save = self.pos
            self.pos += 1
            self._skip_top_of()
            source = self._p_np(allow_table=True)
            if source is not None and self.at_boundary():
                self._check_source(source)
                self._narrow_by_source(themes, source)
                return Clause("hold", themes)
            self.pos = save
        # "take X to the tray", "lift X onto Y", "take X off Y"
        return self._after_themes("move", themes)

    def _p_clear(self) -> Clause | list | None:
        verb = self._verb(CLEAR_VERBS)
        if verb is None:
            return None
        self.accept("off", "up", "out")
        self.accept("the", "top") if self.toks[self.pos:self.pos + 3] == ["the", "top", "of"] else None
        if self.accept("top"):
            self.accept("of")
        self.theme_only = True  # no destination follows: "uncover the pink block in the tower"
        try:
            ref = self._p_np(allow_table=True)
        finally:
            self.theme_only = False
        if ref is None:
            return None
        self.accept("off", "up", "out")
        return self._clear_of(ref)

    def _clear_of(self, ref: Ref):
        if ref.table:
            return Clause("cleartable", [ref])
        return Clause("clear", [ref])

    def _p_remove(self) -> Clause | None:
        start = self.pos
        verb = self._verb(REMOVE_VERBS | {"take", "get", "lift", "move"})
        if verb is None:
            return None
        if verb == "take":
            # "take the tower apart", "take apart the stack"
            save = self.pos
            first = self.accept("apart", "down")
            if self._p_tower_word(boundary=False) and (first or self.accept("apart", "down")) and self.at_boundary():
                return self._whole_stack()
            self.pos = save
            first = self.accept("apart", "down")
            if self._p_all_towers() and (first or self.accept("apart", "down")) and self.at_boundary():
                return self._every_stack()  # "take both towers apart"
            self.pos = save
        if verb in ("take", "get", "lift", "move"):
            # "take everything off X" = clear X; "take X off (Y)" handled by place/hold frames
            if self.accept("everything", "all", "whatever", "anything", "stuff"):
                self.accept("that", "is")
                if self.accept("off", "from", "outof"):
                    ref = self._p_np()
                    if ref is None:
                        return None
                    return self._clear_of(ref) if not self.vocab.is_region_ref(ref) else Clause("empty", [ref])
            self.pos = start
            return None
        self.accept("down")
        self.theme_only = verb in ("remove", "unstack")
        try:
            return self._p_remove_rest(verb)
        finally:
            self.theme_only = False

    def _whole_stack(self) -> Clause:
        """Every block of the stack on the table: "unstack the tower", "take the pile apart".

        "the tower" where there are several, with nothing said to tell them apart, is asked about.
        """
        stacks = self._stacks()
        if not self.tower_colors and not self.tower_blocks and len(stacks) > 1:
            raise _Stop("clarify", "there is more than one stack",
                        question="Which stack do you mean: " + " or ".join(
                            f"the one with {_names_text(self.vocab.scene, s)}" for s in stacks) + "?",
                        candidates=tuple(s[-1] for s in stacks))
        ref = Ref(quant="all", nouns=["block"], colors=list(self.tower_colors), adjs=["instack"], plural=True,
                  tower=list(self.tower_blocks) or None, text="the blocks of the stack")
        return Clause("place", [ref], "table", Ref(table=True, text="the table"))

    def _every_stack(self) -> Clause:
        """Every block of every stack on the table: "unstack both towers", "take all the stacks apart"."""
        ref = Ref(quant="all", nouns=["block"], adjs=["instack"], plural=True, text="the blocks of every stack")
        return Clause("place", [ref], "table", Ref(table=True, text="the table"))

    def _p_remove_rest(self, verb: str):
        if verb in ("unstack", "unpile", "dismantle", "disassemble", "remove") and self._p_tower_word():
            return self._whole_stack()
        if verb in ("unstack", "unpile", "dismantle", "disassemble") and self._p_all_towers() and self.at_boundary():
            return self._every_stack()
        if verb == "unstack" and self.accept("everything", "all"):
            self.accept("blocks", "the")
            return Clause("place", [Ref(quant="all", nouns=["block"], adjs=["instack"], plural=True,
                                        text="every stacked block")],
                          "table", Ref(table=True, text="the table"))
        if self.accept("everything", "whatever", "anything"):
            self.accept("that")
            self.accept("is")
            self.accept("on", "from", "off", "in", "outof")
            ref = self._p_np()
            if ref is None:
                return None
            return Clause("empty", [ref]) if self.vocab.is_region_ref(ref) else self._clear_of(ref)
        themes = self._p_np_list()
        if themes is None:
            return None
        if verb in ("unload", "remove") and all(self.vocab.is_region_ref(t) for t in themes) and self.at_boundary():
            return [Clause("empty", [t]) for t in themes]
        if self.accept("off", "from", "outof", "out"):
            src = None
            if self._p_off_each_tower():
                self.each_stack = True  # "remove the top block from each stack"
                self._each_stack(themes)
            elif not self.at_boundary() and self._p_tower_word():
                self._narrow_by_source(themes, self._tower_source())  # "take the top block off the tall tower"
            elif not self.at_boundary():
                self._skip_top_of()
                src = self._p_np(allow_table=True)
                if src is None:
                    return None
                self._check_source(src)
                if src.table:
                    raise _Stop("clarify", "where should it go instead of the table?",
                                question=f"Where should I put {_list_text(themes)} instead?")
                self._narrow_by_source(themes, src)
            return Clause("place", themes, "table", Ref(table=True, text="the table"), source=src)
        relation, target, chain = self._p_destination()
        if relation in ("on", "in", "to", "under"):
            return Clause("place", themes, relation, target)
        if verb in ("unstack", "remove", "unpile", "unload"):
            return Clause("place", themes, "table", Ref(table=True, text="the table"))
        return None

    def _check_source(self, ref: Ref | None) -> None:
        """``take X off the green block``: the place it comes from must exist, or the request is refused."""
        if ref is None or ref.table or ref.quant in ("it", "them", "held"):
            return
        if not _Resolver(self.vocab.scene, self.vocab).candidates(ref):
            raise _Stop("refuse", _no_such(ref, self.vocab.scene), code="unknown_object")

    def _narrow_by_source(self, themes: list, source: Ref | None) -> None:
        """``take the purple block off the yellow one``: where it comes from says which one is meant.

        Applied to a theme only when several objects match it and some, not all, are on or in the source;
        otherwise the source is only checked to exist, as before.
        """
        if source is None or source.table or source.quant in ("it", "them", "held", "there"):
            return
        for ref in themes:
            if ref.restrictor is not None or ref.names or ref.quant in ("it", "them", "held"):
                continue
            restrictor = ("on", source)
            try:
                resolver = _Resolver(self.vocab.scene, self.vocab)
                bare = resolver.candidates(ref)
                narrowed = resolver.candidates(Ref(**{**ref.__dict__, "restrictor": restrictor}))
            except _Stop:
                continue
            if narrowed and len(narrowed) < len(bare):
                ref.restrictor = restrictor
                ref.text += " " + ("from " + source.text if source.text else "")

    def _skip_top_of(self) -> None:
        """``off the top of cube2``: the same as ``off cube2``."""
        save = self.pos
        self.accept("the")
        if not (self.accept("top") and self.accept("of")):
            self.pos = save

    def _p_tower_word(self, boundary: bool = True) -> bool:
        """``(off) the stack``, ``(from) the top (of the green tower)``: a place that is no single object.

        Colours said before the tower noun are kept in ``tower_colors``.
        """
        save = self.pos
        self.tower_colors, self.tower_blocks = [], []
        det = self.accept("the", "that", "this", "its", "their")
        self.accept("very")  # "on the very top of the tower"
        if self.accept("top"):
            if not self.accept("of") and self.at_boundary():
                return True
            det = self.accept("the", "that", "this")
        self._p_tower_height()
        while self.peek() in COLOR_WORDS:
            self.tower_colors.append(self.toks[self.pos])
            self.pos += 1
        if self.accept(*TOWER_NOUNS) and (self.at_boundary() or not boundary):
            if det in ("that", "this", "its") and not self._tower_words():
                self.tower_blocks = self._tower_said()  # "the other two from that tower"
            return True
        self.pos = save
        self.tower_colors, self.tower_blocks = [], []
        return False

    def _p_fill(self) -> Clause | None:
        """``fill the tray with the red blocks``."""
        if self._verb(FILL_VERBS) is None:
            return None
        self.accept("up")
        region = self._p_np()
        if region is None or not self.vocab.is_region_ref(region) or not self.accept("with"):
            return None
        contents = self._p_np_list()
        if contents is None:
            return None
        return Clause("place", contents, "in", region)

    def _p_empty(self) -> Clause | None:
        if self._verb(EMPTY_VERBS | {"unload", "clear"}) is None:
            return None
        self.accept("out")
        ref = self._p_np()
        if ref is None or not self.vocab.is_region_ref(ref):
            return None
        self.accept("out")  # "empty the bin out onto the table"
        if self.accept("in", "to", "on"):
            # "empty the left tray into the right tray": what is in it goes there
            target = self._p_np(allow_table=True)
            if target is None:
                return None
            if target.table:
                # "empty the bin onto the table": every block out, those stacked inside too, as a bare
                # "empty the bin" (what is in it goes to the table and what stood on it with it)
                return Clause("empty", [ref])
            contents = Ref(quant="all", nouns=["block"], plural=True, restrictor=("in", ref),
                           text=f"everything in {ref.text}")
            return Clause("place", [contents], "in" if self.vocab.is_region_ref(target) else "on", target)
        return Clause("empty", [ref])

    PLACE_NOUNS = ("places", "positions", "spots", "place", "position", "spot", "round", "around", "over")

    def _p_swap(self) -> Clause | None:
        """``swap A and B``, ``switch A with B``, ``exchange the places of A and B``, ``swap the two purple blocks``."""
        if self._verb(SWAP_VERBS) is None:
            return None
        self.accept("round", "around", "over")
        if self.accept("the", "their"):
            if not (self.accept(*self.PLACE_NOUNS) and self.accept("of")):
                self.pos -= 1
        elif self.accept(*self.PLACE_NOUNS):
            self.accept("of")
        themes = self._p_np_list()
        if themes is None:
            return None
        reciprocal = self.toks[self.pos + 1:self.pos + 3] in (["each", "other"], ["one", "another"])
        if self.peek() in ("with", "for") and not reciprocal:
            self.pos += 1  # "swap A with B"
            other = self._p_np()
            if other is None:
                return None
            themes.append(other)
        return self._swap_ending(themes)

    def _swap_ending(self, themes: list) -> Clause | None:
        """What may close a swap: ``(a)round``, ``over``, ``places``, ``with each other``."""
        self.accept(*self.PLACE_NOUNS)
        self.accept(*self.PLACE_NOUNS)
        if self.accept("with"):
            if not (self.accept_seq("each other") or self.accept_seq("one another")):
                return None
        if not self.at_boundary():
            return None
        return Clause("swap", themes)

    def _held_if_meant(self, ref: Ref | None) -> Ref | None:
        """``let go of that block``: only a held block can be let go of, so the one held is meant when it fits."""
        if ref is None or ref.quant not in ("def", "indef") or ref.plural:
            return ref
        held = [f.args[0] for f in self.vocab.scene.facts if f.predicate == "holding"]
        try:
            fits = set(_Resolver(self.vocab.scene, self.vocab).candidates(ref))
        except _Stop:
            return ref
        if len(held) == 1 and held[0] in fits:
            return Ref(quant="held", text=ref.text)
        return ref

    def _p_release(self) -> Clause | None:
        if self._verb(RELEASE_VERBS) is None and not self.accept_seq("put it down") \
                and not self.accept_seq("set it down"):
            return None
        if self.toks[self.pos - 1] == "down":
            return Clause("place", [Ref(quant="it", text="it")], "table", Ref(table=True, text="the table"))
        ref = self._held_if_meant(self._p_np()) or Ref(quant="held", text="what you hold")
        relation, target, _ = self._p_destination()
        if relation in ("on", "in", "to", "under"):
            return Clause("place", [ref], relation, target)
        return Clause("place", [ref], "table", Ref(table=True, text="the table"))
