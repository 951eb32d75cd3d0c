"""Tower frames and orderings: "build a tower of ...", chains, size orders and positions.

A mixin of :class:`~.parser._Parser`; a tower comes out as one ``tower`` clause, bottom first.
"""

from __future__ import annotations

from .base import Clause, _list_text, Ref, _Stop
from .resolver import _Resolver
from .words import (
    ANY_NOUNS, BLOCK_NOUNS, BUILD_VERBS, COLOR_WORDS, SEPARATORS, SIZE_BIG, SIZE_SMALL, STATE_PREFIXES, TOWER_NOUNS,
)


class _TowerFrames:
    """Parser methods for towers and their orderings; mixed into ``_Parser``."""

    # -- towers
    def _p_tower(self) -> list | None:
        verb = self._verb(BUILD_VERBS | {"stack", "pile", "put", "place", "set", "move"})
        if verb is None:
            return None
        if verb in ("put", "place", "set", "move") and "oneachother" not in self.toks[self.pos:]:
            return None
        if verb in ("stack", "pile", "put", "place", "set", "move"):
            # "put red, orange and purple on top of each other" is a stack too
            self.accept("up")
            pairs = self._p_heading_pairs()
            if pairs is not None:
                return pairs
            if self.peek() in ("them", "these", "those", "everything", "all") and self.peek(1) == "," and \
                    self.peek(2) not in SEPARATORS:
                self.pos += 2  # "stack them: orange, yellow, blue from the bottom up"
            themes = self._p_np_list(seps=(",", "and", "then", "andthen"))
            if not themes or len(themes) < 2 and not (themes[0].plural or themes[0].quant in ("all", "both")):
                return None
            self.accept("up")
            each_other = bool(self.accept("oneachother"))
            order = self._tower_order_suffix()
            if order is None and len(themes) >= 2 and self.accept("with", "so"):
                self.accept("that")
                marks = self._p_tower_list() or []
                return self._merge_positions(themes, marks)
            if order is None and each_other and (len(themes) >= 2 or themes[0].plural):
                # "pile red, orange and purple on each other, red at the bottom"
                save = self.pos
                self.accept(",")
                self.accept("with")
                marks = self._p_tower_list() or []
                if marks and all(p for _, p in marks) and self.at_boundary() and (
                        len(themes) >= 2 or any(self._size_mark(r, p) for r, p in marks)):
                    return self._merge_positions(themes, marks)
                self.pos = save
                if self.at_boundary() or len(themes) == 1:
                    raise _Stop("clarify", "the order of the tower was not given",
                                question=f"Which block should be at the bottom of the tower of "
                                         f"{_list_text(themes)}?")
            if order is None:
                return None
            return self._tower_from_list(themes, order)
        self.accept("me", "us")
        self.accept("a", "an", "one", "the")
        self.accept("single", "tall", "big", "new", "nice", "neat", "small")
        if self.accept(*TOWER_NOUNS) is None:
            return None
        size = self._p_size_order()
        if size is not None and self.at_boundary():
            # "build a tower from biggest to smallest": of every block
            return self._size_tower([Ref(quant="all", nouns=["block"], plural=True, text="every block")], size)
        self.accept("of", "with", "from", "using", "out", "that", "in", "outof")
        self.accept("of")
        self.accept(":", ",")
        chain = self._p_chain()
        if chain is not None:
            return chain
        order = self._tower_order_prefix()
        themes = self._p_tower_list()
        if not themes:
            if self.at_boundary():
                raise _Stop("clarify", "the tower's blocks were not given",
                            question="Which blocks should the tower be made of, from the bottom up?")
            return None
        order = order or self._tower_order_suffix()
        return self._tower_from_positions(themes, order)

    def _p_heading_pairs(self) -> list | None:
        """``stack the little cubes: green on red, blue on green``: a group named, then what goes on what.

        The group is a heading, not a theme (reading it as one put every cube, red too, on red); the
        steps after the colon are the instruction, each ``A on B`` a placement. Every block a step names
        must be one of the group's. None (nothing read) unless the whole rest is such steps.
        """
        save = self.pos
        group = self._p_group_heading()
        if group is None:
            return None
        steps, good = [], self.pos
        while True:
            above = self._p_np()
            if above is None or not self.accept("on"):
                break
            below = self._p_np(allow_table=True)
            if below is None:
                break
            steps.append(Clause("place", [above], "table" if below.table else "on", below))
            good = self.pos
            if not self.accept(",", "and", "then", "andthen"):
                break
            self.accept("and", "then")
        self.pos = good
        if not steps or not self.at_boundary():
            self.pos = save
            return None
        try:
            resolver = _Resolver(self.vocab.scene, self.vocab)
            members = {n for ref in group for n in resolver.candidates(ref)}
            named = {n for c in steps for r in (c.themes[0], c.target) if not r.table
                     for n in resolver.candidates(r)}
        except _Stop:
            self.pos = save
            return None
        if not named <= members:
            self.pos = save
            return None
        return steps

    def _p_group_heading(self) -> list | None:
        """``the little cubes:``, ``the red, green and blue ones,``, ``the blocks like this``: the group a
        list of steps is about, read up to the colon (a comma once spoken) that ends it; None otherwise.

        The group's own commas ("the red, green and blue cubes") are tried as its end first, then passed.
        """
        save, toks = self.pos, self.toks
        ends = [i for i in range(save, len(toks)) if toks[i] == ","] + [len(toks)]
        for end in ends:
            self.toks = toks[:end]
            try:
                group = self._p_np_list()
                said = bool(group) and bool(self.accept("like", "as") and self.accept("this", "follows"))
                whole = bool(group) and self.at_end() and (end < len(toks) or said)
            finally:
                self.toks = toks
            if whole and (len(group) >= 2 or group[0].plural or group[0].quant in ("all", "both")):
                self.pos = end + 1 if end < len(toks) else end
                return group
            self.pos = save
        return None

    def _p_chain(self) -> list | None:
        """``orange on yellow on green`` (top first) or ``green under yellow under orange``."""
        save = self.pos
        first = self._p_np()
        refs, rels = [first], []
        while first is not None and self.peek() in ("on", "under"):
            rel = self.toks[self.pos]
            self.pos += 1
            nxt = self._p_np()
            if nxt is None:
                break
            refs.append(nxt)
            rels.append(rel)
        if first is None or len(refs) < 2 or len(set(rels)) != 1 or not self.at_boundary():
            self.pos = save
            return None
        return [Clause("tower", chain=refs[::-1] if rels[0] == "on" else refs)]

    def _p_tower_description(self) -> list | None:
        """Verbless: ``yellow at the bottom, then blue``; ``from top to bottom: red, blue, green``."""
        for phrase in STATE_PREFIXES:
            if self.accept_seq(phrase):
                break
        self.accept("a", "the")
        if self.accept(*TOWER_NOUNS):
            self.accept("of", "with", "from")
            chain = self._p_chain()
            if chain is not None:
                return chain
        order = self._tower_order_prefix()
        items = self._p_tower_list()
        if not items or len(items) < 2:
            return None
        order = order or self._tower_order_suffix()
        if order is None and not any(p for _, p in items):
            return None
        return self._tower_from_positions(items, order)

    def _tower_order_prefix(self) -> str | None:
        size = self._p_size_order()
        if size is not None:
            return size
        self.accept("from", "going", ",")
        self.accept("the")
        if self.accept("bottomtotop"):
            self.accept(",")
            return "bottom"
        if self.accept("toptobottom"):
            self.accept(",")
            return "top"
        return None

    def _p_size_order(self) -> str | None:
        """``from biggest to smallest``, ``by size``, ``in order of size``, ``largest first``.

        Returns ``size_desc`` (biggest at the bottom) or ``size_asc``; a tower is listed from the
        bottom up, so the size said first is at the bottom. ``by size`` alone is biggest at the bottom.
        Positions said after it ("the big blue one at the bottom") are kept in ``size_marks`` to check.
        """
        save = self.pos
        self.size_marks = []
        self.accept(",")
        self.accept("going", "ordered", "sorted", "arranged")
        order = None
        if self.accept("from"):
            self.accept("the")
            first = self.accept(*SIZE_BIG, *SIZE_SMALL)
            self.accept("one", "ones", "block", "blocks", "cube", "cubes")
            if first and self.accept("to", "down", "up") and (self.accept("to") or True):
                self.accept("the")
                second = self.accept(*SIZE_BIG, *SIZE_SMALL)
                self.accept("one", "ones", "block", "blocks", "cube", "cubes")
                if second and (first in SIZE_BIG) != (second in SIZE_BIG):
                    order = "size_desc" if first in SIZE_BIG else "size_asc"
        else:
            self.pos = save
            self.accept(",")
            self.accept("going", "ordered", "sorted", "arranged")
            direction = None
            if self.accept("in", "by", "according", "based"):
                self.accept("to", "on")
                self.accept("order", "descending", "ascending", "decreasing", "increasing")
                direction = self.toks[self.pos - 1]
                self.accept("of", "order")
                self.accept("their", "the", "its")
                self.accept("descending", "ascending", "decreasing", "increasing")
                direction = self.toks[self.pos - 1] if self.toks[self.pos - 1] in (
                    "descending", "ascending", "decreasing", "increasing") else direction
                if self.accept("size", "sizes") or self.accept_seq("how big they are"):
                    self.accept("order")
                    if self.accept("descending", "ascending", "decreasing", "increasing"):
                        direction = self.toks[self.pos - 1]
                    order = "size_asc" if direction in ("ascending", "increasing") else "size_desc"
            elif self.accept(*SIZE_BIG, *SIZE_SMALL):
                first = self.toks[self.pos - 1]
                self.accept("one", "ones", "block", "blocks")
                if self.accept("first"):
                    order = "size_desc" if first in SIZE_BIG else "size_asc"
        if order is None:
            self.pos = save
            return None
        mark = self.pos
        self.accept(",")
        self.accept("with", "and")
        items = self._p_tower_list()
        if items and all(p for _, p in items) and self.at_boundary():
            self.size_marks = items
        else:
            self.pos = mark
        return order

    def _tower_order_suffix(self) -> str | None:
        size = self._p_size_order()
        if size is not None:
            return size
        save = self.pos
        self.accept(",")
        self.accept("from", "going", "in", "ordered")
        self.accept("the", "order")
        if self.accept("bottomtotop"):
            return "bottom"
        if self.accept("toptobottom"):
            return "top"
        self.pos = save
        return None

    def _p_tower_list(self) -> list | None:
        """Items with optional positions: ``red at the bottom, then blue, then green on top``."""
        items = []
        self.then_seen = False
        while True:
            while self.accept(",", "and", "then", "andthen", "next", "with", "finally", "followed", "by"):
                if self.toks[self.pos - 1] in ("then", "andthen", "next", "followed") and items:
                    self.then_seen = True
            self.accept("the") if self.peek() == "the" and self.peek(1) in ("bottom", "top", "middle") else None
            position = None
            if self.peek() in ("bottom", "top", "middle") and (self.peek(1) in ("is", "should", ":") or self.peek(
                    1) in ("one", "block") and self.peek(2) in ("is", "should", ":", "being", "be", "has", "must")):
                position = self.toks[self.pos]
                self.pos += 1
                self.accept("one", "block")
                self.accept("is", "should", "being")
                self.accept("be")
            save = self.pos
            ref = self._p_np()
            if ref is None:
                self.pos = save
                self.accept("the")
                if self.accept(*SIZE_BIG, *SIZE_SMALL):  # "the biggest at the bottom": a size, said alone
                    ref = Ref(nouns=["one"], adjs=[self.toks[self.pos - 1]], text=" ".join(self.toks[save:self.pos]))
                    if self._p_position() is None:
                        ref = None
                    else:
                        self.pos = save + 1 + (self.toks[save] == "the")
            if ref is None:
                self.pos = save
                break
            position = position or self._p_position()
            items.append((ref, position))
        return items or None

    def _p_position(self) -> str | None:
        save = self.pos
        if self.accept("ends", "end", "winds", "comes") and not self.accept("up"):
            self.pos = save
        self.accept("is", "goes", "should", "being")
        self.accept("be", "go")
        if self.accept("at", "on", "in", "as"):
            self.accept("the", "very")
            word = self.accept("bottom", "top", "base", "middle", "center", "centre", "foundation")
            if word and (self.peek() in self.vocab.noun_words or self.peek() in COLOR_WORDS):
                word = None  # "on the top block": a block, not a position in the tower
            if word:
                self.accept("of")
                if self.peek() in ("it", "the") and self.peek(1) in ("tower", "stack", "pile", None):
                    self.accept("it")
                    self.accept("the")
                    self.accept(*TOWER_NOUNS)
                synonyms = {"base": "bottom", "foundation": "bottom", "center": "middle", "centre": "middle"}
                return synonyms.get(word, word)
        if self.accept("first") or self.accept_seq("as the base"):
            return "bottom"
        if self.accept("last"):
            return "top"
        self.pos = save
        return None

    def _tower_from_positions(self, items, order: str | None):
        def key(ref):
            nouns = tuple(n for n in ref.nouns if n not in BLOCK_NOUNS and n not in ANY_NOUNS)
            return tuple(ref.colors), tuple(ref.names), nouns, tuple(ref.adjs)

        if order and order.startswith("size"):
            return self._size_tower([r for r, _ in items], order)
        sized = {self._size_mark(r, p) for r, p in items}
        if len(sized) == 1 and None not in sized:
            # "a tower with the biggest block at the bottom (and the smallest on top)": all of them, by size
            return self._size_tower([Ref(quant="all", nouns=["block"], plural=True, text="every block")],
                                    sized.pop(), [])
        keys = [key(r) for r, _ in items]
        if len(set(keys)) < len(keys):  # "a, b and c with c at the bottom": c named twice
            marks = [(r, p) for r, p in items if p]
            seen, themes = set(), []
            for (r, _), k in zip(items, keys):
                if k not in seen:
                    seen.add(k)
                    themes.append(r)
            return self._merge_positions(themes, marks)
        refs = [r for r, _ in items]
        positions = [p for _, p in items]
        if order == "top":
            refs = refs[::-1]
        elif order is None:
            if any(positions):
                if positions[0] == "top" or positions[-1] == "bottom":
                    refs, positions = refs[::-1], positions[::-1]
                rank = {"bottom": 0, "top": 2}
                pairs = sorted(zip(refs, positions), key=lambda rp: rank.get(rp[1], 1))
                refs = [r for r, _ in pairs]
            elif getattr(self, "then_seen", False) and len(refs) > 1:
                pass  # "red, then blue, then green": the order of building, bottom first
            elif len(refs) == 1 and (refs[0].plural or refs[0].quant in ("all", "both")):
                raise _Stop("clarify", "the order of the tower was not given",
                            question=f"In which order should I stack {refs[0].text}, from the bottom up?")
            else:
                raise _Stop("clarify", "the order of the tower was not given",
                            question=f"Which block should be at the bottom of the tower of {_list_text(refs)}?")
        return [Clause("tower", chain=refs)]

    def _size_tower(self, themes, order: str, marks=None):
        """A tower of ``themes`` ordered by size (see :meth:`_p_size_order`)."""
        marks = list(getattr(self, "size_marks", []) if marks is None else marks)
        self.size_marks = []
        if any(self._size_mark(r, p) not in (None, order) for r, p in marks):
            raise _Stop("clarify", "the size order and the positions said disagree",
                        question="Should the biggest block be at the bottom or at the top?")
        marks = [(r, p) for r, p in marks if self._size_mark(r, p) is None]
        return [Clause("sizetower", list(themes), relation=order, marks=marks)]

    @staticmethod
    def _size_mark(ref: Ref, position: str | None) -> str | None:
        """``the biggest (one) at the bottom``: the size order a position says, for a phrase of size only."""
        sizes = [a for a in ref.adjs if a in SIZE_BIG | SIZE_SMALL | {"biggest", "largest", "smallest"}]
        if not sizes or ref.colors or ref.names or position not in ("bottom", "top") or \
                set(ref.nouns) - BLOCK_NOUNS - ANY_NOUNS:
            return None
        big = sizes[0] in SIZE_BIG | {"biggest", "largest"}
        return "size_desc" if big == (position == "bottom") else "size_asc"

    def _merge_positions(self, themes, marks):
        """``stack red, blue and green with green at the bottom``: positions given for some of the list."""
        def key(ref):
            return tuple(ref.colors), tuple(ref.names), tuple(a for a in ref.adjs)

        sized = {self._size_mark(r, p) for r, p in marks} - {None}
        if len(sized) == 1 and (len(themes) > 1 or themes[0].plural or themes[0].quant in ("all", "both", "them")):
            # "stack them with the biggest at the bottom": by size
            return self._size_tower(themes, sized.pop(), [(r, p) for r, p in marks if not self._size_mark(r, p)])
        placed = {key(r): p for r, p in marks if p}
        if len(placed) == 1 and len(themes) > 2:
            # one end named: the list is read from that end ("red, orange and purple, red at the bottom")
            (where, pos), = placed.items()
            ends = {(key(themes[0]), "bottom"), (key(themes[-1]), "top")}
            flipped = {(key(themes[0]), "top"), (key(themes[-1]), "bottom")}
            if (where, pos) in ends:
                return [Clause("tower", chain=list(themes))]
            if (where, pos) in flipped:
                return [Clause("tower", chain=list(themes)[::-1])]
        if placed and len(themes) > 2 and set(placed.values()) <= {"bottom", "top"} and \
                len(set(placed.values())) == len(placed):
            # both ends named: the list is the tower when they are its ends, either way round
            ends = {key(themes[0]): "bottom", key(themes[-1]): "top"}
            flipped = {key(themes[0]): "top", key(themes[-1]): "bottom"}
            if placed == ends:
                return [Clause("tower", chain=list(themes))]
            if placed == flipped:
                return [Clause("tower", chain=list(themes)[::-1])]
        unplaced = [t for t in themes if key(t) not in placed]
        if not placed or len(unplaced) > 1 or any(key(r) not in {key(t) for t in themes} for r, _ in marks):
            raise _Stop("clarify", "the order of the tower is not fully given",
                        question=f"In which order should I stack {_list_text(themes)}, from the bottom up?")
        rank = {"bottom": 0, "middle": 1, "top": 2}
        ordered = sorted(themes, key=lambda t: rank.get(placed.get(key(t)), 1))
        return [Clause("tower", chain=ordered)]

    def _tower_from_list(self, themes, order: str | None = None):
        if order is None:
            order = self._tower_order_suffix() or self._tower_order_prefix()
        if order is None:
            return None
        if order.startswith("size"):
            return self._size_tower(themes, order)
        return [Clause("tower", chain=themes if order == "bottom" else themes[::-1])]
