"""The rule parser on the phenomena the fifth held-out set (tests/data/instructions_heldout5.yaml) exposed.

Each is specified as a phenomenon, in several phrasings (most not the set's own), so that the parser
handles the phenomenon rather than the sentence:

1. speech-recogniser homophones: "read"/"blew" for red/blue, only where the scene has that colour and
   the word sits in a noun phrase ("read me the recipe" stays a request to read); "too" for two or to,
   "in two the box" for into, "on top off" / "out off" for of, "the trey" for the tray;
2. a name or kind written as two words ("lunch box" for a lunchbox), and a spoken letter and number
   ("b three" for b3);
3. small talk around a request: greetings, thanks and remarks in sentences of their own ("Good morning,
   dear.", "My eyes aren't what they used to be."), vocatives ("dear", "love"), polite asides and hedges
   ("when you have a moment", "if that's all right", "I'm terribly sorry to bother you, but", "be a dear
   and", "I wonder whether you might", "I think");
4. a learner's wording: "please to put", "must to go", "you can to", "make empty the bowl", "make that
   the plate is empty", "make it on the plate", "move him", "where is nothing on it", "the block what you
   hold", a second verb without its object ("take the orange block and put on the plate");
5. a block by itself: "the red one that's not in the tower", "all by itself", "on its own";
6. an engineer's "payload" for what the gripper holds, "one of those" as an indefinite.

Scenes: the held-out 5 kitchen (red_a < green_a < blue_a < yellow_a, red_b alone, white_a in a blue bowl;
plate, box) and pantry (blue_1 < org_1, blue_2, violet held, mint in the small bowl, ebony on the plate;
two white bowls, a red lunchbox), and older held-out scenes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.scene import load_scene
from language_asserts import assert_goal, assert_status

SCENE_DIR = Path(__file__).resolve().parent / "fixtures" / "scenes"
SCENES = {
    "kitchen": "ho5_kitchen.yaml",
    "pantry": "ho5_pantry.yaml",
    "desk": "ho2_desk.yaml",          # red < green < blue, yellow; grey in tray; tray, bin
    "numbered": "ho2_numbered.yaml",  # b1 < b2 (red), b3 blue, b4 in bowl, b5 held; bowl, plate
    "lab": "ho4_lab.yaml",            # y_big < lime, y_small in bowl, brick in back_zone, chalk held
    "bench": "ho4_bench.yaml",        # orange_1 < pink_a < navy, pink_b in tin, wood_cube; tin, plate, cloth
    "playroom": "ho3_playroom.yaml",  # ruby < sky < moss, sun, coal in crate; crate, mat
}


@pytest.fixture(scope="module")
def scenes(domain):
    return {name: load_scene(SCENE_DIR / rel, domain) for name, rel in SCENES.items()}


# ---------------------------------------------------------------- 1. homophones


@pytest.mark.parametrize("scene, text, goal", [
    ("kitchen", "put the blew block on the plate", "(in blue_a plate)"),
    ("kitchen", "blew one in the box", "(in blue_a box)"),
    ("lab", "put the read block in the bin", "(in brick bin)"),
    ("lab", "move the read one to the front zone", "(in brick front_zone)"),
    ("desk", "put the grey block on the blew block", "(on grey blue)"),
    ("playroom", "put the blew block on the mat", "(in sky mat)"),
    ("kitchen", "put the too read blocks in the box", "(and (in red_a box) (in red_b box))"),
    ("pantry", "put too blew blocks in the big bowl", "(and (in blue_1 big_bowl) (in blue_2 big_bowl))"),
    ("kitchen", "move the white block too the box", "(in white_a box)"),
    ("kitchen", "put the yellow block in two the box", "(in yellow_a box)"),
    ("pantry", "put the black block on two the orange block", "(on ebony org_1)"),
    ("pantry", "put the green block on top off the black block", "(on mint ebony)"),
    ("kitchen", "take the white block out off the bowl", "(on-table white_a)"),
    ("desk", "put the yellow block in the trey", "(in yellow tray)"),
])
def test_homophones_are_heard_as_the_scene_word(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text, status", [
    ("pantry", "read me the recipe", "refused"),
    ("kitchen", "read the label on the box", "refused"),
    ("pantry", "put the read block in the lunchbox", "refused"),    # no red block: "read" stays unknown
    ("kitchen", "put the read block in the box", "clarify"),        # two red blocks
    ("pantry", "put the blew block in the small bowl", "clarify"),  # two blue blocks
])
def test_homophones_change_nothing_the_scene_does_not_support(scenes, domain, scene, text, status):
    assert_status(scenes, domain, scene, text, status)


# ---------------------------------------------------------------- 2. compounds and spoken names


@pytest.mark.parametrize("scene, text, goal", [
    ("pantry", "put the purple block in the lunch box", "(in violet lunchbox)"),
    ("pantry", "the black block must go in the lunch-box", "(in ebony lunchbox)"),
    ("numbered", "put b three on b one", "(on b3 b1)"),
    ("numbered", "clear b one", "(clear b1)"),
])
def test_names_said_in_pieces(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_colour_and_one_is_not_a_name(scenes, domain):
    # "white one" must not become a name like white_1: only a single letter joins a spoken number
    assert_goal(scenes, domain, "numbered", "put the white one on the plate", "(in b5 plate)")


# ---------------------------------------------------------------- 3. small talk


@pytest.mark.parametrize("scene, text, goal", [
    ("kitchen", "Good morning, dear. Would you be so kind as to take that little yellow block off the top of "
                "the tower and put it on the plate? Thank you ever so much.", "(in yellow_a plate)"),
    ("pantry", "Hello there. Could you put the black block in the lunchbox? My eyes aren't what they used "
               "to be.", "(in ebony lunchbox)"),
    ("kitchen", "Thanks so much. Put the blue block in the box, love.", "(in blue_a box)"),
    ("kitchen", "Would it be possible, when you have a moment, to put the white block on top of the yellow one?",
     "(on white_a yellow_a)"),
    ("playroom", "Would you kindly move the big yellow block onto the blue mat, please? Thank you, dear.",
     "(in sun mat)"),
    ("lab", "Could you put the white block you're holding into the orange bowl, please, dear?", "(in chalk bowl)"),
    ("desk", "Could you, when you've a moment, put the grey block from the tray onto the yellow one?",
     "(on grey yellow)"),
    ("desk", "I'm terribly sorry to bother you, but could you put the yellow block in the bin?", "(in yellow bin)"),
    ("desk", "Be a dear and put the yellow block in the tray, if that's all right.", "(in yellow tray)"),
    ("desk", "I wonder whether you might put the yellow block in the bin, sweetheart.", "(in yellow bin)"),
    ("bench", "Be a dear and put one of those pink blocks on the cloth, would you? Oh, it doesn't matter which.",
     "(or (in pink_a cloth) (in pink_b cloth))"),
])
def test_small_talk_around_a_request_is_passed_over(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text, status", [
    ("kitchen", "Could you tell me what time it is, dear?", "refused"),
    ("kitchen", "Good morning, dear. Thank you ever so much.", "refused"),
    ("kitchen", "Hello there. Fold the box, dear.", "refused"),
    ("kitchen", "I'm terribly sorry to bother you, but could you put the red block in the bowl?", "clarify"),
])
def test_small_talk_alone_or_with_a_bad_request_is_not_a_goal(scenes, domain, scene, text, status):
    assert_status(scenes, domain, scene, text, status)


# ---------------------------------------------------------------- 4. a learner's wording


@pytest.mark.parametrize("scene, text, goal", [
    ("kitchen", "please to put blue block inside of box", "(in blue_a box)"),
    ("pantry", "please to put down the block in your hand", "(on-table violet)"),
    ("lab", "please to move the big yellow in the back zone", "(in y_big back_zone)"),
    ("pantry", "the black block must to go in the lunchbox", "(in ebony lunchbox)"),
    ("desk", "you can to put the yellow block in the tray", "(in yellow tray)"),
    ("kitchen", "please make empty the bowl", "(on-table white_a)"),
    ("pantry", "please make that the plate is empty", "(on-table ebony)"),
    ("kitchen", "you take the white block from bowl and make it on the plate", "(in white_a plate)"),
    ("kitchen", "take the green block and move him to the box", "(in green_a box)"),
    ("pantry", "put the orange block on the blue block where is nothing on it", "(on org_1 blue_2)"),
    ("numbered", "please put the white block what you hold on the plate", "(in b5 plate)"),
    ("pantry", "please to take the orange block and put on the plate", "(in org_1 plate)"),
    ("desk", "grab the yellow block then drop in the bin", "(in yellow bin)"),
    ("kitchen", "put the red block of the bottom on the plate", "(in red_a plate)"),
])
def test_a_learners_wording_is_understood(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_learners_question_about_an_unknown_object_is_refused(scenes, domain):
    assert_status(scenes, domain, "kitchen", "is possible to put the cup in the box?", "refused")
    assert_status(scenes, domain, "bench", "you can to open the tin?", "refused")


# ---------------------------------------------------------------- 5. a block by itself


@pytest.mark.parametrize("scene, text, goal", [
    ("kitchen", "put the red one thats not in the tower in the box", "(in red_b box)"),
    ("kitchen", "pick up the red one that is all by itself", "(holding red_b)"),
    ("kitchen", "put the red block which is not in the stack on the plate", "(in red_b plate)"),
    ("kitchen", "the red block on its own goes in the box", "(in red_b box)"),
    ("kitchen", "put the yellow block on top of the red block that's by itself", "(on yellow_a red_b)"),
    ("pantry", "put the blue block that is on its own in the big bowl", "(in blue_2 big_bowl)"),
])
def test_a_block_by_itself_is_in_no_stack(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 6. jargon and indefinites


@pytest.mark.parametrize("scene, text, goal", [
    ("pantry", "drop payload on table", "(on-table violet)"),
    ("pantry", "payload -> lunchbox", "(in violet lunchbox)"),
    ("lab", "put the payload in the bin", "(in chalk bin)"),
    ("kitchen", "put one of those red blocks on the plate", "(or (in red_a plate) (in red_b plate))"),
])
def test_jargon_and_indefinites(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 7. asides that rename, and more wording


@pytest.mark.parametrize("scene, text, goal", [
    ("desk", "put the blue block, the one at the very top, into the bin", "(in blue bin)"),
    ("pantry", "put the orange block, the small one on top of the blue block, into the big bowl",
     "(in org_1 big_bowl)"),
    ("kitchen", "move the white block, the one in the bowl, to the box", "(in white_a box)"),
    ("kitchen", "take the green block out of the stack", "(on-table green_a)"),
    ("kitchen", "take the blue block out of the tower", "(on-table blue_a)"),
    ("pantry", "put the blue block that hasn't got anything on it into the small bowl", "(in blue_2 small_bowl)"),
])
def test_renaming_asides_and_blocks_taken_out_of_a_stack(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("desk", "Could you put a couple of the blocks in the tray for me, dear?"),
    ("kitchen", "put a couple of blocks in the box"),
])
def test_a_couple_of_blocks_asks_which(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "clarify")
