"""The rule translator: a small semantic parser from English to goal literals.

No model, no network, deterministic. The parser reads an instruction as a
sequence of clauses ("put the red block on the blue one, then clear the
green one"); each clause is a verb frame (place, pick up, clear, take off,
empty, build a tower) or a state description ("the red block should be in
the tray"). Noun phrases are *references*, resolved against the scene's
objects by colour, kind, type and name words, with quantifiers ("all",
"both", "every", "the other"), coordination ("the red and blue blocks"),
locative restrictors ("the block on the table") and pronouns ("it",
"them"). Clauses are read in order and the final state they describe is the
goal, so "pick up the red block and put it in the tray" asks only for
``(in red tray)``.

A reference that matches nothing is refused; a definite reference that
matches several objects produces a clarifying question listing them. The
goal text the parser builds goes through the guardrail like any model output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..scene import Scene, SceneObject

# ---------------------------------------------------------------- lexicon

COLOR_WORDS = frozenset("""red blue green yellow orange purple pink black white grey gray brown
cyan magenta violet teal gold golden silver navy maroon beige turquoise lime indigo""".split())

BLOCK_NOUNS = frozenset("block blocks cube cubes brick bricks piece pieces box_block".split())
ANY_NOUNS = frozenset("one ones thing things object objects item items".split())
REGION_GENERIC = frozenset("container containers region regions area areas zone zones".split())
REGION_SYNONYMS = {
    "tray": {"tray"}, "trays": {"tray"}, "bin": {"bin"}, "bins": {"bin"},
    "basket": {"basket"}, "baskets": {"basket"}, "bowl": {"bowl"}, "bowls": {"bowl"},
    "plate": {"plate"}, "plates": {"plate"}, "box": {"box"}, "boxes": {"box"},
    "crate": {"box", "bin", "crate"}, "bucket": {"bin", "bucket"}, "zone": {"zone"},
    "dish": {"plate", "bowl", "dish"}, "container": set(), "tub": {"bin", "tub"},
}
PLURAL_NOUNS = frozenset("""blocks cubes bricks pieces ones things objects items trays bins baskets
bowls plates boxes containers regions areas zones""".split())
TABLE_WORDS = frozenset("table desk tabletop surface".split())
ADJ_WORDS = frozenset("""left right middle center centre big large small little tiny huge""".split())
#: "the top block": clear and stacked on a block; "the bottom block": on the table, something on it.
STACK_ADJS = {"top": "stacktop", "topmost": "stacktop", "uppermost": "stacktop", "upper": "stacktop",
              "bottom": "stackbottom", "bottommost": "stackbottom", "lowest": "stackbottom",
              "lower": "stackbottom"}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4,
                "5": 5, "6": 6}

PLACE_VERBS = frozenset("""put place set move stack drop lay position transfer bring carry get
slide shift relocate load insert deposit lower rest stick pop leave plonk park pile sort keep
send return""".split())
HOLD_VERBS = frozenset("grab grasp hold lift raise take pick seize collect fetch".split())
CLEAR_VERBS = frozenset("clear uncover free unblock".split())
REMOVE_VERBS = frozenset("remove unstack unpile unload dismantle disassemble".split())
EMPTY_VERBS = frozenset("empty".split())
FILL_VERBS = frozenset("fill load".split())
BUILD_VERBS = frozenset("build make form create assemble construct".split())
TOWER_NOUNS = frozenset("tower stack pile column".split())
RELEASE_VERBS = frozenset("release".split())
#: "swap A and B": each takes the other's place.
SWAP_VERBS = frozenset("swap exchange switch interchange trade".split())
#: "reverse the tower", "turn the stack upside down": the same blocks, the other way up.
REVERSE_VERBS = frozenset("reverse invert flip turn rebuild restack redo".split())
#: "throw X in the bin": the idiom for putting it there, taken only with a bin-like region.
DISPOSE_VERBS = frozenset("throw toss chuck bin".split())
DISPOSAL_KINDS = frozenset("bin bins bucket buckets trash rubbish garbage wastebasket tub crate".split())
#: What a block is made of: says nothing the scene can check, so it is passed over ("the wooden cube").
MATERIAL_WORDS = frozenset("wooden wood plastic metal metallic foam rubber cardboard paper glass stone".split())
SIZE_BIG = frozenset("big large huge tall".split())
SIZE_SMALL = frozenset("small little tiny short".split())
HARMFUL_VERBS = frozenset("""throw toss hurl fling smash break hit crush destroy kick knock punch
burn eat paint cut shake spin juggle bend squeeze bang damage wreck shatter launch shoot attack
hurt stab explode melt spray wave""".split())
UNSUPPORTED_VERBS = frozenset("""rotate turn flip push pull roll open close point look find count
wash clean hand give show tell say sing dance wait stop go come walk follow
arrange align line order spread scatter hide delete erase draw write print cook""".split())

ALL_VERBS = (PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | EMPTY_VERBS | BUILD_VERBS
             | RELEASE_VERBS | SWAP_VERBS | HARMFUL_VERBS | {"pick", "fill"}) \
    - {"set", "rest", "pop", "stick", "park", "make"}

VERB_FORMS = {
    "puts": "put", "putting": "put", "placed": "place", "places": "place", "placing": "place",
    "sets": "set", "setting": "set", "moved": "move", "moves": "move", "moving": "move",
    "stacked": "stack", "stacks": "stack", "stacking": "stack", "dropped": "drop", "drops": "drop",
    "dropping": "drop", "laying": "lay", "lays": "lay", "positioned": "position",
    "positioning": "position", "transferred": "transfer", "transferring": "transfer",
    "bringing": "bring", "carrying": "carry", "getting": "get", "got": "get", "sliding": "slide",
    "shifting": "shift", "loading": "load", "inserting": "insert", "depositing": "deposit",
    "lowering": "lower", "leaving": "leave", "grabbing": "grab", "grabbed": "grab",
    "grasping": "grasp", "holding": "hold", "lifting": "lift", "lifted": "lift", "raising": "raise",
    "taking": "take", "took": "take", "taken": "take", "picking": "pick", "picked": "pick",
    "clearing": "clear", "cleared": "clear", "removing": "remove", "removed": "remove",
    "unstacking": "unstack", "emptying": "empty", "emptied": "empty", "building": "build",
    "built": "build", "making": "make", "made": "make", "forming": "form", "creating": "create",
    "releasing": "release", "throwing": "throw", "threw": "throw", "smashing": "smash",
    "breaking": "break", "hitting": "hit", "swapping": "swap", "swapped": "swap", "swaps": "swap",
    "switching": "switch", "switched": "switch", "exchanging": "exchange", "exchanged": "exchange",
    "trading": "trade", "traded": "trade",
}

POLITE_PREFIXES = [
    "would it be possible to", "is it possible to", "would it be possible for you to", "could you help me",
    "can you help me", "would you help me", "help me", "i am asking you to", "i would be grateful if you could",
    "would you mind", "would you be so kind as to", "be so kind as to", "do me a favour and",
    "do me a favor and", "i would like you to", "i would love you to", "i want you to",
    "i need you to", "i would like to", "i want to", "i need to", "could you please",
    "can you please", "would you please", "will you please", "could you", "can you",
    "would you", "will you", "you should", "you can", "you could", "go ahead and", "try to",
    "please", "kindly", "robot", "hey", "hi", "hello", "okay", "ok", "alright", "so", "now",
    "first", "first of all", "lets", "let us", "it would be great if you could",
    "i would appreciate it if you could", "if you could", "if you can", "time to",
    "your task is to", "the task is to", "your job is to", "the goal is to", "we need to",
    "we want to", "you need to", "you have to", "you must", "i'd like you to",
    "i would appreciate it if you", "it would be great if you", "it would be nice if you",
    "would you be able to", "are you able to", "could you possibly", "i was wondering if you could",
    "i wonder if you could", "if you would", "would you kindly", "could you just", "can you just",
    "can i ask you to", "could i ask you to", "i would like it if you", "i would love it if you",
    "i said", "like i said", "as i said", "i told you to",
    "what i would like you to do is", "what i want you to do is", "what i need you to do is",
    "what you should do is", "i would like that you", "i want that you", "you will", "if you want",
    "if you like", "if you would like", "if you please",
]
#: How people address the robot in passing ("thank you, dear"): no meaning in an instruction.
VOCATIVES = frozenset("dear darling sweetheart sweetie honey pet".split())
FILLER_WORDS = frozenset("""please kindly just carefully gently slowly quickly also too thanks again
thank you cheers really simply now immediately right away for me there robot hey mate buddy
pal um umm uh uhh uhm er erm hmm ah oh well maybe perhaps possibly""".split()) | VOCATIVES
STATE_PREFIXES = [
    "can", "could", "would", "will",
    "make sure that", "make sure", "ensure that", "ensure", "see to it that", "i want", "i would like",
    "i need", "i wish", "i would love", "i would prefer", "we want", "we need", "the goal is",
    "the goal is that", "the final state should have", "in the end", "at the end", "finally",
    "afterwards", "arrange it so that", "arrange things so that", "arrange that", "have",
    "let", "get it so that", "i want it so that", "so that",
]
SEPARATORS = frozenset([",", "and", "andalso", "then", "andthen", "afterwards", "after", "next", "finally",
                        "also", "plus", "first", "lastly", "last", "second", "third", "while"])
COPULAS = ["needs to go", "need to go", "has to go", "have to go", "must go", "ought to go",
           "is supposed to be", "are supposed to be", "is supposed to go", "should be put",
           "should be", "should end up", "must be", "needs to be", "need to be", "has to be",
           "have to be", "ought to be", "is to be", "are to be", "is to go", "are to go", "is going to go",
           "are going to go", "is going to be", "are going to be", "is going", "are going", "should sit", "should rest",
           "should go", "should stand", "will be", "to be", "is", "are", "be", "goes", "go",
           "belongs", "belong", "ends up", "end up", "sits", "sit", "sitting", "rests", "resting",
           "stays", "stay", "lands", "land", "could go", "can go", "might go"]
INJECTION_PATTERNS = [
    r"\bignore\b", r"\bdisregard\b", r"\bforget (all|every|your|the|previous|prior|earlier)",
    r"system prompt", r"\byou are now\b", r"\bpretend\b", r"\bjailbreak", r"\boverride\b",
    r"new instructions", r"developer mode", r"\bbypass\b", r"\bguardrails?\b", r"safety (rules|checks)",
    r"previous instructions", r"\bact as\b", r"\broleplay\b", r"\bsudo\b", r"\badmin mode\b",
    r"\bdo anything now\b", r"\bno restrictions\b", r"\bunrestricted\b", r"\bexecute (raw|this)\b",
    r"\brm -rf\b", r"\bprint your\b", r"\breveal\b",
]

# Multi-word expressions folded into one token before parsing.
_PHRASES = [
    ("upside down", "upsidedown"), ("upside-down", "upsidedown"), ("the other way round", "upsidedown"),
    ("the other way around", "upsidedown"), ("the other way up", "upsidedown"),
    ("in the reverse order", "inreverse"), ("in reverse order", "inreverse"), ("in the opposite order", "inreverse"),
    ("in opposite order", "inreverse"), ("in reverse", "inreverse"), ("back to front", "inreverse"),
    ("on top of", "on"), ("on to", "on"), ("onto", "on"), ("atop", "on"), ("upon", "on"),
    ("in to", "in"), ("into", "in"), ("inside of", "in"), ("inside", "in"), ("within", "in"),
    ("off of", "off"), ("out of", "outof"), ("away from", "off"), ("down from", "off"),
    ("underneath", "under"), ("beneath", "under"), ("below", "under"),
    ("and then", "andthen"), ("after that", "andthen"), ("once that is done", "andthen"),
    ("when you are done", "andthen"), ("next to", "nextto"), ("in front of", "infrontof"),
    ("to the left of", "leftof"), ("to the right of", "rightof"), ("left of", "leftof"),
    ("right of", "rightof"), ("let go of", "release"), ("pick up", "pick up"),
    ("each of the", "all"), ("each of", "all"), ("every one of the", "all"), ("all of the", "all"),
    ("all of", "all"), ("both of the", "both"), ("both of", "both"), ("one of the", "oneof"),
    ("the rest of the", "the remaining"), ("the rest", "the remaining"),
    ("every single", "every"), ("all the", "all"), ("called", "named"), ("labelled", "named"),
    ("labeled", "named"), ("with the name", "named"), ("that is", "that"), ("which is", "that"),
    ("that are", "that"), ("which are", "that"), ("currently", ""), ("right now", ""),
    ("at the moment", ""), ("in the end", ""), ("once more", ""), ("for me", ""),
    ("in the scene", ""), ("you see", ""), ("you can see", ""), ("over there", ""),
    ("get rid of", "remove"), ("table surface", "table"), ("table top", "table"), ("anywhere", ""),
    ("somewhere on", "on"), ("in between", "in the middle"), ("leftmost", "left"),
    ("left-most", "left"), ("rightmost", "right"), ("right-most", "right"), ("smaller", "small"),
    ("smallest", "small"), ("bigger", "big"), ("biggest", "big"), ("larger", "large"), ("largest", "large"),
    ("that you are holding", "youhold"), ("you are holding", "youhold"), ("you are carrying", "youhold"),
    ("that you hold", "youhold"), ("you hold", "youhold"), ("in your hand", "youhold"),
    ("in your gripper", "youhold"), ("in the gripper", "youhold"), ("in hand", "youhold"),
    ("should not be", "should be not"), ("must not be", "must be not"), ("should not end up", "should end up not"),
    ("should no longer be", "should be not"), ("is no longer", "is not"),
    ("over to", "to"), ("over onto", "on"), ("over into", "in"), ("across to", "to"),
    ("over", "over"), ("top to bottom", "toptobottom"), ("bottom to top", "bottomtotop"),
    ("from the bottom up", "bottomtotop"), ("bottom up", "bottomtotop"),
    ("from the top down", "toptobottom"), ("top down", "toptobottom"),
    ("over on", "on"), ("over in", "in"), ("on each other", "oneachother"),
    ("on one another", "oneachother"), ("on top of each other", "oneachother"),
    ("with nothing on it", "isclear"), ("with nothing on top", "isclear"), ("with nothing on", "isclear"),
    ("without anything on it", "isclear"), ("without anything on top", "isclear"),
    ("without anything on", "isclear"), ("that does not have anything on it", "isclear"),
    ("that has nothing on it", "isclear"), ("that has nothing on", "isclear"),
    ("with nothing stacked on it", "isclear"), ("that nothing is on", "isclear"),
    ("that clear", "isclear"), ("that free", "isclear"), ("that uncovered", "isclear"),
    ("that empty", "isempty"), ("with nothing in it", "isempty"), ("that has nothing in it", "isempty"),
    ("right away", ""), ("straight away", ""), ("as soon as possible", ""), ("asap", ""),
    ("real quick", ""), ("when you can", ""), ("if possible", ""), ("hold on ,", ","),
    ("as well as", ", andalso"), ("thanks a lot", "thanks"), ("thanks so much", "thanks"),
    ("thank you very much", "thanks"), ("thank you so much", "thanks"), ("many thanks", "thanks"),
    ("thanks a bunch", "thanks"), ("much appreciated", "thanks"), ("wait a second ,", ","),
    ("wait a sec ,", ","), ("one second ,", ","),
    ("you have youhold", "youhold"), ("you have got youhold", "youhold"), ("you got youhold", "youhold"),
    ("that you have got", "youhold"), ("you have got", "youhold"), ("you have got there", "youhold"),
    ("as well", "too"),
    ("whatever is youhold", "what youhold"), ("what is youhold", "what youhold"),
    ("whatever youhold", "what youhold"), ("what you have", "what youhold"),
    (", if it is not too much trouble ,", " "), ("if it is not too much trouble", ""),
    ("if you do not mind", ""), ("when you get a chance", ""), ("the contents of", "everything in"),
    ("whatever is in", "everything in"),
    # polite asides and hedges (an elderly speaker's "when you have a moment", "if that is all right")
    ("pretty please", "please"), ("be a dear and", ""), ("i wonder whether you might", "could you"),
    ("i wonder if you might", "could you"), ("i wonder whether you could", "could you"),
    ("i wonder , could you", "could you"), ("when you have got a moment", ""), ("when you have a moment", ""),
    ("when you have a minute", ""), ("when you get a moment", ""), ("if that all right", ""),
    ("if that alright", ""), ("if it is no trouble", ""), ("ever so much", ""), ("thank you kindly", "thanks"),
    ("i am terribly sorry to bother you , but", ""), ("i am sorry to bother you , but", ""),
    ("sorry to bother you , but", ""), ("sorry to bother you", ""), ("mind you", ""), (", love ,", ","),
    (", i think ,", ","), (", i believe ,", ","), ("i think", ""), ("i believe", ""), ("i suppose", ""),
    ("possible , , to", "possible to"), ("possible , to", "possible to"),
    ("it does not matter which", ""), ("does not matter which", ""), ("one of those", "oneof"),
    ("one of these", "oneof"),
    # a learner's "please to put", "must to go", "make empty the bowl", "make it on the plate"
    ("please to", "please"), ("you can to", "can you"), ("can to", "can"), ("could to", "could"),
    ("must to", "must"), ("should to", "should"),
    ("is possible to", "is it possible to"), ("make empty", "empty"), ("make that", "make sure that"),
    ("make it on", "put it on"), ("make it in", "put it in"), ("where there is nothing on it", "isclear"),
    ("where is nothing on it", "isclear"), ("block of the bottom", "block at the bottom"),
    ("block what youhold", "block youhold"), ("one what youhold", "one youhold"),
    # a block by itself: on no other block and under none ("the red one that is not in the tower")
    ("that sitting on its own", "isalone"), ("sitting on its own", "isalone"), ("that on its own", "isalone"),
    ("on its own", "isalone"), ("that all by itself", "isalone"), ("all by itself", "isalone"),
    ("that by itself", "isalone"), ("by itself", "isalone"), ("that not in the tower", "isalone"),
    ("that not in the stack", "isalone"), ("that not in a tower", "isalone"), ("that not in a stack", "isalone"),
    ("that has not got anything on it", "isclear"), ("that has not got anything on", "isclear"),
    ("i should like", "i would like"), ("if you would not mind", ""), ("if you do not mind", ""),
    ("a couple of", "two of"), ("outof the stack", "off the stack"), ("outof the tower", "off the tower"),
    ("outof the pile", "off the pile"),
    # an engineer's "payload": what the gripper holds
    ("the payload", "what youhold"), ("payload", "what youhold"),
]

# Chat spellings and common slips, replaced token by token before parsing.
_SPELLINGS = {
    "pls": "please", "plz": "please", "plse": "please", "pleas": "please", "thx": "thanks",
    "ty": "thanks", "u": "you", "ur": "your", "r": "are", "teh": "the", "hte": "the", "th": "the",
    "da": "the", "thee": "the", "ot": "to", "nto": "into", "int": "into", "onot": "onto", "otno": "onto",
    "ontop": "on top", "n": "and", "nd": "and", "&": "and", "+": "and", "wanna": "want to",
    "gonna": "going to", "gimme": "give me", "dont": "do not", "cant": "can not",
    "thats": "that is", "whats": "what is", "theres": "there is", "youre": "you are", "isnt": "is not",
    "doesnt": "does not", "im": "i am", "ive": "i have", "id": "i would", "him": "it",
}
_CONTRACTIONS = [
    ("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'d", " would"), ("'ve", " have"),
    ("'m", " am"), ("let's", "let us"), ("it's", "it is"), ("that's", "that is"),
    ("what's", "what is"), ("where's", "where is"), ("there's", "there is"),
    ("whatever's", "whatever is"), ("everything's", "everything is"), ("here's", "here is"),
]
QUESTION_WORDS = frozenset("what where which who why how when is are does do did can could".split())

#: Hesitations carry no meaning anywhere in an utterance ("put the, um, blue block").
HESITATIONS = frozenset("um umm uh uhh uhm er erm err hmm hm mm mmm ah eh".split())
#: Discourse fillers: meaningless when set off by pauses (", like, put ...", "put, you know, the ...").
DISCOURSE_FILLERS = (("like",), ("you", "know"), ("basically",), ("literally",), ("kind", "of"),
                     ("sort", "of"), ("anyway",), ("anyways",), ("so",), ("well",), ("right",), ("see",))
#: After these a comma is only a pause, never a clause boundary ("put the, blue block").
PAUSE_BEFORE = frozenset("the a an this that these those my your of on in to under from off with some any".split())
#: Places the robot cannot put anything: named so that they are refused, never read as the table.
UNREACHABLE_PLACES = frozenset("""floor ground carpet rug shelf shelves chair ceiling wall window drawer
cupboard pocket sink fridge""".split())
#: Words a speech recogniser writes for a colour word that sounds the same ("put the read block").
COLOUR_HOMOPHONES = {"read": "red", "blew": "blue", "grean": "green", "whit": "white", "yelo": "yellow"}
#: ... and for a place word ("the trey"): read as the place only when the scene has one.
PLACE_HOMOPHONES = {"trey": "tray", "bole": "bowl", "bowel": "bowl", "plait": "plate", "bocks": "box",
                    "basquet": "basket"}
#: Words after which an adjective-like word is in a noun phrase ("the read block", "two blew ones").
_NP_BEFORE = frozenset("the a an this that these those both two too all every other each another my your".split())
#: Words that open a sentence of small talk ("Good morning, dear.", "Thank you ever so much.",
#: "My eyes aren't what they used to be."): such a sentence, with no action word and nothing in the scene
#: named, is passed over when another sentence asks for something.
SOCIAL_OPENERS = frozenset("good hello hi hey morning afternoon evening thanks thank cheers my oh ah "
                           "bless lovely wonderful".split())
#: Spoken names for numbers, for "block three" when the objects are b1, b2, b3.
NUMERALS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "eight": "8", "nine": "9", "ten": "10"}


class _Stop(Exception):
    """The parser's outcome when it is not a goal: refuse or ask."""

    def __init__(self, kind: str, message: str, question: str | None = None,
                 candidates: tuple[str, ...] = (), code: str = "not_understood"):
        super().__init__(message)
        self.kind = kind  # "refuse" | "clarify"
        self.message = message
        self.question = question
        self.candidates = candidates
        self.code = code


