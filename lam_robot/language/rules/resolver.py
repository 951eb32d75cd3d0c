"""Reference resolution: a parsed noun phrase to the scene objects it names.

Descriptions, pronouns, ordinals, comparatives ("the larger of ..."), "the other(s)", restrictors,
stack positions and sides of the table (from the objects' positions, when the scene has them) are all
resolved here; a reference that names nothing is refused and a definite one that names several raises
a clarifying question.
"""

from __future__ import annotations

from ...scene import Scene

from .base import Ref, _Stop
from .lexicon import _matches, _position, _Vocabulary, SIDE_ADJS
from .words import ANY_NOUNS


class _Resolver:
    """Turns references into object names, remembering what was mentioned for "it" and "the other"."""

    def __init__(self, scene: Scene, vocab: _Vocabulary):
        self.scene = scene
        self.vocab = vocab
        self.last: list[str] = []
        self.last_plural: list[str] = []
        self.mentioned: list[str] = []
        self.placed_top: str | None = None
        self.current_supports: set = set()
        self.last_place: str | None = None
        self.history: list[str] = []          # every object named so far, most recent last
        self.target_relation: str | None = None
        self.current_themes: set = set()

    def candidates(self, ref: Ref) -> list[str]:
        objs = [o for o in self.scene.objects.values() if _matches(o, ref, self.vocab)]
        if ref.quant == "all" and not ref.names and not ref.nouns and not ref.colors:
            objs = [o for o in objs if o.type == "block"]
        if ref.quant == "all" and not ref.nouns and not ref.names and ref.colors:
            objs = [o for o in objs if o.type == "block"] or objs
        if not ref.nouns and not ref.names and ref.colors:
            blocks = [o for o in objs if o.type == "block"]
            objs = blocks or objs
        if ref.others and not self.vocab.is_region_ref(ref):
            objs = [o for o in objs if o.type == "block"]  # "the remaining ones", "the others"
        names = [o.name for o in objs]
        if ref.restrictor is not None:
            rel, inner = ref.restrictor
            holders = self.resolve(inner, role="restrictor", many=True)
            names = [n for n in names if any(self._holds(rel, n, h) for h in holders)]
        if "isempty" in ref.adjs:
            names = [n for n in names if self.scene.objects[n].type == "region" and not any(
                f.predicate == "in" and f.args[1] == n for f in self.scene.facts)]
        if "instack" in ref.adjs:
            names = [n for n in names if self._stacked(n) or self._covered(n)]
        if "alone" in ref.adjs:
            names = [n for n in names if not self._stacked(n) and not self._covered(n)]
        if "stacktop" in ref.adjs:
            names = [n for n in names if self._stacked(n) and not self._covered(n)]
        if "highest" in ref.adjs:  # "the highest block": the top of the tallest stack
            tops = [n for n in names if self._stacked(n) and not self._covered(n)]
            best = max((len(self._stack_of(n)) for n in tops), default=0)
            names = [n for n in tops if len(self._stack_of(n)) == best]
        if "stackbottom" in ref.adjs:
            names = [n for n in names if self._covered(n) and any(
                f.predicate == "on-table" and f.args == (n,) for f in self.scene.facts)]
        if "stackmiddle" in ref.adjs:
            names = [n for n in names if self._covered(n) and self._stacked(n)]
        for adj in ref.adjs:
            if adj.startswith("rank"):  # "the second block from the top": counted along its stack
                end, count = ("top", int(adj[7:])) if adj.startswith("ranktop") else ("bottom", int(adj[10:]))
                names = [n for n in names if len(self._stack_of(n)) >= max(2, count) and
                         self._stack_of(n)[-count if end == "top" else count - 1] == n]
            if adj.startswith("few"):  # "the top two blocks": that many from one end of their stack
                end, count = ("top", int(adj[6:])) if adj.startswith("fewtop") else ("bottom", int(adj[9:]))
                names = [n for n in names if len(self._stack_of(n)) >= 2 and
                         n in (self._stack_of(n)[-count:] if end == "top" else self._stack_of(n)[:count])]
        if ref.tower:
            names = [n for n in names if any(m in ref.tower or self.scene.objects[m].color in ref.tower or
                                             self.scene.objects[m].color == "grey" and "gray" in ref.tower
                                             for m in self._stack_of(n))]
        if ref.clear:  # "with nothing on it": a block that is clear, or a plate or tray that is empty
            names = [n for n in names if not any(f.predicate in ("on", "holding", "in") and f.args[-1] == n
                                                 for f in self.scene.facts)]
        if ref.others:
            names = [n for n in names if n not in self.mentioned and n not in self.current_supports]
        for other in ref.excluded:
            drop = set(self.resolve(other, role="restrictor", many=True))
            names = [n for n in names if n not in drop]
        if ref.among is not None:
            group = self.resolve(ref.among, role="restrictor", many=True)
            within = [n for n in names if n in group]
            names = within if within or not ref.others else names  # "the other": of that kind if any is left
        for adj in ref.adjs:
            if adj in SIDE_ADJS and _placed(self.scene, names):
                names = _by_side(self.scene, names, adj, ref.number or 1)
            elif adj in ("middle", "center", "centre"):
                names = self._middle(names)
            elif adj == "medium":
                names = _medium(self.scene, names)
        count = ref.number or 1
        if any(a in ("big", "large", "huge", "biggest", "largest") for a in ref.adjs):
            names = _extreme(self.scene, names, max, count)
        if any(a in ("small", "little", "tiny", "smallest") for a in ref.adjs):
            names = _extreme(self.scene, names, min, count)
        return names

    def _middle(self, names: list[str]) -> list[str]:
        """``the middle green block`` where nothing says where things stand: the one in the middle of its
        stack, else the one of middle size (of three or more sizes); otherwise all of them, to be asked about."""
        stacked = [n for n in names if self._covered(n) and self._stacked(n)]
        return stacked or _medium(self.scene, names)

    def _there(self) -> list[str]:
        """``put it in there``: the place named last, or a question when none was named."""
        if self.last_place is not None and self.target_relation and not self._fits(self.last_place):
            fitting = next((n for n in reversed(self.history) if self._fits(n)), None)
            if fitting is not None:
                return [fitting]  # "take X out of the tray and put Y in there": the tray
        if self.last_place is not None:
            return [self.last_place]
        regions = tuple(self.scene.regions)
        raise _Stop("clarify", "\"there\" does not point at a place yet",
                    question="Where exactly should it go: " + (_names_text(self.scene, regions, " or ") + ", "
                                                               if regions else "") + "on a block or on the table?",
                    candidates=regions)

    def _stack_of(self, name: str) -> list[str]:
        """Every block in the same stack as ``name``, itself included."""
        on = {f.args[0]: f.args[1] for f in self.scene.facts if f.predicate == "on"}
        bottom = name
        while bottom in on:
            bottom = on[bottom]
        above = {v: k for k, v in on.items()}
        stack = [bottom]
        while stack[-1] in above:
            stack.append(above[stack[-1]])
        return stack

    def _stacked(self, name: str) -> bool:
        return any(f.predicate == "on" and f.args[0] == name for f in self.scene.facts)

    def _covered(self, name: str) -> bool:
        return any(f.predicate == "on" and f.args[1] == name for f in self.scene.facts)

    def _holds(self, rel: str, obj: str, holder: str) -> bool:
        facts = self.scene.facts
        if holder == "table":
            return any(f.predicate == "on-table" and f.args == (obj,) for f in facts)
        if rel == "under":
            return any(f.predicate == "on" and f.args == (holder, obj) for f in facts)
        if rel == "with":  # "the bowl with the purple block (in it)": what holds the holder
            return any(f.predicate in ("on", "in") and f.args == (holder, obj) for f in facts)
        return any(f.predicate in ("on", "in") and f.args == (obj, holder) for f in facts)

    def resolve(self, ref: Ref, role: str = "theme", many: bool = False) -> list[str]:
        """Object names for ``ref``; raises _Stop to refuse or ask."""
        if ref.table:
            return ["table"]
        if ref.unreachable:
            raise _Stop("refuse", f"I cannot reach the {ref.unreachable}; I can only put blocks on other "
                        "blocks, in the regions on the table or on the table itself", code="unsupported")
        if ref.quant == "there":
            return self._there()
        if ref.quant == "former" and ref.among is not None:
            named = self.resolve(ref.among, role="restrictor")
            was = {self.scene.support_of(n) for n in named} - {None, "gripper"}
            if len(was) != 1:
                raise _Stop("clarify", f"{ref.among.text} is in no one place", question="Where should it go?")
            return list(was)
        if ref.quant == "former":
            if not self.last:
                raise _Stop("clarify", "\"its place\" does not point at a place yet", question="Where should it go?")
            was = {self.scene.support_of(n) for n in self.last} - {None, "gripper"}
            if len(was) != 1:
                raise _Stop("clarify", "they were in different places", question="Where should it go?")
            return list(was)
        if ref.top:
            if self.placed_top is None:
                raise _Stop("clarify", "on top of what?", question="On top of which block?")
            return [self.placed_top]
        if ref.quant in ("it", "them") and not self.last:
            held = [f.args[0] for f in self.scene.facts if f.predicate == "holding"]
            if held:
                return held
        if ref.quant in ("it", "them") and role == "target" and self.last:
            fitting = self._recent_place()
            if fitting is not None:
                return [fitting]
        if ref.quant == "it":
            if not self.last:
                raise _Stop("clarify", "\"it\" does not refer to anything yet",
                            question="Which object do you mean by \"it\"?",
                            candidates=tuple(self.scene.blocks))
            return list(self.last)
        if ref.quant == "them":
            if not self.last_plural and not self.last:
                raise _Stop("clarify", "\"them\" does not refer to anything yet",
                            question="Which objects do you mean?", candidates=tuple(self.scene.blocks))
            got = list(self.last_plural or self.last)
            if ref.number and len(got) < ref.number:  # "put X on Y, then both of them in the bin": X and Y
                said = [n for n in self.history if n in self.scene.objects and self.scene.objects[n].type == "block"]
                got = said[-ref.number:] if len(said) >= ref.number else got
            return got
        if ref.quant == "held":
            held = [f.args[0] for f in self.scene.facts if f.predicate == "holding"]
            if not held:
                raise _Stop("refuse", "the gripper is not holding anything", code="nothing_held")
            return held
        names = self.candidates(ref)
        if role == "theme" and not ref.names and all(n in ANY_NOUNS for n in ref.nouns):
            # "put the green one in the bowl": what is moved is a block, never the green bowl
            names = [n for n in names if self.scene.objects[n].type == "block"] or names
        words = ref.text or "that"
        if not names:
            raise _Stop("refuse", _no_such(ref, self.scene), code="unknown_object")
        plural = ref.quant in ("all", "both", "them") or ref.plural or ref.number is not None
        if ref.quant == "both" and len(names) != 2:
            raise _Stop("clarify", f"\"both\" but there are {len(names)} of {words}",
                        question=f"There are {len(names)} that match \"{words}\": "
                                 f"{_names_text(self.scene, names)}. Which ones do you mean?",
                        candidates=tuple(names))
        if ref.number is not None and len(names) != ref.number:
            raise _Stop("clarify", f"{ref.number} asked for but {len(names)} match",
                        question=f"You said {ref.number}, but {len(names)} match \"{words}\": "
                                 f"{_names_text(self.scene, names)}. Which ones do you mean?",
                        candidates=tuple(names))
        if not plural and len(names) > 1 and not many:
            if ref.quant == "indef" and role in ("theme", "target"):
                return names  # any one of them: becomes a disjunction
            raise _Stop("clarify", f"\"{words}\" could mean {len(names)} objects",
                        question=f"Which one do you mean by \"{words}\": "
                                 f"{_names_text(self.scene, names, ' or ')}?",
                        candidates=tuple(names))
        return names

    def _fits(self, name: str) -> bool:
        """Whether ``name`` can be the place of the clause being built ("in it": a region, "on it": a block)."""
        if name == "table":
            return self.target_relation in ("to", "on", None)
        if name not in self.scene.objects or name in self.current_themes:
            return False
        kind = self.scene.objects[name].type
        return kind == "region" if self.target_relation == "in" else \
            kind == "block" if self.target_relation == "under" else True

    def _recent_place(self) -> str | None:
        """``take X out of the tray and put Y in it``: "it" as a place is the latest thing that can be one.

        The things just handled come first (as for a theme); when they cannot be that place, the most
        recently named object that can is meant. None keeps the usual reading.
        """
        if all(self._fits(n) for n in self.last):
            return None
        for name in reversed(self.history):
            if self._fits(name):
                return name
        return None

    def remember(self, names) -> None:
        """Names said (a source, a place) that "it" may point back to."""
        for name in names:
            if name in self.history:
                self.history.remove(name)
            self.history.append(name)

    def note(self, names: list[str], plural: bool) -> None:
        self.remember(names)
        self.mentioned.extend(n for n in names if n not in self.mentioned)
        if plural or len(names) > 1:
            self.last_plural = list(names)
        self.last = list(names)


