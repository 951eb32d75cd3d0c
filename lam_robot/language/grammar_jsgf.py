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
PLACE_VERBS = ("put", "place", "set", "move", "stack", "drop", "lay", "bring", "get", "transfer", "sort")
HOLD_VERBS = ("pick up", "grab", "hold", "lift", "take", "get", "grasp")
CLEAR_VERBS = ("clear", "uncover", "free")
REMOVE_VERBS = ("remove", "unstack", "take", "lift", "get")
EMPTY_VERBS = ("empty", "unload", "clear")
BUILD_VERBS = ("build", "make", "form", "create")
TOWER_NOUNS = ("tower", "stack", "pile")
PREFIXES = ("please", "robot", "robot please", "could you", "could you please", "can you", "can you please",
            "would you", "would you please", "could you kindly", "i want you to", "i would like you to",
            "i need you to", "first", "now", "just", "gently", "carefully", "then", "okay", "no just")
SUFFIXES = ("please", "thanks", "thank you", "for me", "for me please", "again", "now")
JOINERS = ("and", "then", "and then", "after that", "and also")
STATE_HEADS = ("i want", "i would like", "i need", "i'd like", "make sure", "make sure that")
COPULAS = ("should be", "should end up", "should go", "must be", "is", "goes", "belongs", "needs to be",
           "to be", "ends up")
SIZE_WORDS = ("big", "large", "small", "little", "bigger", "smaller", "larger")
ORDINALS = ("other",)


def _words(name: str) -> list[str]:
    return [p for p in re.split(r"[_\-\s]+", name.lower()) if p]


def _plural(noun: str) -> str:
    return noun + ("es" if noun.endswith(("x", "s", "sh", "ch")) else "s")