@dataclass
class Ref:
    """A noun phrase before resolution.

    Attributes:
        quant: ``def`` (the), ``indef`` (a), ``all``, ``both``, ``it``, ``them``, ``other``.
        colors/nouns/adjs/names: the words that restrict it.
        number: how many were asked for ("the two red blocks").
        plural: a plural noun was used.
        restrictor: ``(relation, Ref)`` from "the block on the table".
        table: the phrase names the table.
        text: the words as said, for messages.
    """

    quant: str = "def"
    colors: list = field(default_factory=list)
    nouns: list = field(default_factory=list)
    adjs: list = field(default_factory=list)
    names: list = field(default_factory=list)
    number: int | None = None
    plural: bool = False
    restrictor: tuple | None = None
    table: bool = False
    top: bool = False
    text: str = ""
    others: bool = False
    excluded: list = field(default_factory=list)
    clear: bool = False
    among: "Ref | None" = None          # "the larger of the two red blocks": chosen among these
    unreachable: str | None = None      # "the floor": a place named only to be refused
    tower: list | None = None           # "the bottom block of the (green) tower": colours in its stack
    match: str | None = None            # "the tray of its colour": chosen per object by that attribute
    whole: bool = False                 # "the (whole) tower": one stack, moved as it is


@dataclass
class Clause:
    """One thing the person wants, in order. ``kind``: place, hold, clear, table, tower, swap, empty."""

    kind: str
    themes: list = field(default_factory=list)  # list[Ref]
    relation: str | None = None                  # on | in | under | to | table
    target: Ref | None = None
    chain: list = field(default_factory=list)    # tower, bottom first: list[Ref]
    negated: bool = False
    retracted: bool = False                      # "don't put X in the bin, put it in the tray"
    companions: list = field(default_factory=list)  # "put X in the tray with Y": Y is there too
    stacked: list = field(default_factory=list)  # "put X in the tray with Y on top of it": Y on X
    source: Ref | None = None                    # "take X out of the tray": where X comes from
    keep_order: bool = False                     # "..., keeping the same order": the stack stays as it is
    marks: list = field(default_factory=list)    # size tower: "(the big blue one) at the bottom" to check