def _extreme(scene: Scene, names: list[str], pick, count: int = 1) -> list[str]:
    """The biggest (``pick=max``) or smallest of ``names``; ``count`` of them for "the two smaller blocks",
    when the sizes part them cleanly (otherwise all, to be asked about)."""
    sizes = {n: scene.objects[n].size for n in names if scene.objects[n].size is not None}
    if len(set(sizes.values())) < 2:
        return names
    if count > 1:
        ranked = sorted(sizes, key=sizes.get, reverse=pick is max)
        if len(ranked) > count and sizes[ranked[count - 1]] != sizes[ranked[count]]:
            return [n for n in names if n in ranked[:count]]
        return names
    best = pick(sizes.values())
    return [n for n in names if sizes.get(n) == best]


def _medium(scene: Scene, names: list[str]) -> list[str]:
    """``the medium green block``: of three or more sizes, the one neither biggest nor smallest."""
    sizes = {n: scene.objects[n].size for n in names if scene.objects[n].size is not None}
    between = sorted(set(sizes.values()))[1:-1]
    if len(between) != 1:
        return names
    return [n for n in names if sizes.get(n) == between[0]]


def _placed(scene: Scene, names: list[str]) -> bool:
    """Whether every one of ``names`` has a position (or a name that says its side)."""
    return all(_position(scene.objects[n]) is not None or n not in scene.objects for n in names) or \
        any(a in n.replace("-", "_").split("_") for n in names for a in SIDE_ADJS)


