"""A sentence-structured JSGF grammar of instructions about one scene.

The grammar is built from the scene's vocabulary (colours, block kinds,
region kinds, the words of object names, size and side adjectives) and the
domain's phrase structure: verb phrases ("put/place/stack/move X on/onto/
in/into Y", "pick up X", "take X off Y", "clear X", "put X on the table"),
towers ("X on Y on Z", "build a tower with X at the bottom, then Y"),
state phrasings ("X should be in Y", "I want X on Y"), polite wrappers and
conjunctions. Destinations are typed: "in/into" takes a region, "on/onto/
under" a block or the table, so the recogniser cannot hear "in the green".

It is deliberately not a word loop: every path through it is a sentence a
person could say to the robot, which is what lets pocketsphinx pick the
right words out of synthetic or noisy audio.
"""

from __future__ import annotations

import re
from typing import Callable

from ..scene import Scene
from ..symbolic.domain import Domain
from .rules import BLOCK_NOUNS, COLOR_WORDS, REGION_SYNONYMS

#: Verbs by what they do (a subset of the rule parser's lexicon that people say to a robot arm).
PLACE_VERBS = ("put", "place", "set", "move", "stack", "drop", "lay", "bring", "get", "transfer", "sort", "shift",
               "stick", "pop", "send", "pile", "slide", "carry")
HOLD_VERBS = ("pick up", "grab", "hold", "lift", "lift up", "take", "get", "grasp", "hold onto")
CLEAR_VERBS = ("clear", "uncover", "free")
REMOVE_VERBS = ("remove", "unstack", "take", "lift", "get")
EMPTY_VERBS = ("empty", "unload", "clear")
BUILD_VERBS = ("build", "make", "form", "create")
TOWER_NOUNS = ("tower", "stack", "pile")
PREFIXES = ("please", "robot", "robot please", "hey", "hey robot", "hey can you", "um", "okay robot",
            "is it possible to", "go ahead and", "i'd like you to", "please could you", "let's",
            "could you", "could you please", "can you", "can you please",
            "would you", "would you please", "could you kindly", "i want you to", "i would like you to",
            "i need you to", "first", "now", "just", "gently", "carefully", "then", "okay", "no just")
SUFFIXES = ("please", "thanks", "thank you", "thanks a lot", "thank you very much", "for me", "for me please",
            "again", "now", "if you can", "when you can", "please and thank you")
JOINERS = ("and", "then", "and then", "after that", "and also")
STATE_HEADS = ("i want", "i would like", "i need", "i'd like", "make sure", "make sure that")
COPULAS = ("should be", "should end up", "should go", "must be", "is", "goes", "belongs", "needs to be",
           "to be", "ends up", "needs to go", "has to go", "has to be")
SIZE_WORDS = ("big", "large", "small", "little", "bigger", "smaller", "larger")
ORDINALS = ("other", "top", "bottom")
#: Digits in object names are spoken as words: cube1 -> "cube one".
DIGIT_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
               "7": "seven", "8": "eight", "9": "nine"}


#: Letters that are also words ("a" the article, "i" the pronoun): as a name they are only heard after a
#: noun ("block a"), or every "put a ..." would offer the recogniser an object, unless the scene names
#: its blocks by letters (a, b, c), where "stack a on b" is how people say it.
WORD_LETTERS = frozenset({"a", "i"})


#: Prior weights are probabilities raised to this power, the decoder's language weight: pocketsphinx
#: adds a JSGF weight's log to the path score unscaled, while acoustic scores are on the -lw scale.
WEIGHT_POWER = 6.5


def _words(name: str) -> list[str]:
    return [p for p in re.split(r"[_\-\s]+", name.lower()) if p]


def _spoken_name(name: str) -> str | None:
    """How a name with digits or letters in it is said ("cube1" -> "cube one", "zone_b" -> "zone b")."""
    parts = [p for w in _words(name) for p in re.findall(r"[a-z]+|[0-9]+", w)]
    if len(parts) < 2 or not any(p.isdigit() or len(p) == 1 for p in parts):
        return None
    return " ".join(DIGIT_WORDS.get(p, p) for p in parts)


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("x", "s", "sh", "ch")) else "s")


