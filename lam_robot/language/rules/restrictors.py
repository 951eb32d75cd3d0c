"""Noun-phrase restrictors: colour clauses, "of its colour", "except ...", locative phrases.

A mixin of :class:`~.parser._Parser`; a restrictor is kept only where it narrows the reference
in this scene (checked against the resolver).
"""

from __future__ import annotations

from .base import Ref, _Stop
from .resolver import _Resolver
from .words import COLOR_WORDS, TOWER_NOUNS


class _Restrictors:
    """Parser methods for restrictors on a noun phrase; mixed into ``_Parser``."""

    def _p_colour_clause(self, ref: Ref) -> None:
        """The colour said after the noun: ``whose colour is yellow``, ``coloured grey``, ``that is red``.

        Also ``of (the) colour yellow``, ``with a yellow colour`` and ``in yellow`` (the last only
        before a destination, so "put the block in red" is never read as a colour).
        """
        save = self.pos
        if self._p_not_colour(ref):
            return
        lead = self.accept("whose", "that", "which", "coloured", "colored", "painted", "of", "with", "in")
        if lead is None:
            return
        named = False
        if lead == "whose" and not self.accept("colour", "color"):
            self.pos = save
            return
        self.accept("is", "are")
        self.accept("coloured", "colored", "painted")
        if lead in ("of", "with"):
            self.accept("the", "a")
            named = bool(self.accept("colour", "color"))
            self.accept("of")
        colours = []
        while self.peek() in COLOR_WORDS or self.peek() in self.vocab.colors:
            colours.append("gray" if self.toks[self.pos] == "grey" else self.toks[self.pos])
            self.pos += 1
            self.accept("and", "or") if self.peek(1) in COLOR_WORDS else None
        if self.accept("colour", "color", "coloured", "colored") is None and self.peek() == "in" and \
                self.peek(1) in ("colour", "color"):
            self.pos += 2  # "that is yellow in colour"
        elif self.toks[self.pos - 1] in ("colour", "color", "coloured", "colored"):
            named = True
        if not colours or self.peek() in self.vocab.noun_words or lead in ("of", "with") and not named or \
                lead == "in" and self.peek() not in ("on", "in", "to", "under"):
            self.pos = save
            return
        ref.colors += colours

    def _p_not_colour(self, ref: Ref) -> bool:
        """``the bowl that isn't red``, ``the block that is not blue``: every one of that sort but that colour."""
        save = self.pos
        if not (self.accept("that", "which") and self.accept("not")) or not (ref.nouns or ref.colors):
            self.pos = save
            return False
        colours = []
        while self.peek() in COLOR_WORDS or self.peek() in self.vocab.colors:
            colours.append("gray" if self.toks[self.pos] == "grey" else self.toks[self.pos])
            self.pos += 1
            self.accept("or", "nor", ",")
        if not colours or self.peek() in self.vocab.noun_words:
            self.pos = save
            return False
        ref.excluded = ref.excluded + [Ref(colors=[c], nouns=list(ref.nouns), text=f"the {c} one") for c in colours]
        return True

    MATCH_PHRASES = ("of its colour", "of its own colour", "of their colour", "of their own colour",
                     "of the same colour", "with the same colour", "that matches its colour",
                     "that matches their colour", "that match their colour", "matching its colour",
                     "matching their colour", "matching its own colour", "of matching colour", "of the matching colour",
                     "that has the same colour", "that have the same colour", "with its colour",
                     "with their colour", "in its colour", "in their colour", "of the right colour",
                     "of the corresponding colour", "of the same colour as it", "of the same colour as them",
                     "that the same colour", "that the same colour as it",
                     "that their colour", "that its colour", "that their own colour", "that its own colour",
                     "the same colour as it",
                     "the same colour as them", "the same colour")

    def _p_match(self, ref: Ref) -> None:
        """``the tray of its colour``, ``the tray that matches its colour``: chosen object by object."""
        if not (ref.nouns or ref.names) or ref.colors:
            return
        save = self.pos
        for phrase in sorted(self.MATCH_PHRASES, key=len, reverse=True):
            for variant in {phrase, phrase.replace("colour", "color"), phrase.replace("colour", "colours"),
                            phrase.replace("colour", "colors")}:
                if self.accept_seq(variant):
                    ref.match = "color"
                    return
                self.pos = save

    def _p_except(self, ref: Ref) -> None:
        """``every block except the red one``, ``all blocks but blue``."""
        save = self.pos
        if self.accept("except", "but", "excluding", "besides", "apart") is None:
            return
        self.accept("for", "from")
        excluded = self._p_np_list()
        if not excluded:
            self.pos = save
            return
        ref.excluded = excluded
        ref.text += " " + " ".join(self.toks[save:self.pos])

    def _p_restrictor(self, ref: Ref) -> None:
        """``the block (that is) on the table``, ``everything in the tray``.

        Only taken when it is explicit ("that ...") or when another destination
        follows, so "put the block on the table" keeps "on the table" as its destination.
        """
        save = self.pos
        explicit = bool(self.accept("that", "which", "sitting", "lying", "resting", "currently"))
        participle = explicit and self.toks[self.pos - 1] in ("sitting", "lying", "resting")
        if explicit:
            self.accept("is", "are", "sits", "sit", "rests")
            self.accept("sitting", "lying", "resting", "now")
        if self.peek() == "on" and self.peek(1) == "top" and self.peek(2) != "of" and (explicit or self.peek(2) in (
                "in", "on", "to", "into", "onto", "under") or getattr(self, "theme_only", False) and self.peek(2) in (
                None, ",")):  # "put the red block on top in the bin", "the red block on top, put it ..."
            self.pos += 2  # "the red block that is on top": the top of its stack
            ref.adjs.append("stacktop")
            ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
            return
        if self._stack_position_restrictor(ref, explicit, save):
            return
        if self._with_restrictor(ref, explicit, save):
            return
        if self._tower_restrictor(ref, explicit, save):
            return
        if self._reduced_relative(ref, save):
            return
        if self._negated_locative(ref, save):
            return
        rel = self.accept("on", "in", "under", "from", "outof", "off")
        if rel is None:
            self.pos = save
            return
        inner = self._p_np(allow_table=True) if rel else None
        if inner is None:
            self.pos = save
            return
        self._one_anaphora([ref], inner)  # "the green block that's sitting on the big one": the big green one
        if rel == "on" and self.peek() == "on" and not explicit and not self._disambiguates(ref, ("on", inner)):
            self.pos = save
            return
        follows = self.peek() in ("on", "in", "under", "to", "outof", "off", "from", "down", "onto",
                                  "into", "back", "over", "is", "are", "should", "goes", "nextto", "all",
                                  "both", "go", "must", "needs", "has", "will", "out", "could", "would", "can",
                                  "might", "may", "ought")
        theme_only = getattr(self, "theme_only", False) and self.at_boundary() and rel in ("on", "in", "under")
        # "stack the grey block on the purple one in the basket": the last words of a destination
        # say which purple block, when they pick out exactly one
        landmark = self.in_destination and self.at_boundary() and rel in ("on", "in") and \
            self._disambiguates(ref, (rel, inner))
        if explicit or follows or theme_only or landmark:
            restrictor = ({"outof": "in", "from": "on", "off": "on"}.get(rel, rel), inner)
            if (not explicit or participle) and not self._plausible(ref, restrictor):
                self.pos = save  # "I want the grey block sitting on the red one": where it should be
                return
            ref.restrictor = restrictor
            ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
            return
        self.pos = save

    def _negated_locative(self, ref: Ref, save: int) -> bool:
        """``all the blocks that are not in a bowl (or on a plate)``: every one but those there now."""
        here = self.pos
        if not self.accept("not"):
            return False
        places = []
        while True:
            rel = self.accept("on", "in", "under")
            inner = self._p_np(allow_table=True) if rel else None
            if inner is None:
                self.pos = here
                return False
            places.append((rel, inner))
            if not (self.peek() in ("or", "nor") and self.peek(1) in ("on", "in", "under")):
                break
            self.pos += 1
        for rel, inner in places:
            ref.excluded = ref.excluded + [Ref(**{**ref.__dict__, "restrictor": (rel, inner), "excluded": [],
                                                  "quant": "all", "plural": True, "number": None})]
        ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
        return True

    def _reduced_relative(self, ref: Ref, save: int) -> bool:
        """``the plate the orange block is on``, ``the bowl the purple one sits in``: what holds that block now."""
        if self.peek() not in ("the", "a", "that") or ref.quant not in ("def", "indef"):
            return False
        here = self.pos
        inner = self._p_np()
        if inner is None or inner.quant in ("it", "them", "held", "there") or not (
                self.accept("is", "are", "sits", "sit", "was", "lies", "rests", "stands") and
                self.accept("on", "in")):
            self.pos = here
            return False
        self.accept("top")
        if not (self.at_boundary() or self.peek() in ("on", "in", "to", "under", "is", "should", "goes")):
            self.pos = here
            return False
        ref.restrictor = ("with", inner)
        ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
        return True

    CONTAIN_VERBS = ("has", "have", "holds", "hold", "contains", "contain", "carries", "carry")

    def _with_restrictor(self, ref: Ref, explicit: bool, save: int) -> bool:
        """``the blue block with the red one on it``, ``the bowl that has the purple block in it``,
        ``the bin containing the yellow block``: the place or block that holds something now.

        Taken after "that has"; otherwise ("with X (on it)", "containing X"), since the words may also say
        what goes along (see ``_p_companions``), only when it picks one out of several.
        """
        here = self.pos
        if explicit:
            if not self.accept(*self.CONTAIN_VERBS):
                self.pos = here
                return False
            self.accept("got")
        elif ref.plural or ref.quant in ("all", "both") or not self.accept("with", "containing", "holding", "carrying"):
            return False  # "stack the blocks with green at the bottom": how, not which
        inner = self._p_np()
        if inner is None or inner.table or inner.quant in ("it", "them", "held", "there"):
            self.pos = save
            return False
        mark = self.pos
        said = bool(self.accept("on", "in") and (self.accept("it", "them") or self.accept("top")))
        if not said:
            self.pos = mark
        restrictor = ("with", inner)
        if not explicit and not self._disambiguates(ref, restrictor):
            self.pos = save  # "put X on the blue one with Y on top of it": Y goes on X (see _p_companions)
            return False
        ref.restrictor = restrictor
        ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
        return True

    def _tower_restrictor(self, ref: Ref, explicit: bool, save: int) -> bool:
        """``the pink block in the tower``, ``the blocks of (from) the stack``: a block of a stack.

        "of" and "from" always restrict; "in" only where a restrictor may stand (see :meth:`_p_restrictor`).
        """
        here = self.pos
        rel = self.accept("in", "of", "from", "outof")
        if rel is None:
            return False
        if not (self._p_tower_word(boundary=False) and self.toks[self.pos - 1] in TOWER_NOUNS):
            self.pos = here
            return False
        follows = self.peek() in ("on", "in", "under", "to", "off", "down", "back", "out", "is", "are", "should",
                                  "goes", "go", "all")
        if rel == "in" and not (explicit or follows or getattr(self, "theme_only", False) and self.at_boundary()):
            self.pos = here
            self.tower_colors, self.tower_blocks = [], []
            return False
        ref.adjs = ref.adjs + ["instack"]
        if self._tower_words():
            ref.tower = self._tower_words()
        ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
        return True

    def _stack_position_restrictor(self, ref: Ref, explicit: bool, save: int) -> bool:
        """``the block (that is) at the top of the tower``, taken like any restrictor.

        Only when explicit, when a destination follows, or after a verb that takes no destination
        ("grab the block at the top of the tower"); otherwise "at the top ..." may be the destination.
        """
        adjs, tower = list(ref.adjs), ref.tower
        if not self._p_stack_position(ref):
            return False
        follows = self.peek() in ("on", "in", "under", "to", "outof", "off", "from", "down", "back", "is", "are",
                                  "should", "goes")
        if explicit or follows or getattr(self, "theme_only", False) and self.at_boundary():
            ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
            return True
        ref.adjs, ref.tower = adjs, tower
        self.pos = save
        return False

    def _disambiguates(self, ref: Ref, restrictor) -> bool:
        """``the cube on the red cube``: several cubes, exactly one of them on the red one."""
        try:
            resolver = _Resolver(self.vocab.scene, self.vocab)
            bare = resolver.candidates(ref)
            narrowed = resolver.candidates(Ref(**{**ref.__dict__, "restrictor": restrictor}))
        except _Stop:
            return False
        return len(bare) > 1 and len(narrowed) == 1

    def _plausible(self, ref: Ref, restrictor) -> bool:
        """An implicit restrictor is kept only when it describes the scene ("the block on the table")."""
        probe = Ref(**{**ref.__dict__, "restrictor": restrictor})
        try:
            return bool(_Resolver(self.vocab.scene, self.vocab).candidates(probe))
        except _Stop:
            return False
