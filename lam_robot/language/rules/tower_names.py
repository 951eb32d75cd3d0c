"""Which stack a tower word names: "the tall tower", "the short stack", "that tower", "both towers",
and blocks counted down a stack ("the second block from the top").

A mixin of :class:`~.parser._Parser`. A scene with two towers needs more than "the tower": people
tell them apart by height or by a block said just before ("the red block and the other two from that
tower"). The chosen stack's blocks go into ``Ref.tower`` (which also takes colours), so every frame
that already reads "the green tower" reads these too.
"""

from __future__ import annotations

import re

from .base import Ref, _Stop
from .resolver import _names_text, _Resolver
from .words import NUMBER_WORDS, TOWER_NOUNS

#: Height words before a tower noun, and whether they pick the tallest (True) or the shortest stack.
_TALL = "tall big high large huge long taller higher longer tallest highest longest".split()
_SHORT = "short small little low tiny shorter lower shortest lowest".split()
TOWER_HEIGHTS = {**{w: True for w in _TALL}, **{w: False for w in _SHORT}}
TOWER_PLURALS = frozenset("towers stacks piles columns".split())
#: Spoken ordinals, for "the second block from the top".
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4, "5th": 5}


class _TowerNames:
    """Parser methods naming one stack among several; mixed into ``_Parser``."""

    def _stacks(self) -> list[list[str]]:
        """Every stack of two or more blocks in the scene, bottom first."""
        resolver = _Resolver(self.vocab.scene, self.vocab)
        out = []
        for fact in self.vocab.scene.facts:
            if fact.predicate == "on":
                stack = resolver._stack_of(fact.args[0])
                if stack not in out:
                    out.append(stack)
        return out

    def _p_tower_height(self) -> None:
        """``the tall tower``, ``the shorter stack``: the tallest or shortest stack, into ``tower_blocks``.

        Taken only before a tower noun (or its colours). Two stacks of the same height are asked about.
        """
        word = self.peek()
        if word not in TOWER_HEIGHTS or not (self.peek(1) in TOWER_NOUNS or self.peek(1) in TOWER_PLURALS):
            return
        stacks = self._stacks()
        if not stacks:
            return
        best = (max if TOWER_HEIGHTS[word] else min)(len(s) for s in stacks)
        chosen = [s for s in stacks if len(s) == best]
        if len(chosen) > 1:
            raise _Stop("clarify", f"the {word} {self.peek(1)} could be {len(chosen)} stacks",
                        question="Which stack do you mean: " + " or ".join(
                            f"the one with {_names_text(self.vocab.scene, s)}" for s in chosen) + "?",
                        candidates=tuple(s[-1] for s in chosen))
        self.pos += 1
        self.tower_blocks = list(chosen[0])

    def _p_tower_place(self) -> None:
        """``the tower in the bin``, ``the stack inside the tray``: the stack standing in that region, into
        ``tower_blocks``.

        Read after a tower noun. A scene may hold a stack in a bin and another on the table, and the place
        is how a speaker tells them apart (or just says where the one stack is). Anything else after
        ``in`` is left unread.
        """
        save = self.pos
        if not self.accept("in", "inside", "within"):
            return
        self.accept("of")
        try:
            ref = self._p_np()
            names = _Resolver(self.vocab.scene, self.vocab).candidates(ref) \
                if ref is not None and self.vocab.is_region_ref(ref) else []
        except _Stop:
            names = []
        chosen = [s for s in self._stacks() if self.vocab.scene.support_of(s[0]) in names]
        if len(chosen) != 1:
            self.pos = save
            return
        self.tower_blocks = list(chosen[0])

    def _tower_said(self) -> list[str]:
        """``that tower``, ``its stack``: the stack of the block said last, when it is in one."""
        for ref in reversed(self.said):
            try:
                names = _Resolver(self.vocab.scene, self.vocab).candidates(ref)
            except _Stop:
                return []
            stacks = {tuple(s) for s in self._stacks() for n in names if n in s}
            return list(next(iter(stacks))) if len(stacks) == 1 else []
        return []

    def _tower_words(self) -> list[str]:
        """What ``Ref.tower`` gets from the tower word just read: its colours and the blocks of its stack."""
        return list(getattr(self, "tower_colors", [])) + list(getattr(self, "tower_blocks", []))

    def _tower_source(self) -> Ref | None:
        """``off the tall tower``: the stack named, as a place something comes from (None for "the tower")."""
        words = self._tower_words()
        if not words:
            return None
        return Ref(quant="all", nouns=["block"], adjs=["instack"], plural=True, tower=words, text="the tower")

    def _p_all_towers(self) -> bool:
        """``both towers``, ``all the stacks``, ``the two towers``, ``every tower``: every stack there is."""
        save = self.pos
        self.accept("the")
        quant = self.accept("both", "all", "every", "each", "two", "three")
        self.accept("of")
        self.accept("the")
        self.accept("two", "three")
        noun = self.accept(*TOWER_PLURALS) or self.accept(*TOWER_NOUNS)  # "towers" may be spelt back to "tower"
        if quant is None or not noun:
            self.pos = save
            return False
        return True

    def _p_ordinal(self, start: int) -> Ref | None:
        """``the second block from the top``, ``the third one from the bottom of the stack``, and ``the second
        block`` where the blocks are numbered (block_1, block_2, ...): after "the", an ordinal and a noun.

        None (nothing read) when neither fits; "the second" then keeps its older sense, "the other".
        """
        save = self.pos
        count = ORDINALS[self.toks[self.pos]]
        self.pos += 1
        ahead = self.toks[self.pos:self.pos + 6]
        cut = next((self.pos + k for k in range(len(ahead) - 2) if ahead[k] in ("from", "counting") and
                    ahead[k + 1] == "the" and (ahead[k + 2] in ("top", "bottom") or ahead[k + 2] == "very")), None)
        toks = self.toks
        if cut is not None:
            self.toks = toks[:cut]
        try:
            ref = self._p_np_core(Ref(quant="def"), start)
        finally:
            self.toks = toks
        if ref is not None and cut is not None and self.pos == cut and self._p_rank(ref, count):
            ref.text = " ".join(self.toks[start:self.pos])
            return ref
        if ref is None and cut is None and (self.at_boundary() or self.peek() in ("on", "in", "to", "off", "outof")):
            ref = Ref(quant="def", nouns=["one"], text=" ".join(self.toks[start:self.pos]))  # "off the first"
        if ref is not None and cut is None and not ref.names:
            hits = self._numbered(count, ref)
            if len(hits) == 1:
                ref.names = hits
                return ref
        self.pos = save
        return None

    def _p_top_few(self, start: int) -> Ref | None:
        """``the top two blocks (of the stack)``, ``the bottom three``: that many from one end of a stack."""
        save = self.pos
        end = self.toks[self.pos]
        count = NUMBER_WORDS[self.toks[self.pos + 1]]
        self.pos += 2
        ref = self._p_np_core(Ref(quant="def"), start)
        if ref is None:
            if not (self.at_boundary() or self.peek() in ("on", "in", "to", "off", "outof", "from", "of")):
                self.pos = save
                return None
            ref = Ref(quant="def", nouns=["block"])
            self._p_restrictor(ref)
        ref.number, ref.plural = count, True
        ref.adjs = ref.adjs + [f"few{end}{count}"]
        ref.text = " ".join(self.toks[start:self.pos])
        return ref

    def _p_first_few(self, start: int) -> Ref | None:
        """``the first two blocks``, ``the last three cubes``: where the blocks are numbered (block_1, block_2,
        ...), that many of the lowest (or highest) numbers among those the noun fits.

        None (nothing read) where any of them has no number: then "first" has no order to count in.
        """
        save = self.pos
        end, count = self.toks[self.pos], NUMBER_WORDS[self.toks[self.pos + 1]]
        self.pos += 2
        ref = self._p_np_core(Ref(quant="def"), start)
        try:
            fits = _Resolver(self.vocab.scene, self.vocab).candidates(ref) if ref is not None else []
        except _Stop:
            fits = []
        numbers = {n: re.search(r"(\d+)$", n) for n in fits}
        if ref is None or ref.names or len(fits) < count or not all(numbers.values()) or \
                len({int(m.group(1)) for m in numbers.values()}) < len(fits):
            self.pos = save
            return None
        ranked = sorted(fits, key=lambda n: int(numbers[n].group(1)), reverse=end == "last")
        # the rest are left out by name (a Ref's names are the parts of one name, not a list)
        ref.excluded = ref.excluded + [Ref(quant="def", names=[n], text=n) for n in ranked[count:]]
        ref.number, ref.plural = count, True
        ref.text = " ".join(self.toks[start:self.pos])
        return ref

    def _numbered(self, count: int, ref: Ref) -> list[str]:
        """The objects fitting ``ref`` whose name ends in ``count`` (block_2 for "the second block")."""
        try:
            fits = _Resolver(self.vocab.scene, self.vocab).candidates(ref)
        except _Stop:
            return []
        return [n for n in fits if re.fullmatch(rf"[a-z_\-]*?[_\-]?0*{count}", n)]

    def _p_rank(self, ref: Ref, count: int) -> bool:
        """``(the second block) from the top (of the tall tower)``: counted down (or up) its stack.

        Reads where counting starts and records it as an adjective the resolver reads. Returns whether
        it did.
        """
        save = self.pos
        if not (self.accept("from", "counting") and self.accept("the")):
            self.pos = save
            return False
        self.accept("very")
        end = self.accept("top", "bottom")
        if end is None:
            self.pos = save
            return False
        if self.accept("of"):
            if not (self._p_tower_word(boundary=False) and self.toks[self.pos - 1] in TOWER_NOUNS):
                self.pos = save
                return False
            ref.tower = self._tower_words() or ref.tower
        ref.adjs = ref.adjs + [f"rank{end}{count}"]
        return True