# ---------------------------------------------------------------- tokens

def normalize(text: str, names=()) -> list[str]:
    """Lower-case, fold contractions and multi-word expressions, split into tokens.

    ``names`` are the scene's object names: "cube 1" becomes ``cube1`` when that
    is an object, chat spellings ("pls", "teh") are expanded unless they name
    one, and a misspelt lexicon word ("blcok") is corrected when it is close to
    exactly one word the parser knows.
    """
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    for old, new in _CONTRACTIONS:
        text = text.replace(old, new)
    text = text.replace("can not", "cannot").replace("cannot", "can not")
    text = re.sub(r"\s*(->|=>|-->|\u2192)\s*", " to ", text)
    text = re.sub(r"[.;:!?]+", " , ", text)
    text = text.replace(",", " , ")
    text = re.sub(r"[\"'`()\[\]{}<>*#]", " ", text)
    text = re.sub(r"\b(left|right)[- ]hand(ed)?( side)?\b", r"\1", text)  # "the right-hand bin"
    text = re.sub(r"-(colou?red|ish)\b", r" \1", text)                    # "the yellow-coloured block"
    text = re.sub(r"\s+-\s+|\s+-|-\s+", " , ", text)
    text = " " + " ".join(_fix_tokens(text.split(), set(names))) + " "
    for old, new in _PHRASES:
        text = text.replace(f" {old} ", f" {new} " if new else " ")
    return _split_colour_runs([t for t in text.split() if t])


def _split_colour_runs(tokens: list[str]) -> list[str]:
    """``red blue green`` -> ``red , blue , green``: a block has one colour, so adjacent colour words
    are a list whose commas were not written (speech recognisers write none)."""
    out: list[str] = []
    for tok in tokens:
        if out and tok in COLOR_WORDS and out[-1] in COLOR_WORDS and tok != out[-1]:
            out.append(",")
        out.append(tok)
    return out


def _fix_tokens(tokens: list[str], names: set) -> list[str]:
    """Join split object names, expand chat spellings and correct near-miss lexicon words."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        spoken_number = len(tok) == 1 and nxt in NUMERALS
        if nxt is not None and tok not in names and (nxt.isdigit() or len(nxt) == 1 or spoken_number):
            num = NUMERALS.get(nxt, nxt) if len(tok) == 1 else nxt  # "b three" for b3
            joined = [j for j in (tok + num, tok + "_" + num, tok + "-" + num) if j in names]
            if joined:
                out.append(joined[0])
                i += 2
                continue
        if tok in names:
            out.append(tok)
        elif tok in _SPELLINGS:
            out.extend(_SPELLINGS[tok].split())
        else:
            out.append(_correct(tok))
        i += 1
    return out


def _known_words() -> frozenset:
    words = set(COLOR_WORDS | BLOCK_NOUNS | ANY_NOUNS | REGION_GENERIC | set(REGION_SYNONYMS) | PLURAL_NOUNS
                | TABLE_WORDS | ADJ_WORDS | set(NUMBER_WORDS) | PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS
                | REMOVE_VERBS | EMPTY_VERBS | FILL_VERBS | BUILD_VERBS | TOWER_NOUNS | RELEASE_VERBS
                | SWAP_VERBS | UNREACHABLE_PLACES | HARMFUL_VERBS | UNSUPPORTED_VERBS | set(VERB_FORMS)
                | FILLER_WORDS | SEPARATORS
                | QUESTION_WORDS)
    for phrase in POLITE_PREFIXES + STATE_PREFIXES + COPULAS + [p for pair in _PHRASES for p in pair]:
        words.update(phrase.split())
    words.update("""the a an of to on in off up down out back under over from with that this these those it
them they there here not no yes all every each both other others another some any one ones top bottom
middle left right its their my your me you we us our what is are be was were been being has have had
do does did will would should could can may might must need needs want wants like take put""".split())
    words.update("""size sizes order colour color colours colors matching match matches same whole entire
keeping keep reverse invert flip descending ascending increasing decreasing""".split())
    words.update(REVERSE_VERBS | DISPOSE_VERBS | SIZE_BIG | SIZE_SMALL)
    return frozenset(words)


#: Words a misspelling may be corrected to: verbs, nouns, colours (never object names).
_TARGETS = frozenset(w for w in (PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | EMPTY_VERBS
                                 | BUILD_VERBS | TOWER_NOUNS | RELEASE_VERBS | SWAP_VERBS | HARMFUL_VERBS | COLOR_WORDS
                                 | BLOCK_NOUNS | set(REGION_SYNONYMS) | TABLE_WORDS
                                 | {"please", "everything", "bottom", "middle"}) if len(w) >= 4)
_KNOWN = None


def _edit1(a: str, b: str) -> str | None:
    """The kind of single edit turning ``a`` into ``b`` (swap, drop, add, sub), or None."""
    if a == b:
        return None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "swap"
        return "sub" if len(diff) == 1 else None
    if abs(len(a) - len(b)) != 1:
        return None
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return "add" if len(a) < len(b) else "drop"
    return None


def _correct(tok: str) -> str:
    """``blcok`` -> ``block``: one slip from exactly one lexicon word; unknown words stay as they are.

    A slip is two letters swapped, a letter doubled or stray, or an inner letter
    left out. A changed letter is not a slip ("clock" is not "block", "cable"
    is not "table", "bake" is not "take"), nor is a missing first letter ("lock");
    words with digits or underscores (object names) are never touched.
    """
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _known_words()
    if len(tok) < 4 or tok in _KNOWN or not tok.isalpha():
        return tok
    hits = []
    for word in _TARGETS:
        kind = _edit1(tok, word)
        if kind in ("swap", "drop") or kind == "add" and tok != word[1:]:
            hits.append(word)
    return hits[0] if len(hits) == 1 else tok


CORRECTIONS = (("never", "mind"), ("nevermind",), ("forget", "it"), ("no", "wait", ","), ("no", "sorry", ","),
               ("no", ","), ("sorry",), ("i", "mean"), ("actually",), ("scratch", "that"), ("wait", ","),
               ("rather",), ("oops",), ("correction",), ("i", "meant"), ("i", "mean", "to", "say"),
               ("make", "that"))


def _drop_disfluencies(tokens: list[str]) -> list[str]:
    """Remove hesitations and pause-bounded fillers, and the pauses they leave inside a phrase.

    Speech puts "um" and ", like," anywhere, even inside a noun phrase ("put the, um, blue
    block"); they carry no meaning. What is left is a comma after a determiner, preposition or
    verb ("put the , blue block"), which is only a pause and never a clause boundary, so it goes too.
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in HESITATIONS:
            i += 1
            if (not out or out[-1] == ",") and i < len(tokens) and tokens[i] == ",":
                i += 1  # "uh , put" / "the , um , blue": one pause is enough
            continue
        width = _filler_width(tokens, i, out)
        if width:
            i += width + (1 if i + width < len(tokens) and tokens[i + width] == "," else 0)
            continue
        out.append(tokens[i])
        i += 1
    out = _drop_repeats(out)
    verbs = PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | EMPTY_VERBS | BUILD_VERBS
    kept = []
    for j, tok in enumerate(out):
        if tok == "," and kept and (kept[-1] in PAUSE_BEFORE or _lemma(kept[-1]) in verbs) and \
                j + 1 < len(out) and out[j + 1] not in SEPARATORS:
            continue
        kept.append(tok)
    return kept


def _drop_repeats(tokens: list[str]) -> list[str]:
    """Speech restarts: "the the brown cube", "on the on the cloth" -> said once.

    A run of one to three words said twice in a row is kept once when it begins with a function
    word (a determiner or preposition), where a repeat never carries meaning.
    """
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in (3, 2, 1):
            if tokens[i] in PAUSE_BEFORE and tokens[i:i + n] == tokens[i + n:i + 2 * n] and i + 2 * n <= len(tokens):
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _filler_width(tokens: list[str], i: int, out: list[str]) -> int:
    """How many tokens from ``i`` are a discourse filler ("like", "you know"), or 0.

    A filler is set off by pauses (a comma or the start of the utterance on the left, a comma
    on the right), or is "like" squeezed between a verb and its object ("put like the block").
    """
    for filler in DISCOURSE_FILLERS:
        n = len(filler)
        if tuple(tokens[i:i + n]) != filler:
            continue
        after = tokens[i + n] if i + n < len(tokens) else None
        if (not out or out[-1] in (",", "so", "okay", "ok", "well", "and", "but", "now")) and after == ",":
            return n
        if filler == ("like",) and out and _lemma(out[-1]) in PLACE_VERBS | HOLD_VERBS and \
                after in ("the", "a", "an", "this", "that", "these", "those"):
            return n
    return 0


def _retrace(before: list[str], repair: list[str], places=frozenset()) -> list[str] | None:
    """A repair that starts like part of what was said replaces that part (a speech "retrace").

    "put the gray one in the basket with the other purple, sorry, with the purple one": the repair
    begins with "with", so it replaces from the last "with". When the repair begins with a
    determiner, the phrase it replaces is the last one of the same sort (a place or a block):
    "put the red block in the tray, sorry, the bin" corrects the tray, not the red block.
    """
    if not repair or repair[0] not in PAUSE_BEFORE or repair[0] in ("that", "this"):
        return None
    starts = [j for j, t in enumerate(before) if t == repair[0] and j > 0]
    if not starts:
        return None
    same_sort = [j for j in starts if _is_place_phrase(before[j:], places) == _is_place_phrase(repair, places)]
    j = (same_sort or starts)[-1]
    if same_sort and not _is_place_phrase(repair, places) and len(repair) > 1 and not set(repair[1:]) & _LINKS:
        # "put the pink block (from the tin) on the plate, sorry, the navy block": only the block is
        # replaced; the destination (the last place phrase) stays
        end = max((k for k in range(j + 1, len(before)) if before[k] in ("on", "in", "under", "to")),
                  default=len(before))
        return before[:j] + repair + before[end:]
    return before[:j] + repair


#: Words that end a noun phrase and begin a place or another part of the clause.
_LINKS = frozenset(["on", "in", "under", "to", "from", "off", "outof", "with", ",", "and", "then"])


def _is_place_phrase(tokens: list[str], scene_places=frozenset()) -> bool:
    """Whether the phrase the tokens begin with names a place (a region or the table).

    ``scene_places`` adds the scene's own words for its regions ("the cloth" when a zone is a cloth).
    """
    places = set(REGION_SYNONYMS) | REGION_GENERIC | TABLE_WORDS | UNREACHABLE_PLACES | set(scene_places)
    for k, tok in enumerate(tokens):
        if k > 0 and tok in ("on", "in", "under", "to", "from", "off", "with", ",", "and", "then"):
            break
        if tok in places or set(re.split(r"[_\-]", tok)) & places:
            return True
    return False


def _after_correction(tokens: list[str], places=frozenset()) -> list[str]:
    """Keep what follows the last self-correction: "put red, no, blue in the tray" -> "blue in the tray".

    ``places`` are the scene's words for its regions, so that "..., sorry, the cloth" replaces a place.
    """
    cut = begin = 0
    for i in range(len(tokens)):
        for marker in CORRECTIONS:
            if tuple(tokens[i:i + len(marker)]) == marker and (i == 0 or tokens[i - 1] in (
                    ",", "oh", "sorry", "no", "wait", "oops")):
                if i + len(marker) > cut:
                    cut, begin = i + len(marker), i
    if cut and cut < len(tokens):
        rest = tokens[cut:]
        while rest and (rest[0] in FILLER_WORDS or rest[0] in (",", "no", "wait", "sorry", "actually", "rather")):
            rest = rest[1:]
        # "put red on the plate, no wait, on the green block": a new destination replaces the old one
        before = tokens[:begin]
        while before and before[-1] == ",":
            before = before[:-1]
        retraced = _retrace(before, rest, places)
        if retraced is not None:
            return retraced
        dest = [j for j, t in enumerate(before) if t in ("on", "in", "under", "to")]
        if rest and rest[0] in ("on", "in", "under", "to") and dest and dest[-1] > 1:
            return before[:dest[-1]] + rest
        # "put red, no, blue in the tray": a bare phrase after the correction keeps the verb
        if rest and _lemma(rest[0]) not in PLACE_VERBS | HOLD_VERBS | CLEAR_VERBS | REMOVE_VERBS | \
                BUILD_VERBS | EMPTY_VERBS | RELEASE_VERBS and tokens[0] not in (",",) and \
                rest[0] not in ("just", "please", "i", "make", "the", "let"):
            return tokens[:1] + rest
        return rest
    return tokens


TAG_QUESTIONS = (("and", "that", "it"), ("and", "that", "all"), ("that", "it"), ("that", "all"),
                 ("would", "you"), ("could", "you"), ("can", "you"), ("will", "you"), ("ok",), ("okay",),
                 ("please",), ("thanks",), ("thank", "you"), ("right",), ("alright",), ("yes",))


def _strip_tags(tokens: list[str]) -> list[str]:
    """Drop trailing tag questions and courtesies: "..., would you?" "..., thanks"."""
    changed = True
    while changed and tokens:
        changed = False
        while tokens and tokens[-1] == ",":
            tokens = tokens[:-1]
            changed = True
        for tag in TAG_QUESTIONS:
            n = len(tag)
            if len(tokens) > n and tuple(tokens[-n:]) == tag and tokens[-n - 1] == ",":
                tokens = tokens[:-n - 1]
                changed = True
            elif len(tokens) > n + 2 and tuple(tokens[-n:]) == tag and tag[0] in ("and", "ok", "okay", "please",
                                                                                  "thanks"):
                tokens = tokens[:-n]  # "... in the bin and that's it", "... in the bin ok"
                changed = True
    return tokens


def _lemma(word: str) -> str:
    return VERB_FORMS.get(word, word)


#: Passive participles and the verbs they are read back to: "could the tower be turned upside down".
PARTICIPLES = {
    "put": "put", "placed": "place", "moved": "move", "set": "set", "taken": "take", "stacked": "stack",
    "dropped": "drop", "turned": "turn", "flipped": "flip", "lifted": "lift", "picked": "pick", "removed": "remove",
    "cleared": "clear", "emptied": "empty", "carried": "carry", "brought": "bring", "transferred": "transfer",
    "shifted": "shift", "reversed": "reverse", "inverted": "invert", "swapped": "swap", "grabbed": "grab",
    "unstacked": "unstack", "laid": "lay", "raised": "raise", "released": "release", "relocated": "relocate",
    "returned": "return", "inserted": "insert", "positioned": "position", "rebuilt": "rebuild",
}
_PASSIVE_AUX = frozenset("be is are to has have needs need should must can could will would get gets ought".split())
_SUBJECT_STOP = frozenset("""sure that want like need wish can could would will should must if so i you we please
make ensure""".split()) | SEPARATORS


def _active_voice(tokens: list[str]) -> list[str]:
    """``the green block is to be taken off the red one and put in the bowl`` -> ``take the green block off
    the red one and put it in the bowl``: a passive read as the command it describes.

    The subject is the words before the auxiliaries back to a clause boundary or a modal ("can the
    wooden cube be placed on ..."); a second participle joined by "and" gets "it" for its object.
    """
    for k in range(2, len(tokens)):
        if tokens[k] in PARTICIPLES and tokens[k - 1] in ("be", "is", "are", "get", "gets"):
            break
    else:
        return tokens
    aux = k - 1
    while aux > 0 and tokens[aux - 1] in _PASSIVE_AUX:
        aux -= 1
    begin = aux
    while begin > 0 and tokens[begin - 1] not in _SUBJECT_STOP and _lemma(tokens[begin - 1]) not in ALL_VERBS:
        begin -= 1
    if begin == aux:
        return tokens
    head = tokens[:begin]
    while head and head[-1] in _SUBJECT_STOP - SEPARATORS:
        head = head[:-1]
    rest = tokens[k + 1:]
    for j in range(len(rest) - 1):
        if rest[j] in ("and", "andthen", "then") and rest[j + 1] in PARTICIPLES and \
                j + 2 < len(rest) and rest[j + 2] in ("in", "on", "to", "under", "down", "back"):
            rest = rest[:j + 1] + [PARTICIPLES[rest[j + 1]], "it"] + rest[j + 2:]
    return head + [PARTICIPLES[tokens[k]]] + tokens[begin:aux] + rest


def _split_verbless(tokens: list[str]) -> list[str]:
    """``lime in bin brick in bowl`` -> ``lime in bin , brick in bowl``: verbless goals listed without commas.

    With no verb at all, a second "X in/on Y" after a first one starts a new goal; its subject is
    the word before the preposition with the colours, sizes and determiner said before it.
    """
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS for t in tokens):
        return tokens
    preps = [i for i, t in enumerate(tokens) if t in ("in", "on", "to")]
    out = list(tokens)
    for first, second in reversed(list(zip(preps, preps[1:]))):
        if set(tokens[first + 1:second]) & {",", "and", "then", "andthen"} or second - first < 3:
            continue
        k = second - 1
        while k - 1 > first + 1 and tokens[k - 1] in COLOR_WORDS | ADJ_WORDS | {"the", "a", "an"}:
            k -= 1
        out = out[:k] + [","] + out[k:]
    return out