def _weight(prob: float) -> str:
    return f"/{max(prob, 1e-6) ** WEIGHT_POWER:.3g}/"


def build_grammar(scene: Scene, domain: Domain, known_word: Callable[[str], bool] | None = None,
                  weighted: bool = True) -> str:
    """The JSGF text for ``scene`` (see the module docstring).

    The grammar is probabilistic: alternatives and optional words carry prior weights (how often
    people say them to a robot arm), so an acoustically close but unlikely path ("both the red
    blocks" for "put the red block") loses to the ordinary phrasing unless the audio clearly says it.
    Plural colour phrases ("the red blocks", "both red ones") are only offered for colours that
    more than one block in the scene has.

    Args:
        known_word: keeps only phrases whose words this accepts (the recogniser's dictionary);
            by default every phrase is kept.
        weighted: add the prior weights (False: every path is equally likely).
    """
    def ok(phrase: str) -> bool:
        return known_word is None or all(known_word(w) for w in phrase.split())

    def alt(items, fallback: str = "<VOID>") -> str:
        kept = []
        for item in items:
            if item and ok(item) and item not in kept:
                kept.append(item)
        return " | ".join(kept) if kept else fallback

    def walt(*pairs) -> str:
        """Weighted alternatives from ``(expansion, probability)`` pairs (empty expansions dropped)."""
        kept = [(e, p) for e, p in pairs if e]
        if not weighted:
            return " | ".join(e for e, _ in kept)
        return " | ".join(f"{_weight(p)} {e}" for e, p in kept)

    def opt(expansion: str, prob: float) -> str:
        """``[expansion]`` said with probability ``prob``."""
        if not weighted:
            return f"[{expansion}]"
        return f"({_weight(prob)} {expansion} | {_weight(1.0 - prob)} <NULL>)"

    blocks = [o for o in scene.objects.values() if o.type == "block"]
    regions = [o for o in scene.objects.values() if o.type != "block"]

    def block_colors(obj) -> set:
        return ({obj.color} if obj.color else set()) | {w for w in _words(obj.name) if w in COLOR_WORDS}

    colors = {c for o in blocks for c in block_colors(o)}
    colors = sorted(colors | ({"grey", "gray"} if colors & {"grey", "gray"} else set()))
    # colours more than one block has: only those make sense in "the red blocks", "both red ones"
    shared_colors = sorted(c for c in colors if sum(c in block_colors(o) for o in blocks) > 1)
    block_nouns = {"block"} | {o.kind for o in blocks if o.kind} | {w for o in blocks for w in _words(o.name)
                                                                    if w in BLOCK_NOUNS}
    block_nouns = sorted(n for n in block_nouns | {"cube"} if n and not n.endswith("s"))
    named_regions = {w for o in regions for w in _words(o.name) if w in REGION_SYNONYMS}
    region_nouns = sorted({o.kind or o.type for o in regions} | named_regions)
    region_nouns = [n for n in region_nouns if n != "region"] or ["tray"]
    name_adjs = {w for o in scene.objects.values() for w in _words(o.name)
                 if w.isalpha() and w not in COLOR_WORDS and w not in BLOCK_NOUNS and w not in REGION_SYNONYMS}
    sized = any(o.size for o in blocks) or bool(name_adjs & set(SIZE_WORDS))
    block_adjs = sorted(({w for o in blocks for w in _words(o.name)} & set(SIZE_WORDS))
                        | (set(SIZE_WORDS) if sized else set()) | set(ORDINALS))
    place_words = {"left", "right", "middle", "front", "back", "top", "bottom"}
    region_adjs = sorted({w for o in regions for w in _words(o.name)} & place_words)
    if region_adjs:
        region_adjs += [a + "most" for a in region_adjs if a in ("left", "right")]
    # coloured regions: "the red bowl"
    region_adjs += sorted({c for o in regions for c in ([o.color] if o.color else []) + _words(o.name)
                           if c in COLOR_WORDS})
    # single letters and other short names ("a", "b", "c") are said as "block a"
    letters = sorted(w for o in blocks for w in _words(o.name) if len(w) == 1 and w.isalpha())
    # "a" alone is a name only where blocks are named by letters (a, b, c), not for one block_a
    bare_letters = [w for w in letters if w not in WORD_LETTERS or len(set(letters)) > 1]
    # names spelled out with digits: red_1 -> "red one"
    counts = [DIGIT_WORDS[str(k)] for k in range(2, min(len(blocks), 9) + 1)]
    spoken_names = sorted({n for n in map(_spoken_name, (o.name for o in blocks)) if n})
    region_names = sorted({n for n in map(_spoken_name, (o.name for o in regions)) if n})

    under = ["under", "underneath", "below", "beneath"] if "on" in domain.predicates else []
    rel_on = ["on", "onto", "on top of"] + under
    rel_in = ["in", "into", "inside", "in to"] if "in" in domain.predicates else []
    rel_to = ["to", "over to", "into", "in"]
    src = ["off", "off of", "from", "out of", "from the top of", "off the top of"]
    names = ((" | <block_noun> <letter>" if letters else "") + (" | <bare_letter>" if bare_letters else "")
             + (" | <spoken_name>" if spoken_names else ""))
    letter_item = " | <bare_letter>" if bare_letters else ""
    region_adj = opt("<region_adj>", 0.5) + " " if region_adjs else ""
    shared = ("(the | both | both the | all | all the | all of the) <color_pl> (<block_noun_pl> | ones)"
              if shared_colors else "")
    adj = opt("<block_adj>", 0.08)
    color_pl = "[<color_pl>] " if shared_colors else ""
    counted = f"(the | all | all the | all of the) ({alt(counts)}) {color_pl}<block_noun_pl>" if counts else ""
    color = opt("<color>", 0.7)
    text = f"""#JSGF V1.0;
grammar lam_robot;
public <utterance> = {opt("<prefix> " + opt("<prefix>", 0.1), 0.2)} <command> <more>* {opt("<suffix>", 0.1)};
<more> = {walt((opt("<joiner>", 0.9) + " " + opt("<prefix>", 0.1) + " <command>", 1.0),
               ("<joiner> <things> <destination>", 0.5))};
<prefix> = {alt(PREFIXES)};
<suffix> = {alt(SUFFIXES)};
<joiner> = {alt(JOINERS)};
<command> = ({walt(("<place>", 1.0), ("<hold>", 0.3), ("<clear>", 0.2), ("<remove>", 0.12), ("<empty>", 0.06),
                   ("<tower>", 0.25), ("<state>", 0.15), ("<release>", 0.04))});

<place> = {walt((f"<place_verb> <things> {opt('(back | down | again | over)', 0.1)} {opt('<source>', 0.2)} "
                 f"<destination> {opt('<destination>', 0.02)}", 1.0),
                ("<place_verb> <things> down", 0.1), ("put down <thing>", 0.05),
                ("<place_verb> <thing> [<source>] and <place_verb> it [back | down] <destination>", 0.05),
                ("<things> [back] <destination>", 0.08))};
<hold> = <hold_verb> <thing> {opt("<source>", 0.2)} | pick <thing> up;
<clear> = <clear_verb> [off] <thing> | take everything <source> | get rid of <thing>;
<remove> = <remove_verb> <things> <source> | <remove_verb> <thing> [off | down] | <remove_verb> everything
         | take <thing> out [again];
<empty> = <empty_verb> <region>;
<tower> = {walt(("(<build_verb> | <place_verb>) [me] (a | the) <tower_noun> [of | with | out of] <tower_body>", 1.0),
                ("<place_verb> <tower_body>", 0.5), ("<tower_body>", 0.5))};
<tower_body> = <item> (on [top of] <item>)+
             | <item> ([and] <item>)+ <order>
             | [with] <item> <position> ([and | then | <joiner>] [then] <item> [<position>])+
             | <order> <item> (([and] | then) <item>)+;
<order> = from (the) bottom (up | to top | to the top) | [from] bottom to top | [from] top to bottom
        | from the top down;
<position> = (at | on) the bottom | on top | at the top | in the middle | in between | in the middle;
<state> = [<state_head>] <things> <copula> <destination>
        | <state_head> <things> <destination>
        | <region> should contain <things>
        | <state_head> (a | the) <tower_noun> (of | with) <tower_body>
        | <state_head> nothing is <destination>;
<release> = release <thing> | let go [of <thing>] | put it down | drop it;

<destination> = {walt(("<on_rel> <block>", 1.0), ("<on_rel> the table", 0.3), ("<in_rel> <region>", 1.0),
                      ("<to_rel> <region>", 0.3), ("(on | onto) <region>", 0.3))};
<source> = ({alt(src)}) (<block> | <region> | the table);
<on_rel> = {alt(rel_on)};
<in_rel> = {alt(rel_in)};
<to_rel> = {alt(rel_to)};

<things> = {walt(("<thing> " + opt("and <thing>", 0.3), 1.0),
                 ("(the | both | both the) <color> ([and] [the] <color>)+ (<block_noun_pl> | ones)", 0.03),
                 ("(the | both the) <color> and [the] <color> <block_noun>", 0.03),
                 (shared, 0.03),
                 ("(the | all | all the | all of the | all of my | my) <block_noun_pl> " + opt("<restrictor>", 0.2),
                  0.05),
                 ("(both | both the | the two) <block_noun_pl>", 0.01),
                 (counted, 0.01),
                 ("(every | each | any) " + ("[<color_pl>] " if shared_colors else "") + "<block_noun>", 0.02),
                 ("everything " + opt("<restrictor>", 0.3), 0.04),
                 ("(everything | every <block_noun> | all <block_noun_pl>) (except | but) <thing>", 0.01))};
<thing> = {walt(("<block>", 1.0), ("<region>", 0.2))};
<block> = {walt(("<block_ref>", 1.0), ("it", 0.3))};
<block_ref> = {walt((f"the {adj} {color} (<block_noun> | one) " + opt("<restrictor>", 0.05), 1.0),
                    (f"(a | another) {adj} {color} (<block_noun> | one)", 0.05),
                    ("<color> " + opt("<block_noun>", 0.3), 0.15),
                    ("the <block_noun> you are holding", 0.01), (f"({names.lstrip(' |')})" if names else "", 0.3))};
<restrictor> = (that is | that's | which is | that are) <destination> | (on | in | on top of) <thing_simple>
             | on the table;
<thing_simple> = the [<color>] (<block_noun> | one) | the {region_adj}<region_noun>;
<region> = {walt((f"the {region_adj}<region_noun>", 1.0), (f"{region_adj}<region_noun>", 0.05),
                 ("the <region_adj> one" if region_adjs else "", 0.05),
                 ("[the] <region_name>" if region_names else "", 0.5))};

<place_verb> = {alt(PLACE_VERBS)};
<hold_verb> = {alt(HOLD_VERBS)};
<clear_verb> = {alt(CLEAR_VERBS)};
<remove_verb> = {alt(REMOVE_VERBS)};
<empty_verb> = {alt(EMPTY_VERBS)};
<build_verb> = {alt(BUILD_VERBS)};
<tower_noun> = {alt(TOWER_NOUNS)};
<state_head> = {alt(STATE_HEADS)};
<copula> = {alt(COPULAS)};
<item> = <color> | <block_ref> | <color> <block_noun>{letter_item};
<color> = {alt(colors)};
<block_noun> = {alt(block_nouns, "block")};
<block_noun_pl> = {alt([_plural(n) for n in block_nouns] + ["ones"], "blocks")};
<block_adj> = {alt(block_adjs)};
<region_noun> = {alt(region_nouns, "tray")};
"""
    if shared_colors:
        text += f"<color_pl> = {alt(shared_colors)};\n"
    if region_adjs:
        text += f"<region_adj> = {alt(region_adjs)};\n"
    if letters:
        text += f"<letter> = {alt(letters)};\n"
    if bare_letters:
        text += f"<bare_letter> = {alt(bare_letters)};\n"
    if spoken_names:
        text += f"<spoken_name> = {alt(spoken_names)};\n"
    if region_names:
        text += f"<region_name> = {alt(region_names)};\n"
    return text