def build_grammar(scene: Scene, domain: Domain, known_word: Callable[[str], bool] | None = None) -> str:
    """The JSGF text for ``scene`` (see the module docstring).

    Args:
        known_word: keeps only phrases whose words this accepts (the recogniser's dictionary);
            by default every phrase is kept.
    """
    def ok(phrase: str) -> bool:
        return known_word is None or all(known_word(w) for w in phrase.split())

    def alt(items, fallback: str = "<VOID>") -> str:
        kept = []
        for item in items:
            if item and ok(item) and item not in kept:
                kept.append(item)
        return " | ".join(kept) if kept else fallback

    blocks = [o for o in scene.objects.values() if o.type == "block"]
    regions = [o for o in scene.objects.values() if o.type != "block"]
    colors = sorted({o.color for o in blocks if o.color} | {w for o in blocks for w in _words(o.name)
                                                            if w in COLOR_WORDS})
    block_nouns = {"block"} | {o.kind for o in blocks if o.kind} | {w for o in blocks for w in _words(o.name)
                                                                    if w in BLOCK_NOUNS}
    block_nouns = sorted(n for n in block_nouns if n and not n.endswith("s"))
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
    # single letters and other short names ("a", "b", "c") are said as "block a"
    letters = sorted(w for o in blocks for w in _words(o.name) if len(w) == 1 and w.isalpha())
    # names spelled out with digits: red_1 -> "red one"
    digits = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five"}
    spoken_names = sorted({" ".join(digits.get(w, w) for w in _words(o.name)) for o in blocks
                           if any(w in digits for w in _words(o.name))})

    rel_on = ["on", "onto", "on top of"] + (["under", "underneath", "below", "beneath"] if "on" in domain.predicates
                                            else [])
    rel_in = ["in", "into", "inside", "in to"] if "in" in domain.predicates else []
    rel_to = ["to", "over to", "into", "in"]
    src = ["off", "off of", "from", "out of", "from the top of"]
    names = (" | <block_noun> <letter> | <letter>" if letters else "") + (" | <spoken_name>" if spoken_names else "")
    letter_item = " | <letter>" if letters else ""
    region_adj = "[<region_adj>] " if region_adjs else ""
    text = f"""#JSGF V1.0;
grammar lam_robot;
public <utterance> = [<prefix>] <command> (<joiner> [<prefix>] <command>)* [<suffix>];
<prefix> = {alt(PREFIXES)};
<suffix> = {alt(SUFFIXES)};
<joiner> = {alt(JOINERS)};
<command> = (<place> | <hold> | <clear> | <remove> | <empty> | <tower> | <state> | <release>);

<place> = <place_verb> <things> [back | down | again] <destination> [<destination>]
        | <place_verb> <things> down
        | put down <thing> | <place_verb> <thing> [<source>] and <place_verb> it [back | down] <destination>
        | <things> [back] <destination>;
<hold> = <hold_verb> <thing> [<source>] | pick <thing> up;
<clear> = <clear_verb> <thing> | take everything <source> | get rid of <thing>;
<remove> = <remove_verb> <things> <source> | <remove_verb> <thing> | <remove_verb> everything
         | take <thing> out [again];
<empty> = <empty_verb> <region>;
<tower> = (<build_verb> | <place_verb>) (a | the) <tower_noun> (of | with) <tower_body>
        | <place_verb> <tower_body>
        | <tower_body>;
<tower_body> = <item> (on [top of] <item>)+
             | <item> (and <item>)+ <order>
             | [with] <item> <position> ((and | then | <joiner>) [then] <item> [<position>])+
             | <order> <item> (([and] | then) <item>)+;
<order> = from (the) bottom (up | to top | to the top) | from bottom to top | from top to bottom
        | from the top down;
<position> = (at | on) the bottom | on top | at the top | in the middle | in between | in the middle;
<state> = [<state_head>] <things> <copula> <destination>
        | <state_head> <things> <destination>
        | <region> should contain <things>
        | <state_head> (a | the) <tower_noun> (of | with) <tower_body>
        | <state_head> nothing is <destination>;
<release> = release <thing> | let go [of <thing>] | put it down | drop it;

<destination> = <on_rel> <block> | <on_rel> the table | <in_rel> <region> | <to_rel> <region>;
<source> = ({alt(src)}) (<block> | <region> | the table);
<on_rel> = {alt(rel_on)};
<in_rel> = {alt(rel_in)};
<to_rel> = {alt(rel_to)};

<things> = <thing> [and <thing>]
         | (the | both | both the) <color> and [the] <color> <block_noun_pl>
         | (the | both the) <color> and [the] <color> <block_noun>
         | [all] [of] [the | my] [<color>] <block_noun_pl> [<restrictor>]
         | (both | both the | the two | all the | all) [<color>] <block_noun_pl>
         | (every | each | any) [<color>] <block_noun> | everything [<restrictor>]
         | everything except <thing> | every <block_noun> except <thing>;
<thing> = <block> | <region>;
<block> = the [<block_adj>] [<color>] (<block_noun> | one) [<restrictor>]
        | (a | another) [<block_adj>] [<color>] (<block_noun> | one)
        | <color> [<block_noun>] | it | the <block_noun> you are holding{names};
<restrictor> = (that is | that's | which is) <destination> | (on | in) <thing_simple> | on the table;
<thing_simple> = the [<color>] (<block_noun> | one) | the {region_adj}<region_noun>;
<region> = the {region_adj}<region_noun>;

<place_verb> = {alt(PLACE_VERBS)};
<hold_verb> = {alt(HOLD_VERBS)};
<clear_verb> = {alt(CLEAR_VERBS)};
<remove_verb> = {alt(REMOVE_VERBS)};
<empty_verb> = {alt(EMPTY_VERBS)};
<build_verb> = {alt(BUILD_VERBS)};
<tower_noun> = {alt(TOWER_NOUNS)};
<state_head> = {alt(STATE_HEADS)};
<copula> = {alt(COPULAS)};
<item> = <color> | <block> | <color> <block_noun>{letter_item};
<color> = {alt(colors)};
<block_noun> = {alt(block_nouns, "block")};
<block_noun_pl> = {alt([_plural(n) for n in block_nouns] + ["ones"], "blocks")};
<block_adj> = {alt(block_adjs)};
<region_noun> = {alt(region_nouns, "tray")};
"""
    if region_adjs:
        text += f"<region_adj> = {alt(region_adjs)};\n"
    if letters:
        text += f"<letter> = {alt(letters)};\n"
    if spoken_names:
        text += f"<spoken_name> = {alt(spoken_names)};\n"
    return text