def _verbless_pair(tokens: list[str]) -> list[str]:
    """``dark block, right bin``, ``white block green bowl`` -> ``... in ...``: a thing and then a place.

    Only with no verb and no preposition at all, and when the thing has a noun (block, cube, one);
    it ends at that noun or at a comma.
    """
    if any(_lemma(t) in ALL_VERBS | PLACE_VERBS or t in _LINKS - {","} for t in tokens):
        return tokens
    if "," in tokens:
        cut = tokens.index(",")
        left, right = tokens[:cut], tokens[cut + 1:]
    else:
        cut = next((i for i, t in enumerate(tokens) if t in BLOCK_NOUNS | {"one"}), None)
        if cut is None:
            return tokens
        left, right = tokens[:cut + 1], tokens[cut + 1:]
    while right and right[-1] in FILLER_WORDS - ADJ_WORDS:  # "..., green bowl please"
        right = right[:-1]
    if not set(left) & (BLOCK_NOUNS | ANY_NOUNS) or not right or "," in right or all(t in COLOR_WORDS for t in right):
        return tokens  # "red green" names no thing and no place
    return left + ["in"] + ([] if right[0] in ("the", "a", "an", "my", "your") else ["the"]) + right


def _drop_apposition(tokens: list[str]) -> list[str]:
    """``put the blue block, the one at the very top, into the bin``: an aside that renames the thing just
    said, set off by commas and opening with "the", is passed over (the name before it already says which).
    """
    out = list(tokens)
    for i in range(len(tokens) - 2, 0, -1):
        if out[i] != "," or i + 1 >= len(out) or out[i + 1] != "the" or out[i - 1] not in BLOCK_NOUNS | {"one"}:
            continue
        end = next((j for j in range(i + 2, len(out)) if out[j] == ","), None)
        if end is None or end - i > 10 or not set(out[i + 2:end]) & (BLOCK_NOUNS | {"one"}) or any(
                _lemma(t) in ALL_VERBS | PLACE_VERBS for t in out[i + 2:end]):
            continue
        out = out[:i] + out[end + 1:]
    return out


#: Other readings tried, in order, when an instruction is not understood as said.
REREADINGS = (_active_voice, _split_verbless, _verbless_pair, _drop_apposition)


_DETERMINERS = frozenset("the a an this that your my".split())
#: After "X's", words that make the "'s" an "is": "the blue block's going in the bin".
_IS_AFTER = frozenset("in on to not been already supposed got gone a an the there here empty clear free".split())


def _possessives(tokens: list[str], scene: Scene) -> list[str]:
    """``the tin's block`` -> ``the block in the tin``; ``the tower's top block`` -> ``the top block of the tower``.

    Normalising leaves "'s" as a token ``s``. After a region it means what is in it, after a tower
    what belongs to it, after a block what is on it; before a verb in -ing or a place it is "is".
    """
    regions = {n for n, o in scene.objects.items() if o.type == "region"} | set(REGION_SYNONYMS) | REGION_GENERIC
    regions |= {o.kind for o in scene.objects.values() if o.type == "region" and o.kind}
    out = list(tokens)
    i = 1
    while i < len(out) - 1:
        if out[i] != "s" or out[i - 1] in (",", "s"):
            i += 1
            continue
        nxt = out[i + 1]
        if nxt.endswith("ing") or nxt in _IS_AFTER:
            out[i] = "is"
            i += 1
            continue
        start = i - 1
        while start > 0 and out[start - 1] in COLOR_WORDS | ADJ_WORDS | _DETERMINERS:
            start -= 1
        end = i + 1
        while end < len(out) and out[end] not in _LINKS | SEPARATORS | {"is", "are", "should", "goes", "go"} \
                and _lemma(out[end]) not in ALL_VERBS:
            end += 1
        if end == i + 1:
            i += 1
            continue
        owner = out[start:i]
        relation = "of" if owner[-1] in TOWER_NOUNS else "in" if owner[-1] in regions else "on"
        owned = ["everything"] if out[i + 1:end] == ["contents"] else ["the"] + out[i + 1:end]
        out = out[:start] + owned + [relation] + owner + out[end:]
        i = start + 1
    return out


# ---------------------------------------------------------------- parser


