"""The clause parser: recursive descent from tokens to a list of :class:`~.base.Clause`.

The cursor, the sentence level (conditions, topics, contrasts, appositions, "leave ...") and the
clause dispatcher live here; verb frames, towers, state descriptions and noun phrases come from
the mixins it is built from.
"""

from __future__ import annotations

from .base import _Backtrack, Clause, _NEGATION_STOP, Ref, _Stop
from .lexicon import _Vocabulary
from .noun_phrases import _NounPhrases
from .place_frames import _PlaceFrames
from .resolver import _no_such, _Resolver
from .restrictors import _Restrictors
from .states import _StateFrames
from .take_frames import _TakeFrames
from .tokens import _lemma
from .tower_names import _TowerNames
from .towers import _TowerFrames
from .words import (
    ALL_VERBS, CLEAR_VERBS, COLOR_WORDS, FILLER_WORDS, HARMFUL_VERBS, HOLD_VERBS, PLACE_VERBS, POLITE_PREFIXES,
    RELEASE_VERBS, REMOVE_VERBS, SEPARATORS, UNSUPPORTED_VERBS,
)


class _Parser(_PlaceFrames, _TakeFrames, _TowerFrames, _TowerNames, _StateFrames, _NounPhrases, _Restrictors):
    """Recursive descent over tokens; each ``_p_*`` returns a value and moves ``pos`` or returns None."""

    def __init__(self, tokens: list[str], vocab: "_Vocabulary", asides: bool = False):
        self.asides = asides                # pass over remarks between commands (a last reading, see _p_aside)
        self.toks = tokens
        self.pos = 0
        self.vocab = vocab
        self.source: Ref | None = None      # "off the yellow one": where the last destination phrase said from
        self.in_destination = False         # parsing the landmark of a destination
        self.said: list[Ref] = []           # the themes of the clauses so far, for "the other"

    # -- cursor helpers
    def peek(self, k: int = 0) -> str | None:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

    def accept(self, *words: str) -> str | None:
        tok = self.peek()
        if tok is not None and tok in words:
            self.pos += 1
            return tok
        return None

    def accept_seq(self, phrase: str) -> bool:
        words = phrase.split()
        if self.toks[self.pos:self.pos + len(words)] == words:
            self.pos += len(words)
            return True
        return False

    def at_end(self) -> bool:
        return self.pos >= len(self.toks)

    def at_boundary(self) -> bool:
        tok = self.peek()
        return tok is None or tok in SEPARATORS

    def skip_fillers(self) -> None:
        while self.peek() in FILLER_WORDS and not (self.peek() == "there" and self.peek(1) in (
                "instead", "too", "again")) and not self._side_word() or (self.peek() or "").endswith("ly") and \
                self.peek() not in self.vocab.words and self.peek() not in ("only", "early"):
            self.pos += 1
        if self.accept_seq("thank you"):
            self.skip_fillers()

    def _side_word(self) -> bool:
        """``in right bin``: "right" before a noun or colour says which one ("right away" is a filler)."""
        nxt = self.peek(1) or ""
        return self.peek() == "right" and (nxt in self.vocab.noun_words or nxt in COLOR_WORDS or nxt in self.vocab.words
                                           and nxt not in FILLER_WORDS)

    # -- instruction
    def parse(self) -> list[Clause]:
        clauses: list[Clause] = []
        while True:
            while self.peek() in SEPARATORS or self.peek() in FILLER_WORDS and not self._you_modal():
                self.pos += 1
            said_from = self.pos
            while said_from > 0 and self.toks[said_from - 1] in FILLER_WORDS and \
                    self.toks[said_from - 1] not in SEPARATORS:
                said_from -= 1  # "there's a block in it": a remark starts at its first word, filler or not
            self._skip_prefixes()
            if self.at_end():
                break
            left = self._p_leave()
            if left is not None:
                clauses.extend(left)
                continue
            unwanted = self._p_unwanted()
            if unwanted is not None:
                clauses.extend(unwanted)
                continue
            condition = self._p_condition()
            if condition is not None:
                clauses.extend(condition)
                continue
            start = self.pos
            also = self.pos > 0 and self.toks[self.pos - 1] in ("andalso", "then", "andthen", "next")
            clause = self._p_topic_first() or self._p_clause()
            if clause is None:
                self.pos = start
                clause = self._p_topic()
            if clause is None:
                self.pos = start
                clause = self._p_also(clauses, also)
            if clause is None:
                self.pos = start
                clause = self._p_place_fragment(clauses)
            if clause is None and self.asides:
                self.pos = said_from  # "I was hoping you might be able to help me tidy up": from its first word
                clause = self._p_aside(clauses)
            if clause is None:
                self.pos = start
                rest = " ".join(self.toks[start:start + 8])
                raise _Stop("refuse", f"I do not understand \"{rest}\"; I can put blocks on "
                            "other blocks, in trays or bins, on the table, pick them up, clear them "
                            "and build towers")
            clauses.extend(clause)
            self.said += [r for c in clause for r in c.themes]
            self.skip_fillers()
            while self._p_contrast(clauses) or self._p_apposition(clauses):
                pass
            if not self.at_boundary():
                rest = " ".join(self.toks[self.pos:self.pos + 8])
                raise _Stop("refuse", f"I do not understand \"{rest}\"")
        # "don't put X in the bin, put it in the tray": a negated step only stands when
        # something to do follows it, and then that later step is what is wanted.
        if clauses and clauses[-1].retracted:
            raise _NEGATION_STOP()
        return clauses

    def _p_aside(self, done: list) -> list[Clause] | None:
        """A remark between commands: "I think the tall tower is a bit too tall, could you take ...", "the purple
        one is in the wrong bowl, it ought to be in the blue one", "my grandson left these blocks everywhere".

        A stretch up to the next pause that asks for nothing (no verb of this robot's, harmful or not, no
        negation) is passed over when something else is asked; a thing named at its start is what "it" then
        means. None when the stretch may ask for something, or when nothing else follows or came before.
        """
        start = self.pos
        end = start
        while end < len(self.toks) and self.toks[end] != ",":
            end += 1
        words = self.toks[start:end]
        if not words or not (done or end + 1 < len(self.toks)) or any(self._asks(w) for w in words) or \
                start > 0 and self.toks[start - 1] != "," or words[0] not in self.SUBJECTS:
            return None  # "bake it", "or the plate": may ask for something, so never passed over
        try:
            named = self._p_np_list()
        except _Stop:
            named = None
        said = self.peek() in ("is", "are", "was", "were", "looks", "look", "seems", "has", "have")
        self.pos = end
        if named and said and all(self._names_something(r) for r in named):
            return [Clause("hold", named, retracted=True)]
        described = words[0] in ("the", "a", "an", "this", "that", "these", "those")
        if any(w in COLOR_WORDS or self.vocab.is_name(w) or w in self.PLACING and described for w in words):
            self.pos = start  # says where a thing is or goes, in words not understood: not passed over
            return None
        return []

    FINE = ("fine", "ok", "okay", "good", "great", "alright", "enough", "perfect")

    def _p_place_fragment(self, done: list) -> list[Clause] | None:
        """``Would you mind setting down the purple block? Just on the table is fine.``: a place said after the
        command, for what it moves (or holds)."""
        last = next((c for c in reversed(done) if c.kind in ("place", "hold") and c.themes), None)
        if last is None or self.peek() not in ("on", "in", "into", "onto"):
            return None
        relation = {"into": "in", "onto": "on"}.get(self.peek(), self.peek())
        self.pos += 1
        target = self._p_np(allow_table=True)
        if target is None:
            return None
        self.accept_seq("would be") or self.accept("is", "will")
        if not self.accept(*self.FINE) or not self.at_boundary():
            return None
        themes = last.themes if not last.retracted else last.themes
        if target.table:
            return [Clause("place", themes, "table", target)]
        return [Clause("place", themes, relation, target)]

    PLACING = frozenset("on in under onto into off outof".split())
    #: Words a remark opens with (a subject), where a command opens with its verb.
    SUBJECTS = frozenset("i my the this that these those it its there we our he she they his her their a an".split())

    def _asks(self, word: str) -> bool:
        """Whether ``word`` may ask for something: a verb of any kind this parser knows, or a negation."""
        verb = _lemma(word)
        return verb in ALL_VERBS or verb in PLACE_VERBS or verb in HARMFUL_VERBS or verb in UNSUPPORTED_VERBS or \
            verb in RELEASE_VERBS or verb in ("release", "youhold", "isclear", "isempty") or \
            word in ("not", "never", "no", "nothing", "ignore", "forget")

    UNWANTED = ("i do not want", "i do not like", "we do not want", "i no longer want", "i would rather not have",
                "forget about", "forget", "instead of", "rather than", "youhold", "do you see", "can you see",
                "you see", "see", "look at", "there is", "there are", "i see")

    def _p_unwanted(self) -> list[Clause] | None:
        """``I don't want the red block in the tray anymore, put it in the bin``, ``forget the bin, put it in the
        tray``, ``you're holding a pink block, put it ...``, ``see the red block? put it ...``: a complaint, a plan
        dropped or a thing pointed out, then the command.

        What is complained about is only what "it" in the command means; said alone, the wish not to have
        something is no instruction (None here, refused later as a negation).
        """
        save = self.pos
        if not any(self.accept_seq(p) for p in self.UNWANTED):
            return None
        self.theme_only = True
        try:
            refs = self._p_np_list()
        finally:
            self.theme_only = False
        end = self.pos
        while end < len(self.toks) and self.toks[end] != ",":
            end += 1
        if not refs or end + 1 >= len(self.toks):
            self.pos = save
            return None
        self.pos = end
        return [Clause("hold", refs, retracted=True)]

    SOMETHING = ("something", "anything", "stuff", "things", "thing", "blocks", "block", "one", "ones")

    def _p_condition(self) -> list[Clause] | None:
        """``if the tin has a block in it, take it out``: a condition checked against the scene now.

        Understood conditions: a region or block with something in or on it ("the tin has a block in
        it", "there is something in the tray"), holding something ("if you are holding something"),
        and a region or block being empty or clear ("if the plate is empty"). When it holds, what it
        is about is what "it" means in the command that follows; when it does not, nothing is done.
        """
        if self.peek() != "if":
            return None
        save = self.pos
        self.pos += 1
        found = self._p_condition_body()
        if found is None:
            self.pos = save
            return None
        holds, ref, text = found
        self.accept(",")
        self.accept("then")
        if self.at_end():
            self.pos = save
            return None
        if not holds:
            raise _Stop("refuse", f"it is not true now that {text}, so there is nothing to do",
                        code="condition_false")
        return [Clause("hold", [ref], retracted=True)] if ref is not None else []

    def _p_condition_body(self):
        """The condition after "if": ``(holds, the Ref "it" will mean, the condition as said)``, or None."""
        start = self.pos
        resolver = _Resolver(self.vocab.scene, self.vocab)
        facts = self.vocab.scene.facts
        if self.accept("youhold"):
            self.accept("a", "an", "any")
            self.accept(*self.SOMETHING)
            held = [f.args[0] for f in facts if f.predicate == "holding"]
            return bool(held), Ref(quant="held", text="what you hold"), "holding something"
        there = bool(self.accept_seq("there is") or self.accept_seq("there are"))
        if there:
            self.accept("a", "an", "any", "some")
            self.accept(*self.SOMETHING)
            if not self.accept("in", "on"):
                return None
            self.accept("top")
            self.accept("of")
            holder = self._p_np()
        else:
            holder = self._p_np()
            if holder is None:
                return None
            if self.accept("is", "are"):
                negated = bool(self.accept("not"))
                if not self.accept("empty", "clear", "free", "isempty", "isclear"):
                    return None
                names = resolver.resolve(holder)
                text = " ".join(self.toks[start:self.pos])
                empty = not any(f.predicate in ("on", "in") and f.args[-1] in names for f in facts)
                if negated:  # "if the tray is not empty": what is in it
                    inner = Ref(quant="def", nouns=["block"], restrictor=("in", holder), text="what is in it")
                    return not empty, inner, text
                return empty, holder, text
            if not self.accept("has", "have", "contains", "holds"):
                return None
            self.accept("got")
            self.accept("a", "an", "any", "some")
            self.accept(*self.SOMETHING)
            if self.accept("in", "on"):
                self.accept("top")
                self.accept("of")
                self.accept("it", "them")
        if holder is None:
            return None
        names = resolver.resolve(holder)
        contents = [f.args[0] for f in facts if f.predicate in ("on", "in") and f.args[1] in names]
        text = " ".join(self.toks[start:self.pos])
        inner = Ref(quant="def", nouns=["block"], restrictor=("in", holder), text="what is " + text)
        return bool(contents), inner, text

    def _p_topic_first(self) -> list[Clause] | None:
        """``the block in the back zone, move it to the bowl``: a topic, read before any other reading
        when the command after it takes it up with "it" or "them" (so it is not a goal of its own)."""
        save = self.pos
        self.theme_only = True  # "in the back zone" describes the topic: nothing follows it but the comma
        try:
            clause = self._p_topic()
        finally:
            self.theme_only = False
        end = self.pos + 2
        while end < len(self.toks) and self.toks[end] not in SEPARATORS:
            end += 1
        if clause is None or not {"it", "them"} & set(self.toks[self.pos + 2:end]):
            self.pos = save
            return None
        return clause

    def _p_topic(self) -> list[Clause] | None:
        """``the white block, put it in the bin``: a phrase named first and taken up by "it" after."""
        refs = self._p_np_list()
        if not refs or self.peek() != ",":
            return None
        verb = self.pos + 1
        for phrase in sorted(POLITE_PREFIXES, key=len, reverse=True):  # "the X, could you put it ..."
            if self.toks[verb:verb + len(phrase.split())] == phrase.split():
                verb += len(phrase.split())
                break
        while verb < len(self.toks) and self.toks[verb] in FILLER_WORDS:
            verb += 1  # "the green block, could you maybe set it down"
        if verb + 1 < len(self.toks) and self.toks[verb] in ("it", "they") and self.toks[verb + 1] in (
                "goes", "go", "is", "are", "should", "must", "needs", "has", "have", "belongs", "ought", "sits"):
            return [Clause("hold", refs, retracted=True)]  # "the black block, it goes over the white one"
        if verb >= len(self.toks) or _lemma(self.toks[verb]) not in (
                PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | RELEASE_VERBS | {"pick"}):
            return None
        return [Clause("hold", refs, retracted=True)]

    def _p_also(self, done: list, also: bool) -> list[Clause] | None:
        """``put X in the bin, and the black one too``: a new theme for the last place clause."""
        last = next((c for c in reversed(done) if not c.retracted), None)
        if last is None or last.kind != "place" or last.target is None:
            return None
        themes = self._p_np_list()
        if not themes:
            return None
        if self.accept("too", "also") or self.accept_seq("as well"):
            also = True
        if not also or not self.at_boundary():
            return None
        return [Clause("place", themes, last.relation, last.target)]

    def _p_contrast(self, clauses: list) -> bool:
        """``..., not the tray``, ``... rather than the tray``, ``..., (but) leave the red ones (alone)``.

        A contrast names what is *not* meant. When it overlaps a quantified or indefinite phrase of
        the clause before ("all the blocks ..., leave the red ones", "in a bin, not the left one") it is
        excluded from it; when it overlaps nothing said, it only confirms the choice and is dropped.
        """
        last = next((c for c in reversed(clauses) if not c.retracted and c.kind in ("place", "hold")), None)
        if last is None:
            return False
        save = self.pos
        self.accept(",")
        self.accept("and", "but")
        leave = False
        if self.peek() == "instead" and self._boundary_after(1):
            self.pos += 1
            return True  # "put it in the bin instead"
        if self.accept("not") or self.accept_seq("instead of") or self.accept_seq("rather than"):
            self.accept("on", "in", "to", "under", "into", "onto")  # "..., not in the tray"
        elif self.accept("leave") or self.accept("except", "excluding", "save") or self.accept_seq("apart from") \
                or self.accept_seq("other than"):
            leave = True  # "everything goes in the bin except the big green block": never the place
        else:
            self.pos = save
            return False
        refs = self._p_np_list()
        if leave and refs:
            for ending in self.LEAVE_ENDINGS:
                if self.accept_seq(" ".join(ending)):
                    break
        if refs is None or not self.at_boundary():
            self.pos = save
            return False
        for ref in refs:
            self._exclude(last, ref, leave)
        return True

    def _p_apposition(self, clauses: list) -> bool:
        """``put the white block on the black block, the one at the top of the stack``.

        A phrase after the clause that describes an object of it again (and says no more) narrows
        that phrase: the object must fit both descriptions. One that fits nothing said is not taken.
        """
        last = next((c for c in reversed(clauses) if not c.retracted and c.kind in ("place", "hold")), None)
        if last is None or self.peek() != ",":
            return False
        save = self.pos
        self.pos += 1
        self.accept("i", "that")
        self.accept("mean", "is")
        self.theme_only = True  # no destination follows: "at the top of the stack" describes it
        try:
            ref = self._p_np()
        finally:
            self.theme_only = False
        if ref is None or not self.at_boundary() or ref.quant not in ("def", "other") or ref.table:
            self.pos = save
            return False
        resolver = _Resolver(self.vocab.scene, self.vocab)
        for slot in ([last.target] if last.target is not None else []) + list(last.themes):
            if slot.table or slot.quant in ("it", "them", "held", "there") or slot.among is not None:
                continue
            try:
                if set(resolver.candidates(ref)) & set(resolver.candidates(slot)):
                    slot.among = ref
                    return True
            except _Stop:
                continue
        self.pos = save
        return False

    def _exclude(self, clause: Clause, ref: Ref, leave: bool) -> None:
        """Attach ``ref`` as an exclusion to the phrase of ``clause`` it overlaps (see :meth:`_p_contrast`)."""
        if ref.quant in ("it", "them", "held", "there") or ref.unreachable or ref.table or ref.others:
            return  # "leave the rest where they are": the rest is what was not named anyway
        resolver = _Resolver(self.vocab.scene, self.vocab)
        try:
            named = set(resolver.candidates(ref))
        except _Stop:
            return
        if not named:
            raise _Stop("refuse", _no_such(ref, self.vocab.scene), code="unknown_object")
        slots = list(clause.themes) + ([clause.target] if clause.target is not None and not leave else [])
        for slot in slots:
            if slot.table or slot.quant in ("it", "them", "held", "there") or slot.unreachable:
                continue
            try:
                overlap = set(resolver.candidates(self._as_one_of(ref, slot))) & set(resolver.candidates(slot))
            except _Stop:
                continue
            if overlap:
                slot.excluded = slot.excluded + [self._as_one_of(ref, slot)]
                return

    @staticmethod
    def _as_one_of(ref: Ref, slot: Ref) -> Ref:
        """``the green blocks ..., but not the big one``: a bare "one" takes the noun and colour of the phrase
        it is contrasted with (the big green block, not the biggest thing on the table)."""
        if ref.colors or ref.names or not ref.nouns or any(n != "one" for n in ref.nouns):
            return ref
        return Ref(**{**ref.__dict__, "colors": list(slot.colors), "nouns": list(slot.nouns) or ref.nouns,
                      "plural": False, "quant": "def"})

    LEAVE_ENDINGS = (("where", "they", "are"), ("where", "it", "is"), ("as", "they", "are"), ("as", "it", "is"),
                     ("alone",), ("untouched",), ("in", "place"), ("be",), ("where", "they", "were"),
                     ("where", "it", "was"))

    def _p_leave(self) -> list[Clause] | None:
        """``leave the rest where they are``: says what not to change, which the goal already leaves free.

        What is left is still said, so "the other two" after "leave the middle one where it is" means the
        others: it comes back as a clause with nothing to do (an empty list when it names nothing here).
        None when the words are no "leave ... where it is".
        """
        if self.peek() != "leave":
            return None
        end = self.pos + 1
        while end < len(self.toks) and self.toks[end] not in SEPARATORS:
            end += 1
        words = tuple(self.toks[self.pos + 1:end])
        ending = next((e for e in self.LEAVE_ENDINGS if len(words) >= 2 and words[-len(e):] == e), None)
        if ending is None:
            return None
        self.pos += 1
        refs = self._p_np_list()
        said = refs is not None and self.pos == end - len(ending) and all(self._names_something(r) for r in refs)
        self.pos = end
        return [Clause("hold", refs, retracted=True)] if said else []

    def _names_something(self, ref: Ref) -> bool:
        try:
            return bool(_Resolver(self.vocab.scene, self.vocab).candidates(ref))
        except _Stop:
            return False

    MODALS = ("can", "could", "should", "will", "would", "must", "may", "might", "need", "have")

    def _you_modal(self) -> bool:
        """``you can let go of it``: "you" opens a polite prefix here, not the filler of "thank you"."""
        return self.peek() == "you" and self.peek(1) in self.MODALS

    def _skip_prefixes(self) -> None:
        changed = True
        while changed and not self.at_end():
            changed = False
            for phrase in POLITE_PREFIXES:
                if self.accept_seq(phrase):
                    changed = True
            if self.peek() in FILLER_WORDS or self.peek() == ",":  # "okay robot, ..."
                self.pos += 1
                changed = True
            elif (self.peek() or "").endswith("ly") and self.peek() not in self.vocab.words and \
                    self.peek() not in ("only", "early"):
                self.pos += 1  # "would you mind terribly moving ..."
                changed = True

    def _p_clause(self) -> list[Clause] | None:
        start = self.pos
        negated = False
        if self.accept_seq("do not") or self.accept_seq("never") or self.accept_seq("dont"):
            negated = True
        body = self.pos
        tok = self.peek()
        if tok is None:
            return None
        verb = _lemma(tok)
        for method in (self._p_reverse, self._p_dispose):
            self.pos = body
            out = method()
            if out is not None:
                if negated:
                    raise _NEGATION_STOP()
                return [out]
        self.pos = body
        if verb in HARMFUL_VERBS:
            raise _Stop("refuse", f"I will not {verb} things; I only pick and place objects gently",
                        code="unsafe")
        if verb == "pull" and any(t in ("out", "outof", "off", "from") for t in self.toks[body:]):
            self.toks = self.toks[:body] + ["take"] + self.toks[body + 1:]  # "pull X out of the crate"
            verb = "take"
        if verb in UNSUPPORTED_VERBS and not (verb == "turn" or verb == "hand"):
            raise _Stop("refuse", f"\"{verb}\" is not something this robot can do; it can put blocks on "
                        "blocks, in regions or on the table, pick them up and clear them",
                        code="unsupported")
        for method in (self._p_tower, self._p_fill, self._p_remove, self._p_place, self._p_hold, self._p_clear,
                       self._p_empty, self._p_release, self._p_swap, self._p_tower_description, self._p_state):
            self.pos = body
            try:
                out = method()
            except _Backtrack:
                out = None
            except _Stop as stop:
                if negated and stop.kind == "clarify":
                    raise _NEGATION_STOP() from None  # never ask about something not to do
                raise
            if out is not None:
                out = out if isinstance(out, list) else [out]
                if negated:
                    for clause in out:
                        clause.retracted = True
                return out
        self.pos = start
        if negated:
            raise _NEGATION_STOP()
        return None
