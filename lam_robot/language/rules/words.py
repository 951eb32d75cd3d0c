"""The rule parser's fixed English: word lists for colours, nouns, verbs, fillers and phrases.

Every other module reads these sets; none of them depends on a scene. ``BLOCK_NOUNS``, ``COLOR_WORDS``
and ``REGION_SYNONYMS`` are also used by the speech grammar, so they are re-exported by the package.
"""

from __future__ import annotations


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
ADJ_WORDS = frozenset("""left right middle center centre big large small little tiny huge medium""".split())
#: "the top block": clear and stacked on a block; "the bottom block": on the table, something on it.
STACK_ADJS = {"top": "stacktop", "topmost": "stacktop", "uppermost": "stacktop", "upper": "stacktop",
              "highest": "highest",
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
    # an elderly speaker's long way round ("I was hoping you might ...", "be a love and ...")
    "i was hoping you might", "i was hoping you could", "i was hoping you would", "i was hoping that you could",
    "i would be grateful if you would", "i would be so grateful if you could", "i would be very grateful if you could",
    "could you be a love and", "would you be a love and", "be a love and", "be an angel and", "be a sweetheart and",
    "would you be a dear and", "could you be a dear and", "i would be grateful if", "i would be so grateful if",
    "i would be very grateful if", "it would be lovely if", "it would be nice if", "it would be great if",
    "i would be grateful", "i would be so grateful", "i would be very grateful", "it would be lovely",
    # suggestions ("how about putting ...", "why don't you put ...", "try moving ...")
    "how about you", "how about", "what about", "why do not you", "why not", "do you think you could",
    "do you think you can", "do you think you might", "try and", "try", "maybe you could", "perhaps you could",
    "would you mind terribly", "can i have", "could i have", "may i have",
]
#: Openings that make a question a request ("why don't you put ...?", "how about putting ...?").
SUGGESTIONS = ("how about", "what about", "why do not you", "why not", "do you think you")
#: How people address the robot in passing ("thank you, dear"): no meaning in an instruction.
VOCATIVES = frozenset("dear darling sweetheart sweetie honey pet".split())
FILLER_WORDS = frozenset("""please kindly just carefully gently slowly quickly also too thanks again
thank you cheers really simply now immediately right away for me there robot hey mate buddy
pal um umm uh uhh uhm er erm hmm ah oh well maybe perhaps possibly yeah yep yup yo""".split()) | VOCATIVES
STATE_PREFIXES = [
    "can", "could", "would", "will",
    "make sure that", "make sure", "ensure that", "ensure", "see to it that", "i want", "i would like",
    "i need", "i wish", "i would love", "i would prefer", "we want", "we need", "the goal is",
    "the goal is that", "the final state should have", "in the end", "at the end", "finally",
    "afterwards", "arrange it so that", "arrange things so that", "arrange that", "have",
    "let", "get it so that", "i want it so that", "so that", "make",
]
SEPARATORS = frozenset([",", "and", "andalso", "then", "andthen", "afterwards", "after", "next", "finally",
                        "also", "plus", "first", "lastly", "last", "second", "third", "while"])
COPULAS = ["needs to go", "need to go", "has to go", "have to go", "must go", "ought to go",
           "is supposed to be", "are supposed to be", "is supposed to go", "should be put",
           "should be", "should end up", "must be", "needs to be", "need to be", "has to be",
           "have to be", "ought to be", "is to be", "are to be", "is to go", "are to go", "is going to go",
           "are going to go", "is going to be", "are going to be", "is going", "are going", "should sit", "should rest",
           "should go", "should stand", "will be", "would look nicer", "would look better", "would look good",
           "would be better", "would be nicer", "looks better", "look better", "to be", "is", "are", "be", "goes", "go",
           "belongs", "belong", "ends up", "end up", "sits", "sit", "sitting", "rests", "resting",
           "stays", "stay", "lands", "land", "could go", "can go", "might go"]