class _Parser:
    """Recursive descent over tokens; each ``_p_*`` returns a value and moves ``pos`` or returns None."""

    def __init__(self, tokens: list[str], vocab: "_Vocabulary"):
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
                "instead", "too", "again")) or (self.peek() or "").endswith("ly") and \
                self.peek() not in self.vocab.words and self.peek() not in ("only", "early"):
            self.pos += 1
        if self.accept_seq("thank you"):
            self.skip_fillers()

    # -- instruction
    def parse(self) -> list[Clause]:
        clauses: list[Clause] = []
        while True:
            while self.peek() in SEPARATORS or self.peek() in FILLER_WORDS:
                self.pos += 1
            self._skip_prefixes()
            if self.at_end():
                break
            if self._p_leave():
                continue
            condition = self._p_condition()
            if condition is not None:
                clauses.extend(condition)
                continue
            start = self.pos
            also = self.pos > 0 and self.toks[self.pos - 1] == "andalso"
            clause = self._p_topic_first() or self._p_clause()
            if clause is None:
                self.pos = start
                clause = self._p_topic()
            if clause is None:
                self.pos = start
                clause = self._p_also(clauses, also)
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
        elif self.accept("leave"):
            leave = True
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
                overlap = named & set(resolver.candidates(slot))
            except _Stop:
                continue
            if overlap:
                slot.excluded = slot.excluded + [ref]
                return

    LEAVE_ENDINGS = (("where", "they", "are"), ("where", "it", "is"), ("as", "they", "are"), ("as", "it", "is"),
                     ("alone",), ("untouched",), ("in", "place"), ("be",), ("where", "they", "were"),
                     ("where", "it", "was"))

    def _p_leave(self) -> bool:
        """``leave the rest where they are``: says what not to change, which the goal already leaves free."""
        if self.peek() != "leave":
            return False
        end = self.pos + 1
        while end < len(self.toks) and self.toks[end] not in SEPARATORS:
            end += 1
        words = tuple(self.toks[self.pos + 1:end])
        if len(words) >= 2 and any(words[-len(e):] == e for e in self.LEAVE_ENDINGS):
            self.pos = end
            return True
        return False

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
        colours = []
        while self.peek() in COLOR_WORDS:
            colours.append("gray" if self.toks[self.pos] == "grey" else self.toks[self.pos])
            self.pos += 1
        if self.accept(*TOWER_NOUNS) is None:
            self.pos = save
            return None
        mark = self.pos
        if self.accept("of", "with") and not self.accept("blocks", "cubes"):
            self.pos = mark
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
                  text=" ".join(self.toks[save:self.pos]))
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
        whole = self.accept("whole", "entire", "complete")
        colours = []
        while self.peek() in COLOR_WORDS:
            colours.append("gray" if self.toks[self.pos] == "grey" else self.toks[self.pos])
            self.pos += 1
        if self.accept(*TOWER_NOUNS) is None:
            self.pos = save
            return None
        if self.accept("of") and not self.accept("blocks", "cubes"):
            self.pos -= 1
        del whole
        return [Ref(quant="all", nouns=["block"], colors=colours, adjs=["instack"], plural=True, whole=True,
                    text=" ".join(self.toks[save:self.pos]))]

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

    def _after_themes(self, verb: str, themes: list, default_table: bool = False):
        self.skip_fillers()
        if self.accept("back"):
            pass
        down = bool(self.accept("down"))
        if self.peek() == "out" and self.peek(1) in ("on", "in", "across"):
            self.pos += 1  # "lay the blocks out on the table"
        self.skip_fillers()
        if verb in ("stack", "pile") and self.peek() in ("with", ",", "so", "having") and \
                (themes[0].plural or themes[0].quant in ("all", "both") or len(themes) > 1):
            save = self.pos
            self.pos += 1
            self.accept("that")
            order = self._tower_order_prefix()
            items = self._p_tower_list()
            if items and not order and any(self._size_mark(r, p) for r, p in items):
                return self._merge_positions(themes, items)  # "stack them with the biggest at the bottom"
            if items and (order or any(p for _, p in items)):
                return self._tower_from_positions(items, order or self._tower_order_suffix())
            self.pos = save
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

    @staticmethod
    def _one_anaphora(themes: list, target: Ref | None) -> None:
        """``put the small red block on the big one``: "one" stands for the noun (and colour) just said."""
        if target is None or not themes or target.colors or target.names or target.quant not in ("def", "indef") \
                or any(n not in ("one",) for n in target.nouns) or not target.nouns \
                or not set(target.adjs) & (SIZE_BIG | SIZE_SMALL):
            return
        antecedent = themes[-1]
        if antecedent.quant not in ("def", "indef") or antecedent.names:
            return
        target.colors = list(antecedent.colors)
        target.nouns = [n for n in antecedent.nouns if n not in ANY_NOUNS] or target.nouns

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
            if self.accept_seq(phrase) and self.at_boundary():
                return True
            self.pos = save
            self.accept(",")
        self.pos = save
        return False

    def _p_destination(self):
        """``on the blue block [on the green one]``, ``in the tray``, ``under X``, ``on the table``."""
        self.source = None
        if self.peek() == "there" and self.peek(1) in ("instead", "too", "as", "again"):
            self.pos += 1
            return "to", Ref(quant="there", text="there"), []  # "put the grey one there instead"
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
                                 text="the top of the stack"), []
            self.pos = save
            self.accept("the")  # "to the" handled by np parser too
            if self.toks[self.pos - 1] == "the":
                self.pos -= 1
        elif self.accept("off", "outof", "from", "out", "away"):
            # "take X off (Y)" -> on the table
            if not self.at_boundary() and not self._p_tower_word():
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
                             text="the top of the stack"), []
        self.in_destination = True
        try:
            target = self._p_np(allow_table=True)
        finally:
            self.in_destination = False
        if target is None:
            raise _Backtrack()
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

    FORMER_PLACE = ("in its place", "in their place", "in its spot", "where it was", "where they were",
                    "where that was", "in place of it", "where it used to be", "where it was before",
                    "in its old place", "in the same place", "in the same spot", "where it had been")

    def _boundary_after(self, k: int) -> bool:
        tok = self.peek(k)
        return tok is None or tok in SEPARATORS

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
            first = self.accept("apart")
            if self._p_tower_word(boundary=False) and (first or self.accept("apart")) and self.at_boundary():
                return self._whole_stack()
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
        """Every block of the stack(s) on the table: "unstack the tower", "take the pile apart"."""
        ref = Ref(quant="all", nouns=["block"], colors=list(self.tower_colors), adjs=["instack"], plural=True,
                  text="the blocks of the stack")
        return Clause("place", [ref], "table", Ref(table=True, text="the table"))

    def _p_remove_rest(self, verb: str):
        if verb in ("unstack", "unpile", "dismantle", "disassemble", "remove") and self._p_tower_word():
            return self._whole_stack()
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
            if not self.at_boundary() and not self._p_tower_word():
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
        self.tower_colors = []
        self.accept("the", "that", "this", "its", "their")
        if self.accept("top"):
            if not self.accept("of") and self.at_boundary():
                return True
            self.accept("the", "that", "this")
        while self.peek() in COLOR_WORDS:
            self.tower_colors.append(self.toks[self.pos])
            self.pos += 1
        if self.accept(*TOWER_NOUNS) and (self.at_boundary() or not boundary):
            return True
        self.pos = save
        self.tower_colors = []
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
        if self.accept("in", "to", "on"):
            # "empty the left tray into the right tray": what is in it goes there
            target = self._p_np(allow_table=True)
            if target is None:
                return None
            contents = Ref(quant="all", nouns=["block"], plural=True, restrictor=("in", ref),
                           text=f"everything in {ref.text}")
            if target.table:
                return Clause("place", [contents], "table", target)
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

    def _p_release(self) -> Clause | None:
        if self._verb(RELEASE_VERBS) is None and not self.accept_seq("put it down") \
                and not self.accept_seq("set it down"):
            return None
        if self.toks[self.pos - 1] == "down":
            return Clause("place", [Ref(quant="it", text="it")], "table", Ref(table=True, text="the table"))
        ref = self._p_np() or Ref(quant="held", text="what you hold")
        relation, target, _ = self._p_destination()
        if relation in ("on", "in", "to", "under"):
            return Clause("place", [ref], relation, target)
        return Clause("place", [ref], "table", Ref(table=True, text="the table"))

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

    # -- state descriptions: "the red block (should be) on the blue one"
    def _p_state(self) -> list | None:
        for phrase in STATE_PREFIXES:
            save = self.pos
            if self.accept_seq(phrase):
                self.accept("that", "to", "it", "so")
                out = self._p_state_body()
                if out is not None:
                    return out
                self.pos = save
        return self._p_state_body()

    def _p_state_body(self) -> list | None:
        save = self.pos
        self.accept("there")  # "(make sure) there is nothing on the green block"
        if not (self.accept("is", "are", "be") or self.accept_seq("should be") or self.accept_seq("must be")
                or self.accept_seq("will be")) or self.peek() not in ("nothing", "no"):
            self.pos = save
        if self.accept("isclear"):
            ref = self._p_np()  # "ensure that nothing is on the red block" (folded like "the block that nothing is on")
            return [self._clear_of(ref)] if ref is not None else None
        if self.accept("nothing", "no"):
            self.accept("block", "blocks", "one", "ones", "thing", "things", "objects", "else")
            self._p_copula()
            self.accept("stacked", "sitting", "resting", "lying", "left", "placed", "put")
            self.accept("on", "in")
            ref = self._p_np()
            if ref is None:
                return None
            return [self._clear_of(ref)]
        themes = self._p_np_list()
        if themes is None:
            return None
        self.accept("should", "must", "will")
        if self.accept("need", "needs"):
            self.accept("to")
        if _lemma(self.peek() or "") in SWAP_VERBS and (len(themes) > 1 or themes[0].plural) and \
                self.peek(1) in self.PLACE_NOUNS:
            self.pos += 1  # "the red and blue blocks should swap places"
            swap = self._swap_ending(themes)
            return [swap] if swap else None
        if self._p_nothing_on():
            return [self._clear_of(t) if not self.vocab.is_region_ref(t) else Clause("empty", [t]) for t in themes]
        if self.accept("contain", "contains", "hold", "holds", "have", "has", "get", "gets", "receive"):
            contents = self._p_np_list()
            if contents is None or len(themes) != 1:
                return None
            if self.peek() in ("on", "in") and self.peek(1) in ("it", "top"):
                self.pos += 2  # "the plate should have the orange block on it"
            if self.vocab.is_region_ref(themes[0]):
                return [Clause("place", contents, "in", themes[0])]
            if self.toks[self.pos - 2:self.pos] in (["on", "it"], ["on", "top"]):
                return [Clause("place", contents, "on", themes[0])]
            return None
        self._p_copula()
        if self.peek() in ("stacked", "arranged", "piled", "ordered") and self.peek(1) not in (
                "on", "in", "under", "onto", "into") and self.accept("stacked", "arranged", "piled", "ordered"):
            self.accept("up")
            self.accept("as", "like", ",", "in")
            chain = self._p_chain()
            if chain is not None:
                return chain
            order = self._tower_order_prefix()
            items = self._p_tower_list()
            if items and len(items) > 1:
                return self._tower_from_positions(items, order or self._tower_order_suffix())
            return None
        negated = bool(self.accept("not", "never"))
        self.accept("put", "placed", "stacked", "moved", "sitting", "resting", "lying", "located",
                    "standing", "set", "kept")
        if self.accept("clear", "free", "uncovered", "empty", "exposed", "unobstructed"):
            if negated:
                raise _Stop("refuse", "I cannot make something not clear without a place for it",
                            code="unsupported")
            return [self._clear_of(t) if not self.vocab.is_region_ref(t) else Clause("empty", [t])
                    for t in themes]
        if self.accept("held", "picked", "grabbed", "lifted", "in"):
            if self.toks[self.pos - 1] != "in" or self.peek() in ("hand", "gripper", "my", "your", "the") \
                    and self.peek(1) in ("hand", "gripper", "claw"):
                self.accept("up", "my", "your", "the")
                self.accept("hand", "gripper", "claw")
                return [Clause("hold", themes)]
            self.pos -= 1
        before = self.pos
        relation, target, chain = self._p_destination()
        if relation == "off" and self.pos - before > 1 and not negated and self.at_boundary():
            # "I need z out of the red bowl", "the black block should be off the stack"
            return [Clause("place", themes, "table", Ref(table=True, text="the table"))]
        if relation is None or relation == "off":
            return None
        clauses = [Clause("place", themes, relation, target, negated=negated)]
        for rel, tgt in chain:
            clauses.append(Clause("place", [clauses[-1].target], rel, tgt))
        return clauses

    def _p_nothing_on(self) -> bool:
        """``has nothing on it``, ``should have no blocks on top``, ``does not have anything on it``.

        The negated existential is another way to say "clear" (or "empty" for a region).
        """
        save = self.pos
        self.accept("does", "do")
        negated = bool(self.accept("not"))
        if not self.accept("have", "has"):
            self.pos = save
            return False
        self.accept("got")
        word = self.accept("nothing", "no", "anything", "any")
        if word is None or (word in ("anything", "any")) != negated:
            self.pos = save
            return False
        self.accept("block", "blocks", "one", "ones", "thing", "things", "objects", "else")
        self.accept("stacked", "sitting", "resting", "lying", "left", "placed", "put")
        if not self.accept("on", "in"):
            self.pos = save
            return False
        if self.accept("top"):
            self.accept("of")
        self.accept("it", "them", "itself")
        if not self.at_boundary():
            self.pos = save
            return False
        return True

    def _p_copula(self) -> None:
        self.accept("all", "both", "each")
        for phrase in COPULAS:
            if self.accept_seq(phrase):
                self.accept("placed", "put", "put", "sitting", "resting", "lying", "stacked", "located")
                return

    # -- noun phrases
    def _p_np_list(self, seps=(",", "and")) -> list | None:
        if self.peek() in ("both", "either") and "and" in self.toks[self.pos + 2:self.pos + 7]:
            self.pos += 1
        first = self._p_np()
        if first is None:
            return None
        refs = [first]
        while self.peek() in seps:
            save = self.pos
            self.pos += 1
            self.accept("and", "then")
            if _lemma(self.peek() or "") in ALL_VERBS:
                self.pos = save
                break
            nxt = self._p_np()
            if nxt is None or (self.peek() in ("is", "are", "should") and False):
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
                "out", "away", "again", "aside", "youhold", "into", "inside", "atop", "below", "beside",
                "sits", "sit", "rests", "ends", "lands", "stays", "will", "can", "must", "needs", "has", "instead",
                "all")) \
                and self.peek(1) != "one":
            self.pos += 1
            if tok == "it" and self.accept("all"):  # "put it all in the bin": everything just named
                return Ref(quant="them", plural=True, text="it all")
            return Ref(quant="it", text="it")
        if tok in ("them", "those", "these", "they") and (self._boundary_after(1) or self.peek(1) not in
                                                          self.vocab.noun_words):
            self.pos += 1
            self.accept("all", "both")
            return Ref(quant="them", plural=True, text="them")
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
            out = self._p_remainder(start, remainder != "other")
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
        return ref

    def _p_np_core(self, ref: Ref, start: int, allow_table: bool = False) -> Ref | None:
        if ref.quant == "def" and self.peek() in NUMBER_WORDS:
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
                self.accept("named", "number", "no")
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
        side = self.toks[self.pos:self.pos + 3]
        if len(side) == 3 and side[0] in ("on", "at", "to") and side[1] == "the" and side[2] in (
                "left", "right", "middle", "center", "centre") and (ref.nouns or ref.colors) and \
                (self.peek(3) is None or self.peek(3) in SEPARATORS or self.peek(3) in (
                    "on", "in", "to", "under", "off", "outof", "from", "is", "should")):
            ref.adjs.append(side[2])
            self.pos += 3
        if self.accept("isclear"):
            ref.clear = True
        if self.accept("isempty"):
            ref.adjs.append("isempty")
        if self.accept("isalone"):
            ref.adjs.append("alone")
        ref.text = " ".join(self.toks[start:self.pos])
        self._p_restrictor(ref)
        if not ref.clear and self.accept("isclear"):
            ref.clear = True
            ref.text += " with nothing on it"
        return ref

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
        hits = [n for n, o in self.vocab.scene.objects.items() if re.fullmatch(rf"[a-z_\-]*?[_\-]?0*{digits}", n)
                and (noun is None or _matches(o, Ref(nouns=[noun]), self.vocab))]
        if len(hits) != 1:
            return False
        ref.names.append(hits[0])
        self.pos += 1
        return True

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
        if self.toks[save] != "oneof" and self._p_tower_word(boundary=False) and \
                self.toks[self.pos - 1] in TOWER_NOUNS:
            ref.tower = list(self.tower_colors)
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
            ref.tower = list(self.tower_colors)
        adj = {"top": "stacktop", "bottom": "stackbottom", "base": "stackbottom"}.get(word, "stackmiddle")
        ref.adjs += [adj, "instack"]
        return True

    def _p_colour_clause(self, ref: Ref) -> None:
        """The colour said after the noun: ``whose colour is yellow``, ``coloured grey``, ``that is red``.

        Also ``of (the) colour yellow``, ``with a yellow colour`` and ``in yellow`` (the last only
        before a destination, so "put the block in red" is never read as a colour).
        """
        save = self.pos
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
        if explicit and self.peek() == "on" and self.peek(1) == "top" and self.peek(2) != "of":
            self.pos += 2  # "the red block that is on top": the top of its stack
            ref.adjs.append("stacktop")
            ref.text = ref.text + " " + " ".join(self.toks[save:self.pos])
            return
        if self._stack_position_restrictor(ref, explicit, save):
            return
        if self._tower_restrictor(ref, explicit, save):
            return
        rel = self.accept("on", "in", "under", "from", "outof", "off")
        if rel is None:
            self.pos = save
            return
        inner = self._p_np(allow_table=True) if rel else None
        if inner is None:
            self.pos = save
            return
        if rel == "on" and self.peek() == "on" and not explicit and not self._disambiguates(ref, ("on", inner)):
            self.pos = save
            return
        follows = self.peek() in ("on", "in", "under", "to", "outof", "off", "from", "down", "onto",
                                  "into", "back", "over", "is", "are", "should", "goes", "nextto", "all",
                                  "both", "go", "must", "needs", "has", "will", "out")
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
            self.tower_colors = []
            return False
        ref.adjs = ref.adjs + ["instack"]
        if self.tower_colors:
            ref.tower = list(self.tower_colors)
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