#: How close two positions across the table (metres) count as the same place in a row.
SIDE_TOLERANCE = 0.02


def _by_side(scene: Scene, names: list[str], side: str, count: int = 1) -> list[str]:
    """``the blue block on the left``: of ``names``, the ones furthest to that side (the robot's left, +y;
    the front or near side is the robot's, the least x).

    "middle" (or centre) is the one between the others in a row of three or more. Names that say the
    side themselves (``left_tray``) were already chosen by :func:`~.lexicon._matches`, and without
    positions nothing is chosen here.
    """
    spots = {n: _position(scene.objects[n]) for n in names if n in scene.objects}
    if any(side in n.replace("-", "_").split("_") for n in names) or len(names) < 2 or \
            any(p is None for p in spots.values()):
        return names
    if count > 1 and side != "middle":  # "the two blue blocks on the left": that many from that side
        axis, sign = (0, 1) if side in ("front", "near") else (0, -1) if side in ("back", "far") else \
            (1, -1) if side == "left" else (1, 1)
        ranked = sorted(spots, key=lambda n: sign * spots[n][axis])
        if len(ranked) > count and abs(spots[ranked[count - 1]][axis] - spots[ranked[count]][axis]) > SIDE_TOLERANCE:
            return ranked[:count]
        return names
    if side in ("front", "near", "back", "far"):  # x forward: the front is nearest the robot
        xs = {n: p[0] for n, p in spots.items()}
        best = min(xs.values()) if side in ("front", "near") else max(xs.values())
        return [n for n in names if abs(xs[n] - best) <= SIDE_TOLERANCE]
    ys = {n: p[1] for n, p in spots.items()}
    if side == "left":
        best = max(ys.values())
    elif side == "right":
        best = min(ys.values())
    else:
        row = sorted(set(round(y / SIDE_TOLERANCE) for y in ys.values()))
        if len(row) < 3 or len(row) % 2 == 0:
            return names
        best = row[len(row) // 2] * SIDE_TOLERANCE
    return [n for n in names if abs(ys[n] - best) <= SIDE_TOLERANCE]


def _names_text(scene: Scene, names, last_sep: str = " and ") -> str:
    shown = [f"{scene.objects[n].describe()} ({n})" if n in scene.objects else n for n in names]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + last_sep + shown[-1]


def _no_such(ref: Ref, scene: Scene) -> str:
    words = ref.text or "that object"
    if ref.restrictor is not None:
        return f"nothing in the scene matches \"{words}\""
    have = ", ".join(o.describe() for o in scene.objects.values())
    return f"there is no {words.removeprefix('the ').removeprefix('a ').removeprefix('all ')} in the scene " \
           f"(it has {have})"
