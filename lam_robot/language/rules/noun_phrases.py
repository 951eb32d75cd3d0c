"""Noun phrases: lists, quantifiers, partitives, "the rest", numbered and stacked objects.

A mixin of :class:`~.parser._Parser`; each method fills a :class:`~.base.Ref` from the tokens.
"""

from __future__ import annotations

import re

from .base import Ref, _singular, _Stop
from .lexicon import _matches
from .resolver import _Resolver
from .tokens import _lemma
from .tower_names import ORDINALS
from .words import (
    ADJ_WORDS, ALL_VERBS, ANY_NOUNS, BLOCK_NOUNS, COLOR_WORDS, MATERIAL_WORDS, NUMBER_WORDS, NUMERALS, PLURAL_NOUNS,
    REGION_GENERIC, REGION_SYNONYMS, SEPARATORS, STACK_ADJS, TABLE_WORDS, TOWER_NOUNS, UNREACHABLE_PLACES,
)


class _NounPhrases:
    """Parser methods for noun phrases; mixed into ``_Parser``."""

    # -- noun phrases
    def _p_np_list(self, seps=(",", "and")) -> list | None:
        if self.peek() in ("both", "either") and "and" in self.toks[self.pos + 2:self.pos + 7]:
            self.pos += 1
        first = self._p_np()
        if first is None:
            return None
        refs = [first]
        self._p_number_range(refs)
        while self.peek() in seps:
            save = self.pos
            self.pos += 1
            self.accept("and", "then")
            if _lemma(self.peek() or "") in ALL_VERBS or self.toks[save] == "," and self.peek() in ("it", "they"):
                self.pos = save  # "the black block, it goes ...": the pronoun takes the phrase up again
                break
            nxt = self._p_np() or self._p_next_number(refs[-1])
            if nxt is None:
                self.pos = save
                break
            refs.append(nxt)
        # "the red and blue blocks": share the noun of the last conjunct
        last = refs[-1]
        if len(refs) > 1 and last.nouns:
            shared = last.plural
            for ref in refs[:-1]:
                if not ref.nouns and not ref.names and ref.quant in ("def", "indef"):
                    ref.nouns = list(last.nouns)
                    ref.plural = shared and self._several(ref)  # "the red and green blocks": all the red ones
            if last.plural:
                last.plural = self._several(last)
        return refs

    def _p_number_range(self, refs: list) -> None:
        """``blocks 1 to 3``, ``blocks one through three``: every numbered object from the first to the last.

        Taken only when every number in the range names exactly one object of that sort.
        """
        last = refs[-1]
        words = ("to", "through", "thru", "till", "until")
        if not last.names or not last.nouns or not last.plural or self.peek() not in words:
            return
        noun = last.nouns[-1]
        first = re.search(r"(\d+)$", last.names[-1])
        stop = NUMERALS.get(self.peek(1) or "", self.peek(1) or "")
        if first is None or not stop.isdigit():
            return
        names = [self._numbered_name(str(n), noun) for n in range(int(first.group(1)) + 1, int(stop) + 1)]
        if not names or None in names:
            return
        self.pos += 2
        refs += [Ref(quant="def", nouns=[noun], names=[n], text=n) for n in names]

    def _p_next_number(self, last: Ref) -> Ref | None:
        """``blocks 1, 2 and 3``: a bare number after a numbered object is another of the same sort."""
        if not last.names or not last.nouns or self.peek() is None:
            return None
        start = self.pos
        ref = Ref(quant="def", nouns=list(last.nouns))
        if not self._p_numbered(ref, last.nouns[-1]):
            return None
        ref.text = " ".join(self.toks[start:self.pos])
        return ref

    def _several(self, ref: Ref) -> bool:
        """Whether more than one object fits ``ref`` now (for a plural noun shared by a list)."""
        try:
            return len(_Resolver(self.vocab.scene, self.vocab).candidates(ref)) > 1
        except _Stop:
            return False

    def _p_np(self, allow_table: bool = False) -> Ref | None:
        start = self.pos
        self.skip_fillers()
        tok = self.peek()
        if tok is None or tok in SEPARATORS:
            return None
        if tok in ("what", "whatever") and self.peek(1) == "youhold":
            self.pos += 2
            return Ref(quant="held", text="what you hold")
        if tok in ("it", "that", "this") and (self._boundary_after(1) or self.peek(1) in (
                "on", "in", "under", "to", "off", "outof", "from", "down", "up", "back", "over", "onto",
                "is", "should", "goes", "at", "there", "here", "and", "andthen", "then", "too", "as", "nextto",
                "out", "away", "again", "aside", "youhold", "into", "inside", "atop", "below", "beside", "above",
                "sits", "sit", "rests", "ends", "lands", "stays", "will", "can", "must", "needs", "has", "instead",
                "all", "ought", "belongs", "would", "could", "might", "may", "shall", "really")) \
                and self.peek(1) != "one":
            self.pos += 1
            if tok == "it" and self.accept("all"):  # "put it all in the bin": everything just named
                return Ref(quant="them", plural=True, text="it all")
            return Ref(quant="it", text="it")
        if tok in ("them", "those", "these", "they") and (self._boundary_after(1) or self.peek(1) not in
                                                          self.vocab.noun_words and self.peek(1) not in COLOR_WORDS
                                                          and self.peek(1) not in ADJ_WORDS):
            self.pos += 1
            self.accept("all", "both")
            return Ref(quant="them", plural=True, text="them")
        if tok in ("all", "both") and self.peek(1) in ("them", "those", "these"):
            self.pos += 2  # "put both of them in the bin" ("both of" is folded to "both")
            return Ref(quant="them", plural=True, number=2 if tok == "both" else None, text="both of them")
        if tok in ("everything", "all", "every", "each", "both", "everyone"):
            self.pos += 1
            quant = "both" if tok == "both" else "all"
            if tok in ("everything", "everyone") or self._boundary_after(0) or self.peek() in (
                    "on", "in", "under", "to", "off", "from", "outof", "else", "that"):
                if self.accept("else"):
                    return Ref(quant="all", others=True, plural=True, text="everything else")
                ref = Ref(quant="all", nouns=["block"], plural=True, text="everything")
                self._p_restrictor(ref)
                self._p_except(ref)
                return ref
            self.accept("the", "of", "my", "your")
            self.accept("the")
            if self.accept(*self.REMAINDER):
                after = self.pos
                ref = self._p_np_core(Ref(quant="all", others=True), start)
                if ref is None:
                    self.pos = after
                    ref = self._p_remainder(start, True)
            else:
                ref = self._p_np_core(Ref(quant=quant), start)
            if ref is None:
                self.pos = start
                return None
            ref.plural = True
            self._p_except(ref)
            return ref
        if tok in NUMBER_WORDS and self.peek(1) == "of":
            return self._p_counted_partitive(start)
        if tok == "oneof":
            self.pos += 1
            self.accept("the")
            ref = self._p_np_core(Ref(quant="indef"), start)
            if ref is not None:
                ref.plural = False
            return ref
        if self.accept("the", "a", "an", "that", "this", "these", "those", "my", "your", "one", "some",
                       "any"):
            det = self.toks[self.pos - 1]
            if det == "one" and self.peek() in ("of",):
                return None
            if det == "one" and start == self.pos - 1 and (self.at_boundary() or self.peek() in (
                    "on", "in", "under", "to", "onto", "into")):
                return Ref(quant="indef", nouns=["block"], text="one")  # "put one on the plate": any block
            if det == "the" and self.peek() in ("first", "last") and self.peek(1) in NUMBER_WORDS:
                ranked = self._p_first_few(start)  # "the first two blocks" (numbered ones)
                if ranked is not None:
                    return ranked
            if det == "the" and self.peek() in ORDINALS:
                ranked = self._p_ordinal(start)  # "the second block from the top"
                if ranked is not None:
                    return ranked
            if det == "the" and self.peek() in ("top", "bottom") and self.peek(1) in NUMBER_WORDS:
                ranked = self._p_top_few(start)  # "the top two blocks"
                if ranked is not None:
                    return ranked
            quant = "indef" if det in ("a", "an", "one", "some", "any") else "def"
            if det == "a" and self.vocab.is_name("a") and (self._boundary_after(0) or self.peek() in (
                    "on", "in", "under", "to", "off", "and", "from", "outof", "is", "should")):
                self.pos -= 1
                quant = "def"
        else:
            quant = "def"
        remainder = self.accept("other", "remaining", "last", "leftover", "second", "others", "leftovers")
        if remainder:
            ref = Ref(quant="other" if quant == "def" else "indef", others=True)
        else:
            ref = Ref(quant=quant)
        after = self.pos
        out = self._p_np_core(ref, start, allow_table=allow_table)
        if out is None and quant == "def" and remainder in self.REMAINDER:
            self.pos = after
            count = NUMBER_WORDS.get(self.peek() or "")
            if count is not None:
                self.pos += 1  # "the other two": that many of the rest
            out = self._p_remainder(start, remainder != "other" or count is not None)
            if out is not None and count is not None:
                out.number = count
        if out is None:
            self.pos = start
        return out

    REMAINDER = ("other", "others", "remaining", "leftover", "leftovers")

    def _p_counted_partitive(self, start: int) -> Ref | None:
        """``two of the red blocks``: that many of the group; a question when the group has more or fewer."""
        count = NUMBER_WORDS[self.toks[self.pos]]
        self.pos += 2
        self.accept("the", "these", "those", "my", "your")
        ref = self._p_np_core(Ref(quant="def"), start)
        if ref is None:
            self.pos = start
            return None
        ref.number, ref.plural = count, True
        return ref

    def _p_remainder(self, start: int, plural: bool) -> Ref | None:
        """``the rest``, ``the others``, ``all the remaining (ones)``: the blocks not mentioned so far.

        Said without a noun; "the other" alone is one block, the rest are all of them.
        """
        if self.accept("of"):
            if not self.accept("them", "those", "these", "it"):
                return None
        elif not (self.at_boundary() or self.peek() in (
                "on", "in", "under", "to", "off", "outof", "from", "back", "down", "should", "is", "are", "go",
                "goes", "too", "as", "where", "alone", "nextto")):
            return None
        ref = Ref(quant="all" if plural else "other", others=True, nouns=["block"], plural=plural,
                  text=" ".join(self.toks[start:self.pos]))
        kind = [r for r in self.said if r.colors or set(r.nouns) - BLOCK_NOUNS - ANY_NOUNS]
        if not plural and kind:
            # "put one purple block in the box and the other in the basket": the other purple block
            ref.among = Ref(quant="all", colors=list(kind[-1].colors), nouns=list(kind[-1].nouns), plural=True)
        self._p_restrictor(ref)  # "the other two from that tower"
        return ref

    def _p_np_core(self, ref: Ref, start: int, allow_table: bool = False) -> Ref | None:
        if ref.quant in ("def", "other") and self.peek() in NUMBER_WORDS:
            ref.number = NUMBER_WORDS[self.toks[self.pos]]
            self.pos += 1
        elif ref.quant == "all" and self.peek() in NUMBER_WORDS:
            ref.number = NUMBER_WORDS[self.toks[self.pos]]
            self.pos += 1
        content = False
        while True:
            tok = self.peek()
            if tok is None:
                break
            if tok in TABLE_WORDS and allow_table or tok in TABLE_WORDS and not content:
                self.pos += 1
                ref.table = True
                content = True
                break
            if tok in UNREACHABLE_PLACES and not content and tok not in self.vocab.words:
                self.pos += 1  # "on the floor": never the table; refused when resolved
                ref.unreachable = tok
                content = True
                break
            if self.vocab.is_name(tok) and (tok != "a" or content or ref.quant == "def"):
                ref.names.append(tok)
                self.pos += 1
                content = True
                if tok in COLOR_WORDS:  # "the grey coloured block" where the grey block is named "grey"
                    self.accept("colored", "coloured", "colour", "color", "ish")
                continue
            if tok in ("number", "no") and not content:
                self.pos += 1
                if self._p_numbered(ref, None):
                    content = True  # "number 3"
                    continue
                self.pos -= 1
            if tok.endswith("s") and tok[:-1] in COLOR_WORDS and tok not in self.vocab.words:
                ref.colors.append("gray" if tok[:-1] == "grey" else tok[:-1])  # "both reds": the red ones
                ref.nouns.append("one")
                ref.plural = True
                self.pos += 1
                content = True
                continue
            if tok in COLOR_WORDS or tok in self.vocab.colors:
                ref.colors.append("gray" if tok == "grey" else tok)
                self.pos += 1
                content = True
                self.accept("colored", "coloured", "colour", "color", "-colored", "ish")
                continue
            if tok in self.vocab.noun_words or tok in BLOCK_NOUNS or tok in ANY_NOUNS \
                    or tok in REGION_SYNONYMS or tok in REGION_GENERIC:
                ref.nouns.append(_singular(tok))
                ref.plural = ref.plural or tok in PLURAL_NOUNS or (tok.endswith("s") and _singular(tok) != tok)
                self.pos += 1
                content = True
                # "block a", "block named a", "tray number 2", "block 3" for b3
                self.accept("named", "number", "no", "numbered")
                if self._p_numbered(ref, ref.nouns[-1]):
                    continue
                nxt = self.peek()
                if nxt is not None and (self.vocab.is_name(nxt) or nxt in self.vocab.name_parts
                                        and nxt not in self.vocab.noun_words and nxt not in COLOR_WORDS):
                    if nxt != "a" or self._boundary_after(1) or self.peek(1) in (
                            "on", "in", "under", "to", "off", "and", "from", "outof", "is", "should", ","):
                        ref.adjs.append(nxt) if not self.vocab.is_name(nxt) else ref.names.append(nxt)
                        self.pos += 1
                continue
            if tok in ("matching", "corresponding") and not content and self.peek(1) not in ("its", "their", "the"):
                ref.match = "color"  # "the matching tray"
                self.pos += 1
                self.accept("colour", "color", "coloured", "colored")
                continue
            if tok in ("same", "right") and not content and self.peek(1) in (
                    "colour", "color", "coloured", "colored"):
                ref.match = "color"  # "the same-coloured tray", "the right colour tray"
                self.pos += 2
                continue
            if tok == "empty" and not content and (self.peek(1) in REGION_SYNONYMS or self.peek(1) in
                                                   REGION_GENERIC or self.peek(1) in self.vocab.kinds):
                ref.adjs.append("isempty")  # "the empty bowl"
                self.pos += 1
                continue
            if tok in STACK_ADJS and not content and tok not in self.vocab.name_parts and (
                    self.peek(1) in self.vocab.noun_words or self.peek(1) in COLOR_WORDS
                    or self.peek(1) in BLOCK_NOUNS or self.peek(1) in ANY_NOUNS):
                ref.adjs.append(STACK_ADJS[tok])
                self.pos += 1
                continue
            if tok in ADJ_WORDS or tok in self.vocab.name_parts:
                if tok in ("top", "bottom") and not content and self.peek(1) in ("of",):
                    break
                ref.adjs.append(tok)
                self.pos += 1
                continue
            if tok in ("front", "back", "near", "far", "nearer", "farther", "further", "nearest", "farthest",
                       "furthest", "closest", "closer") and not content and self._positions() and \
                    tok not in self.vocab.name_parts and (self.peek(1) in self.vocab.noun_words or
                                                          self.peek(1) in COLOR_WORDS):
                ref.adjs.append(tok if tok in ("front", "back", "near", "far") else
                                "far" if tok.startswith(("far", "fur")) else "near")  # "the front red block"
                self.pos += 1
                continue
            if tok in ("uncovered", "exposed") and not content:
                ref.clear = True  # "the uncovered blue blocks": nothing on them
                self.pos += 1
                continue
            if tok in ("lone", "lonely", "solitary", "standalone") and not content and tok not in self.vocab.words:
                ref.adjs.append("alone")  # "the lone black block": on no block and under none
                self.pos += 1
                continue
            if tok in MATERIAL_WORDS and tok not in self.vocab.name_parts and not self.vocab.is_name(tok):
                self.pos += 1
                continue
            if tok in ("most", "left-most", "leftmost", "rightmost", "biggest", "smallest", "largest"):
                ref.adjs.append(tok.replace("-", ""))
                self.pos += 1
                continue
            break
        if self._p_partitive(ref):
            content = True
        if not content and ref.adjs and all(self._name_part_alone(a) for a in ref.adjs):
            content = True  # "wood at the bottom" for wood_cube: a distinctive part of a name
        if not content:
            return None
        self._p_colour_clause(ref)
        self._p_match(ref)
        if self.accept("youhold"):
            ref.quant = "held"
        self._p_side(ref)
        if self._positions() and self.peek() in ("near", "far") and (
                self._boundary_after(1) or self.peek(1) in ("on", "in", "to", "under", "is", "should")):
            ref.adjs.append(self.toks[self.pos])  # "the red block closest to you", "the one furthest away"
            self.pos += 1
        if self.accept("isclear"):
            ref.clear = True
        if self.accept("isempty"):
            ref.adjs.append("isempty")
        if self.accept("isalone"):
            ref.adjs.append("alone")
        self._p_side(ref)  # "the blue block with nothing on it on the left"
        ref.text = " ".join(self.toks[start:self.pos])
        self._p_restrictor(ref)
        if not ref.clear and self.accept("isclear"):
            ref.clear = True
            ref.text += " with nothing on it"
        return ref

    def _p_side(self, ref: Ref) -> None:
        """``(the blue block) on the left``, ``at the right``, ``in the middle``: a side said after the noun.

        ``from the middle`` (``take the green block from the middle``) says the same of a block: where it is
        taken from, which no region or block names.
        """
        side = self.toks[self.pos:self.pos + 3]
        if side[:1] in (["in"], ["from"]) and side[2:] and side[2] in ("middle", "center", "centre") and \
                not self._positions():
            return  # "in the middle" names a place only where the scene says where things stand
        if len(side) == 3 and side[0] in ("on", "at", "to", "in", "from") and side[1] == "the" and (side[2] in (
                "left", "right", "middle", "center", "centre") or side[2] in ("front", "back") and self._positions()) \
                and (ref.nouns or ref.colors) and \
                (self.peek(3) is None or self.peek(3) in SEPARATORS or self.peek(3) in (
                    "on", "in", "to", "under", "off", "outof", "from", "is", "should")):
            ref.adjs.append(side[2])
            self.pos += 3

    def _positions(self) -> bool:
        """Whether the scene says where its blocks stand (so "in the middle" can describe one)."""
        return any(o.attributes.get("position") is not None for o in self.vocab.scene.objects.values()
                   if o.type == "block")

    def _name_part_alone(self, word: str) -> bool:
        """Whether ``word`` said alone names an object: part of exactly one name, and no adjective."""
        if word in ADJ_WORDS or word in STACK_ADJS or word in COLOR_WORDS or word not in self.vocab.name_parts:
            return False
        return sum(1 for n in self.vocab.scene.objects if word in re.split(r"[_\-]", n)) == 1

    def _p_numbered(self, ref: Ref, noun: str | None) -> bool:
        """``block 3``, ``cube number two``, ``number 3``: the one object whose name ends in that number.

        Names like ``b3`` or ``cube_3`` are often said as a noun and a number. Taken only when
        exactly one object of that sort has the number, so nothing is guessed.
        """
        tok = self.peek()
        digits = NUMERALS.get(tok, tok) if tok is not None else None
        if digits is None or not digits.isdigit():
            return False
        name = self._numbered_name(digits, noun)
        if name is None:
            return False
        ref.names.append(name)
        self.pos += 1
        return True

    def _numbered_name(self, digits: str, noun: str | None) -> str | None:
        """The one object of that sort whose name ends in ``digits`` (``block_3``, ``b3``), or None."""
        hits = [n for n, o in self.vocab.scene.objects.items() if re.fullmatch(rf"[a-z_\-]*?[_\-]?0*{digits}", n)
                and (noun is None or _matches(o, Ref(nouns=[noun]), self.vocab))]
        return hits[0] if len(hits) == 1 else None

    SIZE_ADJS = frozenset("big large huge biggest largest small little tiny smallest".split())

    def _p_partitive(self, ref: Ref) -> bool:
        """``the larger of the two red blocks``, ``the bottom block of the tower``, ``the top one in the stack``.

        A comparative or position word picks one out of a group named after "of"; the group is
        resolved first and the word chooses within it. Returns whether the phrase gained content.
        """
        if not (set(ref.adjs) & (self.SIZE_ADJS | {"stacktop", "stackbottom", "middle"})) or \
                self.peek() not in ("of", "in", "from", "oneof"):
            return False
        save = self.pos
        self.pos += 1
        if self.toks[save] == "of" and self._p_all_towers():
            ref.adjs = ["stackmiddle" if a == "middle" else a for a in ref.adjs] + ["instack"]
            ref.quant, ref.plural = "all", True  # "the top block of each tower": one from every stack
            return True
        if self.toks[save] != "oneof" and self._p_tower_word(boundary=False) and \
                self.toks[self.pos - 1] in TOWER_NOUNS:
            ref.tower = self._tower_words()
            ref.adjs = ["stackmiddle" if a == "middle" else a for a in ref.adjs] + ["instack"]
            return True
        self.pos = save + 1
        if self.toks[save] == "of":
            inner = self._p_np()
        elif self.toks[save] == "oneof":  # "the bigger one of the two" ("one of the" is one token)
            inner = self._p_np_core(Ref(quant="def"), save)
        else:
            inner = None
        if inner is not None and "middle" not in ref.adjs:
            ref.among = inner
            return True
        self.pos = save
        return False

    def _p_stack_position(self, ref: Ref) -> bool:
        """``the block at the top of the tower``, ``the one at the bottom (of the stack)``."""
        save = self.pos
        if not (self.accept("at", "in") and self.accept("the", "very")):
            self.pos = save
            return False
        self.accept("very")
        word = self.accept("top", "bottom", "base", "middle", "centre", "center")
        if word is None:
            self.pos = save
            return False
        if self.accept("of"):
            if not (self._p_tower_word(boundary=False) and self.toks[self.pos - 1] in TOWER_NOUNS):
                self.pos = save
                return False
            ref.tower = self._tower_words()
        adj = {"top": "stacktop", "bottom": "stackbottom", "base": "stackbottom"}.get(word, "stackmiddle")
        ref.adjs += [adj, "instack"]
        return True