def _NEGATION_STOP() -> _Stop:
    return _Stop("refuse", "I can only act on things to do, not on things not to do; "
                 "tell me where things should end up", code="unsupported")


class _Backtrack(Exception):
    pass


def _singular(word: str) -> str:
    if word in ("boxes", "dishes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _list_text(refs) -> str:
    texts = [r.text or "it" for r in refs]
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


# ---------------------------------------------------------------- resolution


class _Vocabulary:
    """The scene's words: colours, kinds, name parts, and which objects each names."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.colors = {o.color for o in scene.objects.values() if o.color}
        self.kinds = {o.kind for o in scene.objects.values() if o.kind}
        self.names = set(scene.objects)
        self.name_parts = set()
        for name in scene.objects:
            self.name_parts.update(p for p in re.split(r"[_\-]", name) if p)
        self.noun_words = set(BLOCK_NOUNS) | set(ANY_NOUNS) | set(REGION_SYNONYMS) | set(REGION_GENERIC)
        self.noun_words |= {k for k in self.kinds} | {k + "s" for k in self.kinds}
        self.words = self.colors | self.kinds | self.name_parts | self.names | self.noun_words

    def is_name(self, token: str) -> bool:
        return token in self.names

    def is_region_ref(self, ref: Ref) -> bool:
        return bool(ref.nouns) and all(self._noun_is_region(n) for n in ref.nouns) or \
            bool(ref.names) and all(self.scene.objects[n].type == "region" for n in ref.names)

    def _noun_is_region(self, noun: str) -> bool:
        return noun in REGION_SYNONYMS or noun in REGION_GENERIC or noun in self.kinds and \
            any(o.kind == noun and o.type == "region" for o in self.scene.objects.values())


def _parts(obj: SceneObject) -> set:
    return {p for p in re.split(r"[_\-]", obj.name) if p}


def _matches(obj: SceneObject, ref: Ref, vocab: _Vocabulary) -> bool:
    parts = _parts(obj)
    for name in ref.names:
        if obj.name != name:
            return False
    for color in ref.colors:
        if obj.color != color and color not in parts and not (color == "gray" and obj.color == "grey"):
            return False
    for noun in ref.nouns:
        if noun in ANY_NOUNS or noun in ("one",):
            continue
        if noun in ("block", "cube", "brick", "piece"):
            if obj.type != "block" and noun not in parts:
                return False
            if noun in vocab.kinds and obj.kind != noun and noun not in parts:
                return False  # "the cube" when some blocks are cubes and others are not
            continue
        if (noun in REGION_GENERIC or noun == "container") and noun not in vocab.kinds:
            if obj.type != "region":
                return False
            continue
        wanted = REGION_SYNONYMS.get(noun, {noun}) | {noun} | {
            kind for kind, syn in REGION_SYNONYMS.items() if noun in syn and kind not in PLURAL_NOUNS}
        if not (obj.kind in wanted or parts & wanted or obj.type == noun):
            return False
    for adj in ref.adjs:
        if adj in ("big", "large", "huge", "biggest", "largest", "small", "little", "tiny", "smallest",
                   "first", "second", "third", "top", "bottom", "upper", "lower", "stacktop", "stackbottom",
                   "stackmiddle", "instack", "isempty", "alone"):
            continue  # handled as a selection over candidates
        if adj not in parts and obj.attributes.get("side") != adj and obj.attributes.get("label") != adj:
            return False
    return True


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
        if "stackbottom" in ref.adjs:
            names = [n for n in names if self._covered(n) and any(
                f.predicate == "on-table" and f.args == (n,) for f in self.scene.facts)]
        if "stackmiddle" in ref.adjs:
            names = [n for n in names if self._covered(n) and self._stacked(n)]
        if ref.tower:
            names = [n for n in names if any(self.scene.objects[m].color in ref.tower or
                                             self.scene.objects[m].color == "grey" and "gray" in ref.tower
                                             for m in self._stack_of(n))]
        if ref.clear:
            names = [n for n in names if self.scene.objects[n].type == "block" and not any(
                f.predicate in ("on", "holding") and f.args[-1] == n for f in self.scene.facts)]
        if ref.others:
            names = [n for n in names if n not in self.mentioned and n not in self.current_supports]
        for other in ref.excluded:
            drop = set(self.resolve(other, role="restrictor", many=True))
            names = [n for n in names if n not in drop]
        if ref.among is not None:
            group = self.resolve(ref.among, role="restrictor", many=True)
            within = [n for n in names if n in group]
            names = within if within or not ref.others else names  # "the other": of that kind if any is left
        if any(a in ("big", "large", "huge", "biggest", "largest") for a in ref.adjs):
            names = _extreme(self.scene, names, max)
        if any(a in ("small", "little", "tiny", "smallest") for a in ref.adjs):
            names = _extreme(self.scene, names, min)
        return names

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
            return list(self.last_plural or self.last)
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


def _extreme(scene: Scene, names: list[str], pick) -> list[str]:
    sizes = {n: scene.objects[n].size for n in names if scene.objects[n].size is not None}
    if len(set(sizes.values())) < 2:
        return names
    best = pick(sizes.values())
    return [n for n in names if sizes.get(n) == best]


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


# ---------------------------------------------------------------- semantics


@dataclass
class ParseOutcome:
    """What the rule parser made of an instruction, before the guardrail."""

    status: str                        # ok | refused | clarify
    goal_pddl: str | None = None
    reason: str | None = None
    question: str | None = None
    candidates: tuple = ()
    code: str | None = None


def _lit(pred: str, *args: str) -> str:
    return "(" + " ".join((pred, *args)) + ")"


class _GoalBuilder:
    """Accumulates the final state clause by clause; a later clause overrides an earlier one."""

    def __init__(self, scene: Scene, resolver: _Resolver):
        self.scene = scene
        self.res = resolver
        self.support: dict[str, str] = {}   # block -> literal (or disjunction) for where it ends up
        self.extra: dict[str, str] = {}     # key -> literal (clear X, negations)
        self.order: list[str] = []

    def _set_support(self, block: str, literal: str) -> None:
        self.support[block] = literal
        self.order.append(block)
        self.extra.pop(f"clear {block}", None) if literal.startswith("(holding") else None

    def add(self, clause: Clause) -> None:
        kind = clause.kind
        if clause.retracted:
            # nothing to do, but "it" in the correction that follows refers to its objects
            names = []
            for ref in clause.themes:
                got = self.res.resolve(ref, many=True)
                self.res.note(got, ref.plural or len(got) > 1)
                names += got
            if len(clause.themes) > 1:
                self.res.note(names, True)
            return
        if kind == "tower":
            names = []
            for ref in clause.chain:
                got = self.res.resolve(ref)
                if len(got) != 1:
                    if ref.quant in ("all", "both", "them") or ref.plural:
                        raise _Stop("clarify", "the order of the tower was not given",
                                    question=f"In which order should I stack {_names_text(self.scene, got)}, "
                                             "from the bottom up?", candidates=tuple(got))
                    raise _Stop("clarify", f"\"{ref.text}\" is ambiguous",
                                question=f"Which one do you mean by \"{ref.text}\": "
                                         f"{_names_text(self.scene, got, ' or ')}?", candidates=tuple(got))
                names.append(got[0])
                self.res.note(got, False)
            if len(names) < 2:
                raise _Stop("clarify", "a tower needs at least two blocks",
                            question="Which blocks should the tower be made of, from the bottom up?")
            for below, above in zip(names, names[1:]):
                self._place(above, "on", below)
            self.res.placed_top = names[-1]
            self.res.last = [names[-1]]
            return
        if kind == "swap":
            self._swap(clause)
            return
        if kind == "reverse":
            stack = self._one_stack(clause.themes[0])
            for ref, position in clause.marks:
                got = self.res.resolve(ref)
                if got != [stack[-1] if position == "bottom" else stack[0] if position == "top" else None]:
                    raise _Stop("clarify", f"{ref.text} would not be at the {position} of the reversed tower",
                                question="Which block should be at the bottom?", candidates=tuple(stack))
            self._build_chain(stack[::-1], self.scene.support_of(stack[0]))
            return
        if kind == "sizetower":
            self._size_tower(clause)
            return
        if kind in ("clear", "cleartable", "empty"):
            for ref in clause.themes:
                if kind == "cleartable" or ref.table:
                    raise _Stop("clarify", "clearing the table needs a destination",
                                question="Where should the blocks on the table go?")
                for name in self.res.resolve(ref, many=True):
                    obj = self.scene.objects[name]
                    if obj.type == "region":
                        # what is in it and what stands on that: everything taken out
                        inside = [m for f in self.scene.facts if f.predicate == "in" and f.args[1] == name
                                  for m in self.res._stack_of(f.args[0])]
                        for block in inside:
                            self._set_support(block, _lit("on-table", block))
                        self.res.remember([name])
                        self.res.note(inside, True)
                        continue
                    else:
                        for block, lit in list(self.support.items()):
                            if lit == _lit("on", block, name):
                                del self.support[block]
                        self.extra[f"clear {name}"] = _lit("clear", name)
                    self.res.note([name], False)
            return
        themes: list[list[str]] = []
        for ref in clause.themes:
            got = self.res.resolve(ref, role="theme")
            themes.append((ref, got))
        fixed = [n for _, got in themes for n in got if self.scene.objects[n].type == "region"]
        if fixed and not clause.retracted:
            raise _Stop("refuse", f"{_names_text(self.scene, fixed)} cannot be moved; I can only move blocks",
                        code="unsupported")
        if kind == "hold":
            for ref, got in themes:
                for name in got:
                    self._set_support(name, _lit("holding", name))
                self.res.note(got, ref.plural)
            if len(themes) > 1:  # "take X and Y and put them in the bin"
                self.res.note([n for _, got in themes for n in got], True)
            return
        # place
        target = clause.target
        if target is None:
            raise _Stop("clarify", "no destination", question="Where should it go?")
        source: list = []
        if clause.source is not None:
            try:
                source = self.res.resolve(clause.source, role="restrictor", many=True)
            except _Stop:
                pass
            self.res.remember(source)
        if target.match:
            self._place_matching(clause, themes)
            return
        self.res.current_supports = {self.scene.support_of(n) for _, got in themes for n in got}
        self.res.target_relation = clause.relation
        self.res.current_themes = {n for _, got in themes for n in got}
        try:
            dest = self._negated_target(clause, themes) or self.res.resolve(target, role="target")
        finally:
            self.res.current_supports = set()
            self.res.target_relation = None
            self.res.current_themes = set()
        if len(dest) > 1 and target.quant == "indef" and not target.plural and len(clause.themes) == 1:
            got = themes[0][1]
            if len(got) == 1:
                options = [self._literal(got[0], clause.relation, d) for d in dest if d != got[0]]
                key = "any:" + got[0]
                self.support[key] = "(or " + " ".join(options) + ")" if len(options) > 1 else options[0]
                self.order.append(key)
                self.res.note(got, False)
                return
        if len(dest) > 1 and (target.plural or target.quant in ("all", "both")) and \
                sum(len(got) for _, got in themes) == 1:
            raise _Stop("refuse", f"one block cannot be in {len(dest)} places at once ({target.text})",
                        code="impossible")
        if len(dest) != 1:
            raise _Stop("clarify", f"\"{target.text}\" could mean several objects",
                        question=f"Which one do you mean by \"{target.text}\": "
                                 f"{_names_text(self.scene, dest, ' or ')}?", candidates=tuple(dest))
        where = dest[0]
        if clause.relation == "under" and (where == "table" or self.scene.objects[where].type == "region"):
            raise _Stop("refuse", f"nothing can go under {target.text}; I can put blocks on blocks, in regions "
                        "or on the table", code="unsupported")
        themes += self._companions(clause, where)
        if clause.keep_order:
            self._move_stack(clause, themes, where)
            return
        for ref, got in themes:
            indefinite = ref.quant == "indef" and len(got) > 1 and not ref.plural
            if ref.quant in ("all",) and where in got and len(got) > 1:
                got = [g for g in got if g != where]
            if indefinite:
                options = [self._literal(g, clause.relation, where) for g in got if g != where]
                key = "any:" + ",".join(got)
                self.support[key] = "(or " + " ".join(options) + ")" if len(options) > 1 else options[0]
                self.order.append(key)
            else:
                for name in got:
                    if clause.negated:
                        self.extra[f"not {name}"] = _lit("not", self._literal(name, clause.relation, where))
                    else:
                        self._place(name, clause.relation, where)
            self.res.note(got, ref.plural or ref.quant in ("all", "both", "them"))
        if clause.stacked:
            self._stack_on(clause, [n for _, got in themes for n in got])
        if where != "table":
            self.res.mentioned.append(where) if where not in self.res.mentioned else None
            self.res.remember([where])
        self.res.last_place = where
        if where == "table" and len(source) == 1:
            self.res.remember(source)
            self.res.last_place = source[0]  # "take X off Y and put Z there": Y, the place said
        if clause.relation in ("on", "to") and where in self.scene.objects and \
                self.scene.objects[where].type == "block" and len(themes) == 1 and len(themes[0][1]) == 1:
            self.res.placed_top = themes[0][1][0]
        elif clause.relation == "under":
            self.res.placed_top = where

    def _negated_target(self, clause: Clause, themes: list) -> list[str] | None:
        """``make sure the green block isn't on the yellow one``: of the yellow ones, the one it is on now.

        Denying a relation presupposes it holds, so an ambiguous place is the one the theme is in or
        on now, when exactly one fits; otherwise None (resolved as usual).
        """
        if not clause.negated or clause.target is None or clause.target.quant != "def" or clause.target.plural:
            return None
        try:
            options = self.res.candidates(clause.target)
        except _Stop:
            return None
        names = [n for _, got in themes for n in got]
        now = [d for d in options if any(self.res._holds(clause.relation, n, d) for n in names)]
        return now if len(options) > 1 and len(now) == 1 else None

    def _companions(self, clause: Clause, where: str) -> list:
        """``put X in the basket with the purple one``: a companion already there only locates the place;
        one that is elsewhere goes there too. "with the others" never moves anything."""
        out = []
        for ref in clause.companions:
            got = self.res.resolve(ref, role="theme", many=True)
            if ref.others:
                continue
            moving = [n for n in got if self.scene.support_of(n) != where]
            if len(moving) < len(got) and not (ref.plural or ref.quant in ("all", "both", "them")):
                continue  # "with the purple one": the purple one that is there already
            if moving and (where == "table" or self.scene.objects[where].type != "region"):
                raise _Stop("clarify", f"{ref.text} cannot also go on {where}",
                            question=f"Should {ref.text} go somewhere else?", candidates=tuple(moving))
            if moving:
                out.append((ref, moving))
        return out

    def _one_stack(self, ref: Ref) -> list[str]:
        """The blocks of the one stack ``ref`` names ("the tower", "the red tower"), bottom first."""
        names = self.res.resolve(ref, many=True)
        stacks = []
        for name in names:
            stack = self.res._stack_of(name)
            if stack not in stacks:
                stacks.append(stack)
        if len(stacks) > 1:
            raise _Stop("clarify", "there is more than one stack",
                        question="Which stack do you mean: " + " or ".join(
                            f"the one with {_names_text(self.scene, s)}" for s in stacks) + "?",
                        candidates=tuple(s[0] for s in stacks))
        if not stacks or len(stacks[0]) < 2:
            raise _Stop("refuse", "there is no stack of blocks to do that with", code="unknown_object")
        self.res.note(stacks[0], True)
        return stacks[0]

    def _build_chain(self, chain: list[str], base: str | None) -> None:
        """``chain[0]`` on ``base`` (the table or a region), each next block on the one before."""
        if base in (None, "table") or self.scene.objects[base].type != "region":
            self._set_support(chain[0], _lit("on-table", chain[0]))
        else:
            self._set_support(chain[0], _lit("in", chain[0], base))
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.placed_top = chain[-1]

    def _move_stack(self, clause: Clause, themes: list, where: str) -> None:
        """``move the tower into the bin, keeping the same order``: the lowest block goes there, the rest
        stay on it as they are now."""
        names = [n for _, got in themes for n in got]
        stack = self.res._stack_of(names[0]) if names else []
        if not names or any(n not in stack for n in names):
            raise _Stop("clarify", "they are not one stack, so there is no order to keep",
                        question=f"In which order should I put {_names_text(self.scene, names)} there, "
                                 "from the bottom up?", candidates=tuple(names))
        chain = [n for n in stack if n in names]
        if where in chain:
            raise _Stop("refuse", "a stack cannot go on one of its own blocks", code="impossible")
        self._place(chain[0], clause.relation, where)
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.note(chain, True)
        self.res.last_place = where

    def _stack_on(self, clause: Clause, placed: list) -> None:
        """``put X in the tray with Y on top of it``: Y on X (and the next on Y)."""
        if len(placed) != 1:
            raise _Stop("clarify", "on top of which one?", question="On top of which block should it go?",
                        candidates=tuple(placed))
        base = placed[0]
        for ref in clause.stacked:
            got = self.res.resolve(ref, role="theme")
            if len(got) != 1 or got[0] == base:
                raise _Stop("clarify", f"\"{ref.text}\" is not one other block",
                            question=f"Which block should go on {base}?", candidates=tuple(got))
            self._place(got[0], "on", base)
            self.res.note(got, False)
            base = got[0]

    def _place_matching(self, clause: Clause, themes: list) -> None:
        """``put each block in the tray of its colour``: every block to the one place of its own colour."""
        places = self.res.resolve(clause.target, role="target", many=True)
        missing, placed = [], []
        for ref, got in themes:
            for name in got:
                colour = self.scene.objects[name].color
                hits = [p for p in places if p != name and colour and
                        (self.scene.objects[p].color or "").replace("grey", "gray") == colour.replace("grey", "gray")]
                if len(hits) > 1:
                    raise _Stop("clarify", f"more than one {clause.target.text} has the colour of {name}",
                                question=f"Which of {_names_text(self.scene, hits, ' or ')} should {name} go in?",
                                candidates=tuple(hits))
                if not hits:
                    missing.append(name)
                    continue
                self._place(name, clause.relation, hits[0])
                placed.append(name)
            self.res.note(got, ref.plural or ref.quant in ("all", "both", "them"))
        if missing:
            raise _Stop("clarify", "nothing there has the colour of " + _names_text(self.scene, missing),
                        question=f"Where should {_names_text(self.scene, missing)} go? Nothing there has "
                                 "its colour.", candidates=tuple(missing))

    def _size_tower(self, clause: Clause) -> None:
        """``stack them from biggest to smallest``: a tower ordered by the blocks' sizes."""
        names: list[str] = []
        for ref in clause.themes:
            if ref.quant == "them" and not self.res.last and not any(
                    f.predicate == "holding" for f in self.scene.facts):
                got = list(self.scene.blocks)  # "stack them by size", said of what is on the table
            else:
                got = self.res.resolve(ref, many=True)
            names += [n for n in got if n not in names and self.scene.objects[n].type == "block"]
        sizes = {n: self.scene.objects[n].size for n in names}
        if len(names) < 2:
            raise _Stop("clarify", "a tower needs at least two blocks",
                        question="Which blocks should the tower be made of?")
        if None in sizes.values() or len(set(sizes.values())) < len(names):
            raise _Stop("clarify", "the blocks' sizes do not give an order",
                        question=f"Some of {_names_text(self.scene, names)} are the same size (or their size is "
                                 "not known); in which order should I stack them, from the bottom up?",
                        candidates=tuple(names))
        chain = sorted(names, key=lambda n: sizes[n], reverse=clause.relation == "size_desc")
        for ref, position in clause.marks:
            got = self.res.resolve(ref)
            want = chain[0] if position == "bottom" else chain[-1] if position == "top" else None
            if len(got) != 1 or got[0] != want:
                raise _Stop("clarify", f"{ref.text} at the {position} does not fit the order by size",
                            question="By size, " + _names_text(self.scene, [chain[0]]) + " would be at the "
                                     "bottom; which order do you want?", candidates=tuple(chain))
        for below, above in zip(chain, chain[1:]):
            self._place(above, "on", below)
        self.res.note(chain, True)
        self.res.placed_top = chain[-1]

    def _swap(self, clause: Clause) -> None:
        """``swap A and B``: each block takes the place (support) the other has now."""
        names: list[str] = []
        for ref in clause.themes:
            got = self.res.resolve(ref, role="theme", many=len(clause.themes) == 1)
            names += [n for n in got if n not in names]
        if len(names) != 2:
            raise _Stop("clarify", f"swapping needs two blocks, {len(names)} match",
                        question=f"Which two of {_names_text(self.scene, names)} should I swap?",
                        candidates=tuple(names))
        fixed = [n for n in names if self.scene.objects[n].type != "block"]
        if fixed:
            raise _Stop("refuse", f"{_names_text(self.scene, fixed)} cannot be moved; I can only move blocks",
                        code="unsupported")
        a, b = names
        was = {a: self.scene.support_of(a), b: self.scene.support_of(b)}
        if None in was.values():
            raise _Stop("refuse", "I do not know where one of them is now", code="unsupported")
        if was[a] == was[b]:
            where = "on the table" if was[a] == "table" else f"in {self.scene.objects[was[a]].describe()}"
            raise _Stop("refuse", f"{_names_text(self.scene, names)} are both {where}; swapping them changes "
                        "nothing I can do", code="unsupported")
        for block, other in ((a, b), (b, a)):
            place = was[other] if was[other] != block else other  # "swap A and B" with A on B: B ends on A
            literal = _lit("holding", block) if place == "gripper" else self._literal(block, "to", place)
            self._set_support(block, literal)
            if place in self.scene.objects and self.scene.objects[place].type == "block":
                self.extra.pop(f"clear {place}", None)
        self.res.note(names, True)

    def _literal(self, name: str, relation: str, where: str) -> str:
        if where == "table" or relation == "table":
            return _lit("on-table", name)
        obj = self.scene.objects[where]
        if obj.type == "region":
            return _lit("in", name, where)
        if relation == "under":
            return _lit("on", where, name)
        return _lit("on", name, where)

    def _place(self, name: str, relation: str, where: str) -> None:
        literal = self._literal(name, relation, where)
        if relation == "under" and where != "table" and self.scene.objects[where].type == "block":
            self._set_support(where, literal)
            self.extra.pop(f"clear {name}", None)
            return
        self._set_support(name, literal)
        if where in self.scene.objects and self.scene.objects[where].type == "block":
            self.extra.pop(f"clear {where}", None)

    def pddl(self) -> str:
        seen = []
        for key in self.order:
            lit = self.support.get(key)
            if lit is not None and lit not in seen:
                seen.append(lit)
        seen += [lit for lit in self.extra.values() if lit and lit not in seen]
        if not seen:
            raise _Stop("refuse", "the instruction asks for nothing to change", code="empty")
        return "(and " + " ".join(seen) + ")"


def _inside_a_block(text: str, vocab: "_Vocabulary") -> str | None:
    """``put sun inside ruby``: the block said to be the inside of something, or None.

    "in" a block is read as on it, but "inside" (or "within") a block asks for what a block does not
    have, so it is refused rather than quietly changed.
    """
    match = re.search(r"\b(?:inside|within)\b(?:\s+of\b)?(.*)", text.lower())
    if match is None:
        return None
    parser = _Parser(normalize(match.group(1), vocab.scene.objects), vocab)
    try:
        ref = parser._p_np()
        names = _Resolver(vocab.scene, vocab).candidates(ref) if ref is not None else []
    except _Stop:
        return None
    if names and all(vocab.scene.objects[n].type == "block" for n in names):
        return ref.text
    return None


def _goal(tokens: list[str], vocab: "_Vocabulary") -> str:
    """The goal text for ``tokens``: parsed into clauses, resolved and built; raises _Stop otherwise."""
    clauses = _Parser(tokens, vocab).parse()
    if not clauses:
        raise _Stop("refuse", "the instruction has no words I can act on", code="empty")
    builder = _GoalBuilder(vocab.scene, _Resolver(vocab.scene, vocab))
    for clause in clauses:
        builder.add(clause)
    return builder.pddl()


def _goal_rereading(tokens: list[str], vocab: "_Vocabulary") -> str:
    """:func:`_goal` of ``tokens``; when they are not understood, try each of :data:`REREADINGS` first.

    A rereading is only a second chance: an instruction understood as said is never reread, and
    when no rereading is understood either the first refusal stands.
    """
    try:
        return _goal(tokens, vocab)
    except _Stop as stop:
        if stop.kind != "refuse" or stop.code not in ("not_understood", "unknown_object"):
            raise
        first = stop
    for reread in REREADINGS:
        other = reread(tokens)
        if other == tokens:
            continue
        try:
            return _goal(other, vocab)
        except _Stop as stop:
            if stop.kind != "refuse" or stop.code not in ("not_understood", "unknown_object"):
                raise
    raise first


def _scene_words(scene: Scene) -> set:
    """Words that name something in ``scene`` or any block: colours, kinds, types, name parts, nouns."""
    words = set(BLOCK_NOUNS | TABLE_WORDS | TOWER_NOUNS | set(REGION_SYNONYMS) | PLURAL_NOUNS)
    for obj in scene.objects.values():
        words.update(w for w in (obj.color, obj.kind, obj.type, obj.name) if w)
        words.update(p for p in re.split(r"[_\-]", obj.name) if p)
    return words


def _join_compounds(text: str, scene: Scene) -> str:
    """``lunch box`` -> ``lunchbox`` when the scene has an object of that name or kind written as one word."""
    for obj in scene.objects.values():
        for word in {obj.name, obj.kind or ""}:
            if len(word) < 6 or not word.isalpha():
                continue
            for cut in range(3, len(word) - 2):
                text = re.sub(rf"\b{word[:cut]}[\s-]+{word[cut:]}\b", word, text, flags=re.IGNORECASE)
    return text


def _hear_homophones(text: str, scene: Scene) -> str:
    """Undo a speech recogniser's homophones where the scene makes the intended word the only sense.

    "read"/"blew" become red/blue only when something in the scene has that colour and the word sits in a
    noun phrase (after "the", "two", ...; or before a noun: "the read block", "too blew blocks"), so "read
    me the recipe" stays a request to read. "too" before a colour or a plural noun is the count two, and
    before "the" the preposition to; "in two the box" is into; "on top off" and "out off" are "of"; a place
    word that sounds like one of the scene's places ("the trey") names it.
    """
    colours = {o.color for o in scene.objects.values() if o.color}
    kinds = {o.kind for o in scene.objects.values() if o.kind} | {o.type for o in scene.objects.values()}
    nouns = BLOCK_NOUNS | ANY_NOUNS | set(REGION_SYNONYMS) | PLURAL_NOUNS | kinds
    dets = ("the", "a", "an", "this", "that", "my", "your")
    parts = re.split(r"([A-Za-z0-9_']+)", _join_compounds(text, scene))
    idx = [i for i in range(1, len(parts), 2)]
    low = [parts[i].lower() for i in idx]

    def near(k: int, step: int) -> str:
        j = k + step
        return low[j] if 0 <= j < len(low) else ""

    for k, word in enumerate(low):
        heard = COLOUR_HOMOPHONES.get(word)
        if heard in colours and (near(k, -1) in _NP_BEFORE or near(k, 1) in nouns):
            low[k] = heard
        heard = PLACE_HOMOPHONES.get(word)
        if heard in kinds and near(k, -1) in dets:
            low[k] = heard
    for k, word in enumerate(low):
        nxt, prev = near(k, 1), near(k, -1)
        if word == "too" and (nxt in COLOR_WORDS or nxt in PLURAL_NOUNS):
            low[k] = "two"
        elif word in ("too", "two") and nxt in dets:
            low[k] = "to"
            if prev in ("in", "on"):  # "in two the box": into
                low[k - 1], low[k] = prev + "to", ""
        elif word == "off" and prev in ("top", "out") and nxt in dets:
            low[k] = "of"
    for i, word in zip(idx, low):
        if word != parts[i].lower():
            parts[i] = word
    return re.sub(r"\s{2,}", " ", "".join(parts))


def _drop_small_talk(text: str, scene: Scene) -> str:
    """Pass over whole sentences of small talk around a request ("Good morning, dear. ... Thank you.").

    A sentence is small talk when it opens with a greeting, thanks or "my"/"oh" (:data:`SOCIAL_OPENERS`),
    names no action and nothing in the scene. When every sentence is small talk the text is kept as it
    is, to be refused.
    """
    sentences = re.findall(r"[^.!?]+[.!?]*", text)
    if len(sentences) < 2:
        return text
    scene_words = _scene_words(scene)
    actions = ALL_VERBS | UNSUPPORTED_VERBS | REMOVE_VERBS | BUILD_VERBS | set(VERB_FORMS) | {"set", "make"}

    def small_talk(sentence: str) -> bool:
        words = re.findall(r"[a-z0-9_]+", sentence.lower())
        return bool(words) and words[0] in SOCIAL_OPENERS and not any(
            w in actions or w in scene_words or w in COLOR_WORDS for w in words)

    kept = [s for s in sentences if not small_talk(s)]
    return "".join(kept).strip() if kept else text


def _implicit_object(tokens: list[str]) -> list[str]:
    """``take the block and put on the plate``: a second verb with no object acts on "it"."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        out.append(tok)
        if i > 0 and tokens[i - 1] in ("and", "then", "andthen") and _lemma(tok) in PLACE_VERBS and \
                i + 2 < len(tokens) and tokens[i + 1] in ("on", "in", "to") and tokens[i + 2] in _DETERMINERS:
            out.append("it")
    return out


def detect_injection(text: str) -> str | None:
    """The phrase that tries to override the robot's rules, or None."""
    low = text.lower()
    for pattern in INJECTION_PATTERNS:
        match = re.search(pattern, low)
        if match:
            return match.group(0)
    return None


def parse_instruction(text: str, scene: Scene) -> ParseOutcome:
    """Parse ``text`` against ``scene`` into goal text, a refusal or a question (never raises).

    Args:
        text: the instruction as typed or transcribed.
        scene: the grounded scene whose objects references are resolved against.
    """
    if not isinstance(text, str) or not text.strip():
        return ParseOutcome("refused", reason="the instruction is empty", code="empty")
    if len(text) > 2000:
        return ParseOutcome("refused", reason="the instruction is too long (over 2000 characters)",
                            code="too_long")
    injected = detect_injection(text)
    if injected:
        return ParseOutcome("refused", code="injection",
                            reason=f"the instruction tries to change my rules (\"{injected}\"); "
                                   "I only follow instructions about the objects on the table")
    if "(" in text and ")" in text and re.search(r"\(\s*(and|on|in|on-table|holding|clear|not|or)\b", text):
        return ParseOutcome("refused", code="raw_pddl",
                            reason="raw PDDL is not accepted as an instruction; use plain words or "
                                   "`lam-robot plan --goal`")
    text = _drop_small_talk(_hear_homophones(text, scene), scene)
    places = {o.kind for o in scene.objects.values() if o.type == "region" and o.kind} | set(scene.regions)
    tokens = _strip_tags(_after_correction(_drop_disfluencies(normalize(text, scene.objects)), places))
    tokens = _implicit_object(tokens)
    if not tokens or all(t in SEPARATORS or t in FILLER_WORDS for t in tokens):
        return ParseOutcome("refused", reason="the instruction has no words I can act on", code="empty")
    tokens = _possessives(tokens, scene)
    vocab = _Vocabulary(scene)
    first = [t for t in tokens if t not in FILLER_WORDS and t != ","][:1]
    if first and first[0] in ("what", "where", "which", "who", "why", "how", "when", "does", "did") and \
            text.strip().endswith("?"):
        return ParseOutcome("refused", code="question",
                            reason="that is a question; I can only carry out instructions that "
                                   "move objects")
    inside = _inside_a_block(text, vocab)
    if inside is not None:
        return ParseOutcome("refused", code="unsupported",
                            reason=f"{inside} is a block and has no inside; I can put things on it instead")
    try:
        return ParseOutcome("ok", goal_pddl=_goal_rereading(tokens, vocab))
    except _Stop as stop:
        if stop.kind == "clarify":
            return ParseOutcome("clarify", reason=stop.message, question=stop.question,
                                candidates=stop.candidates, code="ambiguous")
        return ParseOutcome("refused", reason=stop.message, code=stop.code)
    except RecursionError:
        return ParseOutcome("refused", reason="the instruction is too complex", code="too_complex")
    except Exception as exc:  # noqa: BLE001 - a parser bug must refuse, never reach the planner or crash
        return ParseOutcome("refused", reason=f"I could not parse that ({type(exc).__name__})",
                            code="parser_error")
