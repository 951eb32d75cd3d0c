"""Verb frames that move things somewhere: put/move/place, reverse, dispose, and destinations.

A mixin of :class:`~.parser._Parser`; its methods read tokens through the parser's cursor.
"""

from __future__ import annotations

import re

from .base import _Backtrack, Clause, _list_text, Ref, _Stop
from .resolver import _Resolver
from .tokens import _lemma
from .words import (
    ANY_NOUNS, COLOR_WORDS, DISPOSAL_KINDS, DISPOSE_VERBS, FILLER_WORDS, PLACE_VERBS, REVERSE_VERBS, SEPARATORS,
    SIZE_BIG, SIZE_SMALL, TOWER_NOUNS,
)


class _PlaceFrames:
    """Parser methods for the placing verbs; mixed into ``_Parser``."""

    # -- verbs
    def _p_reverse(self) -> Clause | None:
        """``reverse the tower``, ``turn the stack upside down``, ``rebuild the tower in reverse order``.

        The blocks of one stack, the other way up: the top block where the bottom one stands now.
        """
        tok = self.peek()
        if tok is None or _lemma(tok) not in REVERSE_VERBS | {"stack", "build", "put", "pile"}:
            return None
        verb = _lemma(tok)
        self.pos += 1
        self.accept("over", "around", "round")
        if verb in ("reverse", "invert"):
            mark = self.pos
            if not self.accept_seq("the order of"):
                self.pos = mark
            mark = self.pos
            self.accept("the", "all", "every")
            if self.accept("blocks", "cubes", "pieces", "bricks"):
                self.accept("in", "of", "on")  # "reverse the order of the blocks in the stack"
            else:
                self.pos = mark
        self.accept("whole", "entire")
        save = self.pos
        self.accept("the", "that", "this", "your")
        self.accept("whole", "entire")
        colours = self._p_tower_head()
        if colours is None:
            self.pos = save
            return None
        mark = self.pos
        if self.accept("of", "with") and not self.accept("blocks", "cubes"):
            self.pos = mark
        self._p_tower_place()  # "turn the tower in the bin upside down"
        self.accept("back")
        ending = self.accept("upsidedown", "inreverse", "over", "around", "round")
        if verb in ("reverse", "invert", "flip"):
            pass
        elif verb == "turn":
            if ending is None and self.toks[save - 1] not in ("over", "around", "round"):
                return None
        elif ending not in ("upsidedown", "inreverse"):
            return None
        marks = []
        mark = self.pos
        if self.accept("so", "with", ",") and (self.accept("that") or True):
            items = self._p_tower_list() if self.toks[self.pos - 1] != "," or self.accept("with") else None
            if items and all(p for _, p in items):
                marks = items  # "so that blue ends up at the bottom": said to check
            else:
                self.pos = mark
        if not self.at_boundary():
            return None
        ref = Ref(quant="all", nouns=["block"], colors=colours, adjs=["instack"], plural=True, whole=True,
                  tower=list(self.tower_blocks) or None, text=" ".join(self.toks[save:self.pos]))
        return Clause("reverse", [ref], marks=marks)

    def _p_dispose(self) -> Clause | None:
        """``throw the green one in the bin``: putting it in a bin, said the usual way; any other throw is refused."""
        if _lemma(self.peek() or "") not in DISPOSE_VERBS:
            return None
        self.pos += 1
        themes = self._p_np_list()
        if not themes:
            return None
        self.accept("away", "out")
        if not self.accept("in"):
            return None
        target = self._p_np()
        if target is None or not self.at_boundary() or not (
                set(target.nouns) & DISPOSAL_KINDS or any(set(re.split(r"[_\-]", n)) & DISPOSAL_KINDS
                                                          for n in target.names)):
            return None
        return Clause("place", themes, "in", target)

    def _p_themes(self) -> list | None:
        """The things moved: a list of phrases, or ``the (whole) tower`` as one piece."""
        themes = self._p_np_list()
        if themes is not None:
            return themes
        save = self.pos
        self.accept("the", "that", "this", "your")
        self.accept("whole", "entire", "complete")
        colours = self._p_tower_head()
        if colours is None:
            self.pos = save
            return None
        if self.accept("of") and not self.accept("blocks", "cubes"):
            self.pos -= 1
        self._p_tower_place()  # "move the stack in the tray to the bin"
        return [Ref(quant="all", nouns=["block"], colors=colours, adjs=["instack"], plural=True, whole=True,
                    tower=list(self.tower_blocks) or None, text=" ".join(self.toks[save:self.pos]))]

    def _p_tower_head(self) -> list[str] | None:
        """"[tall] [red] tower": the colours said before the tower word (``tower_blocks`` set by its
        height or name), or None when no tower word follows; the caller restores the position."""
        self.tower_blocks = []
        self._p_tower_height()  # "reverse the tall tower", "move the short tower to the tray"
        colours = []
        while self.peek() in COLOR_WORDS:
            colours.append("gray" if self.toks[self.pos] == "grey" else self.toks[self.pos])
            self.pos += 1
        return colours if self.accept(*TOWER_NOUNS) is not None else None

    KEEP_ORDER = (("keeping", "the", "same", "order"), ("keeping", "the", "order"), ("keeping", "its", "order"),
                  ("keeping", "their", "order"), ("keep", "the", "same", "order"), ("keep", "the", "order"),
                  ("keeping", "it", "intact"), ("keep", "it", "intact"), ("in", "the", "same", "order"),
                  ("in", "that", "order"), ("without", "changing", "the", "order"), ("as", "it", "is"),
                  ("as", "they", "are"), ("intact",), ("as", "a", "whole"), ("in", "one", "piece"),
                  ("in", "the", "same", "order", "as", "now"), ("keeping", "the", "order", "the", "same"),
                  ("keeping", "the", "blocks", "in", "the", "same", "order"), ("as", "one", "stack"),
                  ("keeping", "the", "same", "order", "as", "now"), ("in", "its", "current", "order"),
                  ("in", "the", "current", "order"), ("keeping", "the", "stack", "intact"),
                  ("keeping", "the", "tower", "intact"), ("without", "taking", "it", "apart"),
                  ("in", "order"), ("keeping", "them", "in", "order"), ("keeping", "it", "as", "it", "is"),
                  ("same", "order"), ("keep", "it", "as", "it", "is"), ("keep", "them", "as", "they", "are"),
                  ("keep", "the", "order", "the", "same"), ("as", "is"), ("still", "stacked"),
                  ("without", "unstacking", "it"), ("without", "taking", "it", "apart"),
                  ("without", "changing", "the", "order"), ("do", "not", "change", "the", "order"))

    def _p_keep_order(self) -> bool:
        """``..., keeping the same order``: a stack moved stays a stack, bottom first."""
        save = self.pos
        self.accept(",")
        self.accept("and", "but")
        self.accept("still")
        for phrase in sorted(self.KEEP_ORDER, key=len, reverse=True):
            if self.accept_seq(" ".join(phrase)) and self.at_boundary():
                return True
            self.pos = save
            self.accept(",")
            self.accept("and", "but")
            self.accept("still")
        self.pos = save
        return False

    def _verb(self, verbs) -> str | None:
        tok = self.peek()
        if tok is not None and _lemma(tok) in verbs:
            self.pos += 1
            return _lemma(tok)
        return None

    def _p_place(self) -> Clause | list | None:
        verb = self._verb(PLACE_VERBS)
        if verb is None:
            return None
        self.skip_fillers()
        if verb in ("stack", "pile"):
            self.accept("up")  # "pile up the blue blocks with ..."
        save = self.pos
        items = self._p_tower_list()
        if items and len(items) > 1 and any(p for _, p in items) and self.at_boundary() and not any(
                r.plural or r.quant in ("all", "both") or r.table or self.vocab.is_region_ref(r) for r, _ in items):
            return self._tower_from_positions(items, None)
        self.pos = save
        if verb in ("put", "set", "lay", "lower", "place") and self.accept("down"):
            themes = self._p_np_list()
            if themes is None:
                return None
            return self._after_themes(verb, themes, default_table=True)
        themes = self._p_themes()
        if themes is None:
            return None
        return self._after_themes(verb, themes)

    def _p_tower_base(self) -> Ref | None:
        """``(stack them) on the table / in the bin (with red at the bottom)``: where the tower is to stand.

        Read only when an order follows (``with``, a comma, ``so``); otherwise the place is an ordinary
        destination and nothing is read.
        """
        save, toks = self.pos, self.toks
        ends = [i for i in range(save, len(toks)) if toks[i] in ("with", ",", "so", "having")]
        if not ends or not self.accept("on", "in", "inside"):
            self.pos = save
            return None
        self.toks = toks[:ends[0]]  # "the table with red ..." is not a table that has red on it
        try:
            ref = self._p_np(allow_table=True)
            whole = ref is not None and self.at_end() and (ref.table or self.vocab.is_region_ref(ref))
        finally:
            self.toks = toks
        if whole:
            return ref
        self.pos = save
        return None

    def _ends_of_group(self, themes: list, items: list) -> list | None:
        """``stack the blocks with red at the bottom and green on top``: a group's two ends named, the one
        block left between them.

        Only for one group phrase and exactly a bottom and a top; the block between is the group's one
        not named (a group of more than three is asked about when the goal is built).
        """
        if len(themes) != 1 or not (themes[0].plural or themes[0].quant in ("all", "both", "them")) or \
                len(items) != 2 or sorted(p or "" for _, p in items) != ["bottom", "top"] or \
                themes[0].quant == "them" and not self.said:
            return None
        bottom, top = (ref for ref, _ in sorted(items, key=lambda item: item[1]))
        between = Ref(quant="def", nouns=["block"], excluded=[bottom, top], among=themes[0],
                      text=f"the one of {themes[0].text} between {bottom.text} and {top.text}")
        return [Clause("tower", chain=[bottom, between, top])]

    @staticmethod
    def _on_base(clauses, base: Ref | None):
        """The tower ``clauses`` with their base set to stand on ``base`` (the table or a region)."""
        for clause in clauses if base is not None and isinstance(clauses, list) else []:
            if clause.kind == "tower":
                clause.target = base
        return clauses

    def _skip_fillers_but_there(self) -> None:
        """Fillers before a destination, but not "there" said as the place ("please put it there")."""
        if not (self.peek() in ("there", "here") and self._boundary_after(1)):
            self.skip_fillers()

    def _after_themes(self, verb: str, themes: list, default_table: bool = False):
        self._skip_fillers_but_there()
        if verb in ("stack", "pile"):
            self.accept("up")  # "pile the three green blocks up, biggest at the bottom"
        if self.accept("back"):
            pass
        down = bool(self.accept("down"))
        if self.peek() == "out" and self.peek(1) in ("on", "in", "across"):
            self.pos += 1  # "lay the blocks out on the table"
        self._skip_fillers_but_there()
        start = self.pos
        base = self._p_tower_base() if verb in ("stack", "pile") else None
        if verb in ("stack", "pile") and self.peek() in ("with", ",", "so", "having") and \
                (themes[0].plural or themes[0].quant in ("all", "both") or len(themes) > 1):
            save = self.pos
            self.pos += 1
            self.accept("that")
            order = self._tower_order_prefix()
            items = self._p_tower_list()
            for ref, _ in items or []:
                self._one_of_the_group(ref, themes)
            if items and not order and any(self._size_mark(r, p) for r, p in items):
                return self._on_base(self._merge_positions(themes, items), base)  # "with the biggest at the bottom"
            ends = self._ends_of_group(themes, items) if items and not order else None
            if ends is not None:
                return self._on_base(ends, base)  # "stack the three with red at the bottom and green on top"
            if items and (order or any(p for _, p in items)):
                return self._on_base(self._tower_from_positions(items, order or self._tower_order_suffix()), base)
            self.pos = save
        self.pos = start
        if verb in ("stack", "pile") and self.peek() in ("toptobottom", "bottomtotop", "from", ","):
            out = self._tower_from_list(themes)
            if out is not None:
                return out
        if self.accept("so", "such"):
            self.accept("that")
            if self._p_np() is None:
                raise _Backtrack()
            self._p_copula()
        if self._p_by_colour():
            # "sort the blocks by colour": each into the region of its colour
            relation, target, chain = "in", Ref(nouns=["region"], plural=True, match="color",
                                                text="the region of its colour"), []
            self.source = None
        else:
            relation, target, chain = self._p_destination()
            self._each_stack(themes)
        self._narrow_by_source(themes, self.source)
        self._one_anaphora(themes, target)
        if relation is None:
            if verb == "take" and self.accept("up"):
                return Clause("hold", themes)
            if down or default_table or verb in ("drop", "lower"):
                return Clause("place", themes, "table", Ref(table=True, text="the table"))
            if verb == "stack" and len(themes) >= 1:
                order = self._tower_order_suffix()
                if order is not None:
                    return self._tower_from_list(themes, order)
                if len(themes) == 1 and not themes[0].plural and themes[0].quant not in ("all", "both"):
                    raise _Stop("clarify", "stack it on what?",
                                question=f"What should I stack {themes[0].text} on?")
                raise _Stop("clarify", "the order of the stack was not given",
                            question=f"In which order should I stack {_list_text(themes)}, "
                                     "from the bottom up?")
            if self.at_boundary():
                names = _list_text(themes)
                if any(self.vocab.is_region_ref(t) for t in themes):
                    raise _Stop("refuse", f"{names} cannot be moved; I can only move blocks", code="unsupported")
                if self._resumed_by_it():
                    return Clause("hold", themes, retracted=True)  # "move the white one? put it in the bowl"
                raise _Stop("clarify", "no destination was given",
                            question=f"Where should I put {names}?")
            return None
        if relation == "off":
            return Clause("place", themes, "table", Ref(table=True, text="the table"), source=self.source,
                          keep_order=self._p_keep_order() or any(t.whole for t in themes))
        if target is not None and self.vocab.is_region_ref(target) and self._p_by_colour():
            target.match = "color"  # "put the blocks in the trays by colour"
        if self.peek() in ("except", "but", "excluding") and any(t.quant == "all" for t in themes):
            save = self.pos
            self.pos += 1
            self.accept("for")
            excluded = self._p_np_list()
            if excluded:
                for t in themes:
                    t.excluded = t.excluded + excluded if t.quant == "all" else t.excluded
            else:
                self.pos = save
        companions = self._p_companions()
        stacked = companions if getattr(self, "companions_on", False) else []
        clauses = [Clause("place", themes, relation, target, companions=[] if stacked else companions,
                          stacked=stacked)]
        if self._p_keep_order() or any(t.whole for t in themes):
            clauses[0].keep_order = True
        for rel, tgt in chain:
            clauses.append(Clause("place", [clauses[-1].target], rel, tgt))
        return clauses

    def _resumed_by_it(self) -> bool:
        """Whether the next clause moves "it" somewhere: then a move said without a place is only its topic."""
        ahead = [t for t in self.toks[self.pos:self.pos + 8] if t not in FILLER_WORDS and t not in SEPARATORS]
        return len(ahead) >= 3 and _lemma(ahead[0]) in PLACE_VERBS and ahead[1] in ("it", "them") and \
            ahead[2] in ("in", "on", "into", "onto", "to", "under", "down", "back") and \
            self.toks[self.pos:self.pos + 1] in ([","], ["and"], ["then"], ["andthen"])

    @staticmethod
    def _one_of_the_group(ref: Ref, themes: list) -> None:
        """``stack the blue blocks with the left one at the bottom, then the middle one``: each "one" is one of
        the blue blocks (so "the middle one" is the middle blue block, not the middle of everything)."""
        if len(themes) != 1 or not themes[0].plural or ref.colors or ref.names or \
                any(n != "one" for n in ref.nouns) or not ref.nouns or set(ref.adjs) & (SIZE_BIG | SIZE_SMALL):
            return  # "the biggest one at the bottom" orders by size, as it is
        ref.colors = list(themes[0].colors)
        ref.nouns = [n for n in themes[0].nouns if n not in ANY_NOUNS] or ref.nouns

    def _one_anaphora(self, themes: list, target: Ref | None) -> None:
        """``put the small red block on the big one``: "one" stands for the noun (and colour) just said."""
        if target is None or not themes or target.colors or target.names or target.quant not in ("def", "indef") \
                or any(n not in ("one",) for n in target.nouns) or not target.nouns \
                or not set(target.adjs) & (SIZE_BIG | SIZE_SMALL | {"medium", "middle"}):
            return
        antecedent = themes[-1]
        if antecedent.quant not in ("def", "indef") or antecedent.names:
            return
        before = (list(target.colors), list(target.nouns))
        target.colors = list(antecedent.colors)
        target.nouns = [n for n in antecedent.nouns if n not in ANY_NOUNS] or target.nouns
        try:
            resolver = _Resolver(self.vocab.scene, self.vocab)
            same = set(resolver.candidates(target)) == set(resolver.candidates(antecedent))
        except _Stop:
            same = False
        if same:  # "the yellow block goes on the big one": not the yellow block itself
            target.colors, target.nouns = before

    def _p_companions(self) -> list:
        """``(together / along) with the purple one`` after a destination: what is, or goes, there too."""
        save = self.pos
        self.companions_on = False
        self.accept("together", "along")
        if not self.accept("with", "alongside", "and"):
            self.pos = save
            return []
        refs = self._p_np_list()
        if refs is None:
            self.pos = save
            return []
        # "with the blue one on top (of it)": the companion goes on what was put there
        mark = self.pos
        if self.accept("on") and (self.accept("it", "that", "them") or self.accept("top")) and self.at_boundary():
            self.companions_on = True
            return refs
        self.pos = mark
        if self.toks[save:save + 1] == ["and"] or self.toks[save + 1:save + 2] == ["and"]:
            self.pos = save
            return []
        return refs

    def _p_by_colour(self) -> bool:
        """``by colour``, ``according to (their) colour``, ``so (that) the colours match``."""
        save = self.pos
        self.accept(",")
        for phrase in ("by colour", "by color", "by their colour", "by their color", "according to colour",
                       "according to color", "according to their colour", "according to their color",
                       "based on colour", "based on color", "based on their colour", "based on their color",
                       "to match their colour", "to match their color", "to match its colour",
                       "to match its color", "so the colours match", "so the colors match",
                       "so that the colours match", "so that the colors match", "matching their colours",
                       "matching their colors", "matching the colours", "matching the colors"):
            if self.accept_seq(phrase) and (self.at_boundary() or self._p_sorted_into()):
                return True
            self.pos = save
            self.accept(",")
        self.pos = save
        return False

    def _p_sorted_into(self) -> bool:
        """``(sort the blocks by colour) into the trays``: the regions sorted into, said after "by colour".

        Only a plural of places (or places in general) is read: which one each block goes to is
        still its colour's; ``into the red tray`` after "by colour" is not read here.
        """
        save = self.pos
        if self.accept("in", "into", "to", "among", "between"):
            self.accept("the", "their", "its")
            ref = self._p_np()
            if ref is not None and self.vocab.is_region_ref(ref) and (ref.plural or ref.quant in ("all", "both")) \
                    and not ref.colors and self.at_boundary():
                return True
        self.pos = save
        return False

    def _each_stack(self, themes: list) -> None:
        """After ``off each tower`` / ``off both stacks``: a block named by its place in a stack ("the top
        block") is that block of every stack, not one of them."""
        if not getattr(self, "each_stack", False):
            return
        self.each_stack = False
        for ref in themes:
            if not ref.plural and ref.quant == "def" and any(
                    a in ("stacktop", "stackbottom") or a.startswith("rank") for a in ref.adjs):
                ref.quant, ref.plural = "all", True

    def _p_off_each_tower(self) -> bool:
        """``(off) each tower``, ``(from) both stacks``, said to its end: every stack is where things come from."""
        mark = self.pos
        if not self.at_boundary() and self._p_all_towers() and (
                self.at_boundary() or self.peek() in ("and", "then", "andthen", ",")):
            return True
        self.pos = mark
        return False

    def _p_destination(self):
        """``on the blue block [on the green one]``, ``in the tray``, ``under X``, ``on the table``."""
        self.source = None
        self.each_stack = False
        if self.peek() == "there" and self.peek(1) in ("instead", "too", "as", "again"):
            self.pos += 1
            return "to", Ref(quant="there", text="there"), []  # "put the grey one there instead"
        if self.peek() in ("there", "here") and self._boundary_after(1):
            self.pos += 1
            return "to", Ref(quant="there", text="there"), []  # "please put it there" (not the filler "there")
        self.skip_fillers()
        tok = self.peek()
        if tok in ("nextto", "infrontof", "leftof", "rightof", "beside", "near", "behind", "between",
                   "around", "by", "against", "alongside"):
            raise _Stop("refuse", f"I can only put things on blocks, in regions or on the table; "
                        f"\"{tok.replace('of', ' of').replace('nextto', 'next to').replace('infront', 'in front')}\""
                        " is not a place I can reach exactly", code="unsupported")
        relation = None
        if any(self.accept_seq(p) for p in self.FORMER_PLACE):
            return "to", Ref(quant="former", text="where it was"), []  # "put the blue one in its place"
        save = self.pos
        if self.accept("where"):  # "put the black block where the white one was": where that one is now
            other = self._p_np()
            if other is not None and other.quant not in ("it", "them", "there") and \
                    self.accept("was", "is", "were", "are", "stood", "sat", "stands", "sits"):
                return "to", Ref(quant="former", among=other, text=" ".join(self.toks[save:self.pos])), []
            self.pos = save
        if self.accept("on", "over", "above", "upon", "across"):
            relation = "on"
            if self.peek() in ("top", "it", "the") and self.toks[self.pos:self.pos + 2] in (["top"], ["top", ","]) \
                    or self.toks[self.pos:self.pos + 1] == ["top"] and self._boundary_after(1):
                self.pos += 1
                return "on", Ref(top=True, text="the top"), []
        elif self.accept("in", "within"):
            relation = "in"
        elif self.accept("under"):
            relation = "under"
        elif self.accept("to", "towards", "toward", "at"):
            relation = "to"
            save = self.pos
            if self._p_tower_word() and self.toks[self.pos - 1] in TOWER_NOUNS:
                # "put X at the top of the tower": on the block at the top of the stack
                return "on", Ref(nouns=["block"], colors=list(self.tower_colors), adjs=["stacktop"],
                                 tower=self.tower_blocks or None,
                                 text="the top of the stack"), []
            self.pos = save
            self.accept("the")  # "to the" handled by np parser too
            if self.toks[self.pos - 1] == "the":
                self.pos -= 1
        elif self.accept("off", "outof", "from", "out", "away"):
            # "take X off (Y)" -> on the table
            if self._p_off_each_tower():
                self.each_stack = True  # "take the top block off each tower": one from every stack
            elif not self.at_boundary() and self._p_tower_word():
                self.source = self._tower_source()  # "take the top block off the tall tower"
            elif not self.at_boundary():
                self._skip_top_of()
                self.source = self._p_np()
                self._check_source(self.source)
            if self.peek() in ("and", "then", "andthen", ",") and self.peek(1) in ("on", "in", "to", "under"):
                self.pos += 1  # "move X out of zone a and onto cube2": the source, then the destination
                return self._p_destination()
            return "off", None, []
        elif self.accept("there", "here"):
            return "to", Ref(quant="there", text="there"), []  # the place said last, or a question
        elif self.accept("somewhere", "elsewhere", "aside", "away"):
            raise _Stop("clarify", "the destination is not clear",
                        question="Where exactly should it go: on a block, in a region or on the table?")
        else:
            return None, None, []
        if self.accept("there", "here"):
            return relation, Ref(quant="there", text="there"), []  # "put b3 in there"
        self.skip_fillers()
        if self.accept("top"):
            if self.accept("of"):
                pass
            elif self.at_boundary():
                return "on", Ref(top=True, text="the top"), []
        if relation == "on" and self._p_tower_word():
            # "put X on the stack": on the block at the top of the (one) stack
            return "on", Ref(nouns=["block"], colors=list(self.tower_colors), adjs=["stacktop"],
                             tower=self.tower_blocks or None, text="the top of the stack"), []
        apart = self._p_apart()
        self.in_destination = True
        try:
            target = self._p_np(allow_table=True)
        finally:
            self.in_destination = False
        if target is None:
            raise _Backtrack()
        if apart:
            target.match, target.plural = "apart", True  # "in different bowls": one each
        chain = []
        while self.peek() in ("on", "under"):
            save = self.pos
            rel = self.toks[self.pos]
            self.pos += 1
            nxt = self._p_np(allow_table=True)
            if nxt is None:
                self.pos = save
                break
            chain.append((rel, nxt))
        return relation, target, chain

    def _p_apart(self) -> bool:
        """``(in) different / separate (bowls)``, ``two different``: one place each, not one for all.

        Reads the words before the place noun; "different" with no plural noun after it is left unread.
        """
        save = self.pos
        self.accept("two", "three", "their", "the")
        if self.accept("different", "separate") and self.peek() not in SEPARATORS and self.peek() is not None:
            return True
        self.pos = save
        return False

    FORMER_PLACE = ("in its place", "in their place", "in its spot", "where it was", "where they were",
                    "where that was", "in place of it", "where it used to be", "where it was before",
                    "in its old place", "in the same place", "in the same spot", "where it had been")

    def _boundary_after(self, k: int) -> bool:
        tok = self.peek(k)
        return tok is None or tok in SEPARATORS