INJECTION_PATTERNS = [
    r"\bignore\b", r"\bdisregard\b", r"\bforget (all|every|your|previous|prior|earlier)",
    r"\bforget the (rules|instructions|previous|prior|earlier|above|system|safety|guard|limits|restrictions)",
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
    ("if you do not mind", ""), ("when you get a chance", ""), ("if it is not too much bother", ""),
    ("if it is no bother", ""), ("if it is not any trouble", ""), ("ever so", ""), ("the contents of", "everything in"),
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
    # the far side of a row ("the blue one furthest to the left", "on the far right")
    ("furthest to the left", "on the left"), ("farthest to the left", "on the left"),
    ("furthest to the right", "on the right"), ("farthest to the right", "on the right"),
    ("the furthest left", "the left"), ("the furthest right", "the right"), ("the far left", "the left"),
    ("the far right", "the right"), ("all the way to the left", "on the left"),
    ("all the way to the right", "on the right"), ("most to the left", "on the left"),
    ("most to the right", "on the right"),
    # the size between the others ("the medium-sized green block", "the mid-size one")
    ("medium-sized", "medium"), ("medium sized", "medium"), ("medium-size", "medium"), ("medium size", "medium"),
    ("mid-sized", "medium"), ("mid sized", "medium"), ("mid-size", "medium"), ("mid size", "medium"),
    ("middle-sized", "medium"), ("middle sized", "medium"), ("average-sized", "medium"),
    # "once you've cleared X, ...": the first step, then the next
    ("as soon as you have", "after"), ("once you have", "after"), ("when you have", "after"),
    ("after you have", "after"), ("as soon as you", "after"), ("once you", "after"),
    # steps said out of order or numbered ("..., but first take ...", "step one: ... step two: ...")
    ("but first", "andthen"), ("but before that", "andthen"), ("before that", "andthen"),
    ("step one", "first"), ("step 1", "first"), ("step two", "then"), ("step 2", "then"), ("step three", "then"),
    ("step 3", "then"), ("followed by", "andalso"),
    # how near or far from the robot ("the red block closest to you", "the one furthest away")
    ("closest to you", "near"), ("nearest to you", "near"), ("closest to me", "near"), ("nearest to me", "near"),
    ("closest to the robot", "near"), ("nearest the robot", "near"), ("nearest you", "near"),
    ("furthest away", "far"), ("farthest away", "far"), ("furthest from you", "far"), ("farthest from you", "far"),
    ("further away", "far"), ("farther away", "far"), ("closer to you", "near"), ("nearer to you", "near"),
    ("that far", "far"), ("that near", "near"),
    # sequence openers with nothing to do ("before anything else, ...", "to start with, ...")
    ("before anything else", ""), ("first things first", ""), ("to begin with", ""), ("to start with", ""),
    ("for starters", ""), ("first off", ""),
    # "directly on": the place itself ("right under" is undone in rewrites, where "on the right" is told apart)
    ("directly under", "under"), ("immediately under", "under"), ("directly on", "on"), ("directly in", "in"),
    ("one you have", "one youhold"), ("block you have", "block youhold"), ("the tops of", "the top blocks of"),
    ("at the left end", "on the left"), ("at the right end", "on the right"), ("on the left end", "on the left"),
    ("on the right end", "on the right"), ("at the far end", "at the back"), ("at the near end", "at the front"),
    ("one by one", ""), ("one at a time", ""), ("the baby", "the small"), ("the daddy", "the big"),
    ("the mommy", "the medium"), ("the mummy", "the medium"), ("the mama", "the medium"), ("the papa", "the big"),
    ("take away", "remove"), ("open the hand", "release it"), ("open your hand", "release it"),
    ("open the gripper", "release it"), ("open your gripper", "release it"),
    ("of the right side", "on the right"),
    ("of right side", "on the right"), ("of the left side", "on the left"), ("of left side", "on the left"),
    ("at left", "on the left"), ("at right", "on the right"), ("out from", "outof"),
    ("on the left side", "on the left"), ("on the right side", "on the right"),
    ("left side", "left"), ("right side", "right"), ("let it go", "release it"), ("let that go", "release that"),
    ("let go", "release"),
    # holding on: "keep holding the pink block", "hang on to it"
    ("keep holding", "hold"), ("keep hold of", "hold"), ("hang on to", "hold"), ("hold on to", "hold"),
    # "whatever is on the yellow block": the block on it
    ("whatever is on", "the block that on"), ("whatever sits on", "the block that on"),
    ("whatever is sitting on", "the block that on"), ("anything that on", "the block that on"),
    ("that furthest to the left", "on the left"), ("that furthest to the right", "on the right"),
    ("that furthest left", "on the left"), ("that furthest right", "on the right"),
    ("furthest left", "on the left"), ("furthest right", "on the right"), ("that on the left", "on the left"),
    ("that on the right", "on the right"), ("tiniest", "tiny"), ("littlest", "little"),
    ("isclear them", "isclear"), ("that have nothing on them", "isclear"), ("without anything on them", "isclear"),
    # a block with nothing on it, said the other way round
    ("that not covered", "isclear"), ("not covered", "isclear"), ("that not under anything", "isclear"),
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
HESITATIONS = frozenset("um umm uh uhh uhm er erm err hmm hm mm mmm ah eh yeah yep yup".split())
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
#: ... for a number after a noun ("block too", "number for") where the scene's names are numbered.
NUMBER_HOMOPHONES = {"to": "two", "too": "two", "for": "four", "fore": "four", "won": "one", "tree": "three",
                     "ate": "eight"}
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
