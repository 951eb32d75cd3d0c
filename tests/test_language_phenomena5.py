"""The rule parser on the phenomena the sixth held-out set (tests/data/instructions_heldout6.yaml) exposed.

Each is specified as a phenomenon, in several phrasings (most not the set's own), so that the parser
handles the phenomenon rather than the sentence:

1. where things stand: "the blue block on the left", "the rightmost one", "the one furthest to the
   left", "in the middle", read from the blocks' positions (y to the robot's left) when their names do
   not say; without positions "in the middle" still names nothing;
2. a place or block told by what it holds: "the block with the red one on it", "the bowl that has the
   purple block in it", "the bin containing the yellow block", "in the bowl with the purple one";
3. negative descriptions: "the bowl that isn't red", "the red block that isn't covered";
4. what is left alone is still said: "leave the middle one where it is and put the other two ...";
   "the other two" with no noun; "the other two from that tower";
5. spoken asides: "yeah", a pause between a thing and its place ("the pink one, in the tray"), "you can
   let go of that block now", "the green block, could you maybe set it down";
6. one stack among several: "the tall tower", "the short stack", "that tower", "both towers", "the second
   block from the top", "the third block" where blocks are numbered, "the lone black block", "whatever
   is on the yellow block";
7. sizes between others: "the medium green block", "the mid-sized one", "the middle green block" (the
   middle of its stack, else the middle size), "the two smaller green blocks";
8. a plate or bowl "with nothing on it" is an empty one;
9. a phrase rejected before the one meant ("not the big green one, the small one. put it ..."), and a
   complaint before the command ("I don't want the red block in the tray anymore, put it in the bin",
   "..., I want it in the bin");
10. numbered objects listed by number ("blocks 1, 2 and 3", "#4 onto #3") and a verb restarted across a
    pause ("put it, put it in the bin");
11. contrasts and exceptions after the clause: "..., but not the big one" (the big green one, where green
    blocks were named), "everything goes in the bin except the big green block";
12. shared and shortened descriptions: "the left and right blue blocks", "the medium one" after "the small
    green block", "in right bin" (no article: "right" is no filler there), "the red block on top in the
    bin", "the short tower's top block", "all blocks with nothing on them", "let go of it above the basket";
13. sequences said the long way: "once you've cleared X, ...", "before anything else, ...", "as soon as
    you have ..."; "both of them" after two blocks were named; "the top two blocks (off the stack)";
14. asides and intensifiers: ", which is in the middle of the tower,", "right under", "directly on",
    "the very top"; "the same bowl as the black one"; a denial that the next command makes true anyway
    ("the grey one shouldn't be in the tray, put it on the yellow one");
15. suggestions as requests: "how about putting ...", "why don't you put ...?", "do you think you could
    ...?", "try putting ...", "would you mind terribly moving ..."; "the bin needs the yellow block in it";
    "keep holding the pink block";
16. places said by what is there: "the plate the orange block is on", "whichever bowl is empty", "where the
    white one was", "the green block that's sitting on the big one" (the big green one), "the blue block
    that doesn't have anything on it on the left";
17. near and far: "the red block closest to you", "the one furthest away", "the front red block", "the red
    block at the back", "the far red block on the near one" (x is the distance from the robot);
18. corrections in turn and restarts: "in the bin, no wait, the tray, no, the bin", "the green, er, the small
    green block", "actually, forget the bin, put ... in the tray";
19. steps out of order or numbered: "..., but first take ...", "step one: ... step two: ...", "..., followed
    by the yellow block"; "pile them up, biggest at the bottom"; number ranges ("blocks 1 to 3",
    "blocks one through three");
20. more of the same: "pick up X off Y" (it ends in the hand), "the tower" among two asked about, things
    pointed out before the command ("you're holding a pink block, put it ...", "see the white block? put
    it ..."), "the one you have", "the top block of each tower", "the tops of both towers", "at the left
    end", a correction after a place the robot cannot use ("between... no, on ..."), "the medium one" in a
    second clause without its verb;
21. the long way round: remarks between commands passed over ("I was hoping you might be able to help me
    tidy this little workbench.", "I think the tall tower is a bit too tall."; "the purple one is in the
    wrong bowl. It ought to be in the blue one." keeps what the remark named), a wish for a thing done
    ("I'd like the red block taken out of the tray and placed on the table"), "I would be ever so grateful
    if ... could be moved ...", a tag between pauses ("..., haven't you? Just pop it ..."), "those green
    blocks", object names run together ("unstack r1 b1 g1"), "the block numbered three";
22. exclusions by place and gapped steps: "all the blocks that are not in a bowl (or on a plate)", "the
    uncovered blue blocks", "put the pink block in the tray. Then the orange one. Then the green one.";
23. a speech recogniser's numbers and sides: "block too", "block for", "number to" (where blocks are
    numbered), "the write bin"; "the left side"; "let it go"; "the highest block" (top of the tallest stack);
24. an elderly speaker's other turns: a place said after the command ("Just in the basket is fine."), "X would
    look nicer in Y", "please put it there" after a place was named, "the box could have both ... in it",
    "X could go on the plate with the Y", "not the one in the tower mind you" between pauses, "take X out
    from Y", "I'd like the red bowl emptied." (a sentence ending in the participle);
25. counts with sides and shared determiners: "the two blue blocks on the left", "the two leftmost blue
    blocks", "the biggest and the smallest green blocks", "one by one";
26. a child's and a learner's wording: "make the baby green block go in the bin", "the daddy green block",
    "the black block, it goes over the white block", "the small green, put in tray", "take away X from Y",
    "can I have X on Y? no wait the green one", "in bin of right side", "the blue one at left", "open the
    hand over the tray";
27. "one" among the group being stacked: "stack the blue blocks with the right one at the bottom, then the
    middle one, then the left one" (the middle blue block, not the middle of everything);
28. the place said first or not at all: "instead of the bin, put ... in the tray", "could you move the white
    one? put it in the blue bowl" (the move without a place is what "it" means), "the orange block. box. now.".

Scenes: the held-out 6 scenes (tests/data/scenes/*_h6.yaml) and older held-out scenes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.scene import load_scene
from language_asserts import assert_goal, assert_status

HERE = Path(__file__).resolve().parent
SCENES = {
    "rows": HERE / "data" / "scenes" / "rows_h6.yaml",          # blue_l, blue_m (red on it), blue_r; yellow; plate
    "towers": HERE / "data" / "scenes" / "towers_h6.yaml",      # r1 < b1 < g1; y1 < w1; k1; tray, bin
    "dishes": HERE / "data" / "scenes" / "dishes_h6.yaml",      # lemon < snow; plum in red_bowl; carrot on big_plate
    "workshop": HERE / "data" / "scenes" / "workshop_h6.yaml",  # g_big < g_mid, g_small; ruby in tray; bin
    "held": HERE / "data" / "scenes" / "held_h6.yaml",          # holds pink; blue_cube < green; orange; basket, tray
    "numbered": HERE / "data" / "scenes" / "numbered_h6.yaml",  # block_1 < block_2 (red); block_3; block_4 in left_bin
    "yard": HERE / "data" / "scenes" / "yard_h6.yaml",          # a (red, near), b (red, far), c (green, left); bin
    "desk": HERE / "fixtures" / "scenes" / "ho2_desk.yaml",     # red < green < blue, yellow; grey in tray; tray, bin
    "kitchen": HERE / "fixtures" / "scenes" / "ho5_kitchen.yaml",  # red_a < green_a < blue_a < yellow_a; red_b
    "bowls": HERE / "fixtures" / "scenes" / "ho_bowls.yaml",    # x (yellow) < y (white); z (black) in red_bowl
    "rows_named": HERE / "fixtures" / "scenes" / "ho_rows.yaml",  # block_1 < block_3 (red), block_2 in left_tray
}


@pytest.fixture(scope="module")
def scenes(domain):
    return {name: load_scene(path, domain) for name, path in SCENES.items()}


# ---------------------------------------------------------------- 1. where things stand


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "put the left blue block on the plate", "(in blue_l plate)"),
    ("rows", "grab the blue block on the right", "(holding blue_r)"),
    ("rows", "the rightmost blue one goes on the leftmost blue one", "(on blue_r blue_l)"),
    ("rows", "put the yellow block on the blue one furthest to the right", "(on yellow blue_r)"),
    ("rows", "put the blue block on the far left on the plate", "(in blue_l plate)"),
    ("rows", "take the blue one in the middle", "(holding blue_m)"),
    ("rows", "put the yellow one on the right-hand blue block", "(on yellow blue_r)"),
    ("rows", "put the blue one on the right on the plate", "(in blue_r plate)"),  # "right on" is no intensifier
    ("rows_named", "put the blue block in the tray on the right", "(in block_2 right_tray)"),
])
def test_sides_are_read_from_positions(scenes, domain, scene, text, goal):
    """Left is the robot's left (+y); a name that says the side (left_tray) still decides first."""
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text, status", [
    ("rows", "put the yellow block on the blue one", "clarify"),
    ("desk", "put the yellow block in the middle", "refused"),  # no positions: "the middle" is no place
    ("desk", "put the red block on the left", "clarify"),  # no positions: asked where to
])
def test_sides_need_positions_or_names(scenes, domain, scene, text, status):
    assert_status(scenes, domain, scene, text, status)


# ---------------------------------------------------------------- 2. told by what it holds


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "put the blue block with the red one on it on the plate", "(in blue_m plate)"),
    ("rows", "pick up the blue block that has the red block on top", "(holding blue_m)"),
    ("dishes", "put the white block in the bowl that has the purple block in it", "(in snow red_bowl)"),
    ("dishes", "put the yellow block on the plate with the orange block on it", "(in lemon big_plate)"),
    ("dishes", "put the white block in the bowl with the purple one", "(in snow red_bowl)"),
    ("numbered", "put block 3 in the bin containing the yellow block", "(in block_3 left_bin)"),
    ("numbered", "put block 3 in the bin on the left, the one with the yellow block in it",
     "(in block_3 left_bin)"),
])
def test_a_place_or_block_told_by_what_it_holds(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_with_after_a_plural_says_how_not_which(scenes, domain):
    """"the blocks with green at the bottom" orders a tower; it does not pick the block under green."""
    assert_goal(scenes, domain, "desk", "stack the blocks with green at the bottom, then red, then yellow",
                "(and (on red green) (on yellow red))")


def test_with_on_top_still_says_what_goes_along_when_nothing_is_ambiguous(scenes, domain):
    """One blue cube: "with the orange one on top of it" is a second move, not a description."""
    assert_goal(scenes, domain, "held", "put the green block on the blue cube with the orange one on top of it",
                "(and (on green blue_cube) (on orange green))")


# ---------------------------------------------------------------- 3. negative descriptions


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "put the purple block in the bowl that is not red", "(in plum blue_bowl)"),
    ("dishes", "drop the white block in the bowl which isn't red", "(in snow blue_bowl)"),
    ("numbered", "pick up the red block that is not covered", "(holding block_2)"),
    ("numbered", "put the red block that isn't covered in the right bin", "(in block_2 right_bin)"),
])
def test_negative_descriptions(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 4. what is left alone is still said


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "leave the left blue block where it is and put the other two blue blocks on the plate",
     "(and (in blue_m plate) (in blue_r plate))"),
    ("workshop", "leave the small green block alone, put the other two green ones in the bin",
     "(and (in g_big bin) (in g_mid bin))"),
    ("towers", "put the green block in the tray, and the other two from that tower in the bin",
     "(and (in g1 tray) (in r1 bin) (in b1 bin))"),
])
def test_the_other_two(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_the_other_two_asks_when_more_are_left(scenes, domain):
    assert_status(scenes, domain, "towers", "put the red block in the tray, and the other two in the bin", "clarify")


# ---------------------------------------------------------------- 5. spoken asides


@pytest.mark.parametrize("scene, text, goal", [
    ("held", "yeah so the orange one, yeah, in the basket", "(in orange basket)"),
    ("held", "the green block, on the orange block", "(on green orange)"),
    ("held", "you can let go of the block now", "(on-table pink)"),
    ("held", "you can release that block into the tray", "(in pink tray)"),
    ("towers", "the black block, could you perhaps put it on the white one", "(on k1 w1)"),
])
def test_spoken_asides(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 6. one stack among several


@pytest.mark.parametrize("scene, text, goal", [
    ("towers", "take the top block off the taller stack", "(on-table g1)"),
    ("towers", "put the black block on the short tower", "(on k1 w1)"),
    ("towers", "put the black one at the top of the tallest tower", "(on k1 g1)"),
    ("towers", "take the short stack apart", "(and (on-table y1) (on-table w1))"),
    ("towers", "dismantle both stacks", "(and (on-table r1) (on-table b1) (on-table g1) (on-table y1) "
                                        "(on-table w1))"),
    ("towers", "take all the towers apart", "(and (on-table r1) (on-table b1) (on-table g1) (on-table y1) "
                                            "(on-table w1))"),
    ("towers", "turn the small tower upside down", "(and (on y1 w1) (on-table w1))"),
    ("towers", "put the bottom block of the tall tower in the tray", "(in r1 tray)"),
    ("towers", "grab the second block from the top of the tall tower", "(holding b1)"),
    ("towers", "put the second block from the bottom of the short stack in the bin", "(in w1 bin)"),
    ("towers", "put the third block from the top in the tray", "(in r1 tray)"),
    ("numbered", "put the third block in the right bin", "(in block_3 right_bin)"),
    ("numbered", "take the second block off the first", "(on-table block_2)"),
    ("towers", "move the lone black block onto the green block", "(on k1 g1)"),
    ("towers", "put whatever is on the blue block in the bin", "(in g1 bin)"),
])
def test_one_stack_among_several(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("towers", "put the black block on the tower"),
    ("towers", "take the top block off"),
    ("towers", "grab the second block from the top"),  # b1 or y1
])
def test_the_tower_with_two_towers_is_asked_about(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "clarify")


# ---------------------------------------------------------------- 7. sizes between others


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "put the medium green block in the bin", "(in g_mid bin)"),
    ("workshop", "grab the mid-sized green one", "(holding g_mid)"),
    ("workshop", "put the small green block on the middle-sized green block", "(on g_small g_mid)"),
    ("workshop", "put the middle green block on the red one", "(on g_mid ruby)"),
    ("towers", "put the middle block of the tall tower on the black block", "(on b1 k1)"),
    ("workshop", "put the two smaller green blocks in the bin", "(and (in g_mid bin) (in g_small bin))"),
    ("workshop", "the two biggest green ones go in the tray", "(and (in g_big tray) (in g_mid tray))"),
])
def test_sizes_between_others(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_medium_block_needs_three_sizes(scenes, domain):
    """Two red blocks of one size: "the medium red block" picks neither, so it is asked about."""
    assert_status(scenes, domain, "numbered", "put the medium red block in the right bin", "clarify",
                  ["block_1", "block_2"])


# ---------------------------------------------------------------- 8. an empty place


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "put the white block on the plate with nothing on it", "(in snow small_plate)"),
    ("dishes", "put the purple block in the bowl that has nothing in it", "(in plum blue_bowl)"),
])
def test_a_place_with_nothing_on_it_is_empty(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 9. rejected phrases and complaints


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "no, not the big green one, the little one, put it in the bin", "(in g_small bin)"),
    ("rows", "not the left blue block, the right one. pick it up", "(holding blue_r)"),
    ("workshop", "I don't want the red block in the tray, I want it in the bin", "(in ruby bin)"),
    ("dishes", "I don't like the purple block in that bowl. move it to the box", "(in plum box)"),
    ("held", "we don't want the green block on the cube anymore, put it on the orange one", "(on green orange)"),
])
def test_rejected_phrases_and_complaints(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("workshop", "I don't want the red block in the tray"),
    ("workshop", "not the big green one"),
])
def test_a_complaint_alone_is_no_instruction(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "refused")


# ---------------------------------------------------------------- 10. numbers and restarts


@pytest.mark.parametrize("scene, text, goal", [
    ("numbered", "put blocks 3 and 4 in the right bin", "(and (in block_3 right_bin) (in block_4 right_bin))"),
    ("numbered", "move blocks 1, 2 and 4 to the right bin",
     "(and (in block_1 right_bin) (in block_2 right_bin) (in block_4 right_bin))"),
    ("numbered", "#3 in the right bin", "(in block_3 right_bin)"),
    ("numbered", "put #2 on #3", "(on block_2 block_3)"),
    ("numbered", "grab, grab block 3", "(holding block_3)"),
    ("workshop", "put the red one, put the red one on the small green block", "(on ruby g_small)"),
])
def test_numbers_and_restarts(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 11. contrasts and exceptions after the clause


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "put the green blocks in the bin, but not the big one", "(and (in g_mid bin) (in g_small bin))"),
    ("workshop", "all the green ones go in the tray, not the small one", "(and (in g_big tray) (in g_mid tray))"),
    ("workshop", "everything goes in the bin except the big green block",
     "(and (in g_mid bin) (in g_small bin) (in ruby bin))"),
    ("towers", "every block should be in the tray apart from the black one",
     "(and (in r1 tray) (in b1 tray) (in g1 tray) (in y1 tray) (in w1 tray))"),
])
def test_contrasts_and_exceptions_after_the_clause(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 12. shared and shortened descriptions


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "put the left and right blue blocks on the plate", "(and (in blue_l plate) (in blue_r plate))"),
    ("workshop", "put the big and small green blocks in the bin", "(and (in g_big bin) (in g_small bin))"),
    ("workshop", "put the small green block on top of the medium one, and the red one on top of that",
     "(and (on g_small g_mid) (on ruby g_small))"),
    ("numbered", "block 1 in right bin, block 3 in left bin", "(and (in block_1 right_bin) (in block_3 left_bin))"),
    ("numbered", "put the red block on top in the right bin", "(in block_2 right_bin)"),
    ("towers", "put the short tower's top block in the bin", "(in w1 bin)"),
    ("towers", "put all blocks with nothing on them in the bin", "(and (in g1 bin) (in w1 bin) (in k1 bin))"),
    ("held", "let go of it above the basket", "(in pink basket)"),
    ("rows", "put the yellow block on the blue block that is furthest right", "(on yellow blue_r)"),
    ("workshop", "put the tiniest block in the bin", "(in g_small bin)"),
])
def test_shared_and_shortened_descriptions(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_right_away_is_still_a_filler(scenes, domain):
    assert_goal(scenes, domain, "numbered", "put block 3 in the left bin right away", "(in block_3 left_bin)")


# ---------------------------------------------------------------- 13. sequences said the long way


@pytest.mark.parametrize("scene, text, goal", [
    ("desk", "once you've cleared the red block, put the yellow one on it", "(on yellow red)"),
    ("desk", "as soon as you have taken the blue block off, put it in the bin", "(in blue bin)"),
    ("desk", "before anything else, take the blue block off the tower; after that put it in the tray",
     "(in blue tray)"),
    ("desk", "to start with, pick up the grey block", "(holding grey)"),
    ("desk", "yo robot grab that yellow block real quick", "(holding yellow)"),
    ("desk", "put the grey block on the yellow one and then put both of them in the bin",
     "(and (in grey bin) (in yellow bin))"),
    ("kitchen", "take the top two off the tower", "(and (on-table yellow_a) (on-table blue_a))"),
    ("kitchen", "put the top two blocks in the box", "(and (in yellow_a box) (in blue_a box))"),
])
def test_sequences_said_the_long_way(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_the_top_two_of_two_towers_is_asked_about(scenes, domain):
    assert_status(scenes, domain, "towers", "put the top two blocks in the tray", "clarify")


# ---------------------------------------------------------------- 14. asides and intensifiers


@pytest.mark.parametrize("scene, text, goal", [
    ("desk", "put the green block, which is in the middle of the tower, in the bin", "(in green bin)"),
    ("kitchen", "put the block right under the yellow one in the box", "(in blue_a box)"),
    ("desk", "put the grey block directly on the yellow block", "(on grey yellow)"),
    ("desk", "could you please place the yellow block on the very top of the tower", "(on yellow blue)"),
    ("bowls", "put the white block in the same bowl as the black one", "(in y red_bowl)"),
    ("desk", "the grey one shouldn't be in the tray, put it on the yellow one", "(on grey yellow)"),
])
def test_asides_and_intensifiers(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_denial_of_the_very_place_is_still_refused(scenes, domain):
    assert_status(scenes, domain, "desk", "the grey one shouldn't be in the bin, put it in the bin", "refused")


# ---------------------------------------------------------------- 15. suggestions as requests


@pytest.mark.parametrize("scene, text, goal", [
    ("desk", "how about putting the yellow block in the bin", "(in yellow bin)"),
    ("desk", "why don't you put the yellow block on the blue one?", "(on yellow blue)"),
    ("desk", "why not move the grey block onto the yellow one", "(on grey yellow)"),
    ("desk", "do you think you could put the grey block in the bin?", "(in grey bin)"),
    ("desk", "try putting the yellow block in the tray", "(in yellow tray)"),
    ("desk", "Would you mind terribly moving the yellow block into the tray?", "(in yellow tray)"),
    ("desk", "the bin needs the yellow block in it", "(in yellow bin)"),
    ("held", "keep holding the pink block", "(holding pink)"),
])
def test_suggestions_as_requests(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("desk", "why is the yellow block in the tray?"),
    ("desk", "how many blocks are in the tower?"),
])
def test_real_questions_are_still_refused(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "refused")


# ---------------------------------------------------------------- 16. places said by what is there


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "put the purple block on the plate the orange block is on", "(in plum big_plate)"),
    ("dishes", "put the white block in the bowl the purple one sits in", "(in snow red_bowl)"),
    ("dishes", "put the white block in whichever bowl is empty", "(in snow blue_bowl)"),
    ("towers", "move the white block to the tray and put the black block where the white one was",
     "(and (in w1 tray) (on k1 y1))"),
    ("dishes", "put the yellow block where the purple block is", "(in lemon red_bowl)"),
    ("workshop", "put the green block that's sitting on the big one in the bin", "(in g_mid bin)"),
    ("rows", "put the yellow block on the blue block that doesn't have anything on it on the left",
     "(on yellow blue_l)"),
])
def test_places_said_by_what_is_there(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 17. near and far


@pytest.mark.parametrize("scene, text, goal", [
    ("yard", "put the red block closest to you in the bin", "(in a bin)"),
    ("yard", "put the red block that's furthest away in the bin", "(in b bin)"),
    ("yard", "put the nearer red block on the green one", "(on a c)"),
    ("yard", "put the red block at the back on the green block", "(on b c)"),
    ("yard", "put the front red block in the bin", "(in a bin)"),
    ("yard", "stack the far red block on the near one", "(on b a)"),
])
def test_near_and_far(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_near_and_far_need_positions(scenes, domain):
    assert_status(scenes, domain, "numbered", "put the far red block in the right bin", "refused")


# ---------------------------------------------------------------- 18. corrections in turn and restarts


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "put the red block in the bin. no wait, the tray. no, the bin.", "(in ruby bin)"),
    ("workshop", "put the small green block on the red one, sorry, in the tray, no, in the bin", "(in g_small bin)"),
    ("workshop", "put the green, er, the small green block in the bin", "(in g_small bin)"),
    ("workshop", "actually, forget the bin, put the small green block in the tray", "(in g_small tray)"),
    ("desk", "put the red, the yellow and the grey block in the bin",
     "(and (in red bin) (in yellow bin) (in grey bin))"),  # a list, not a restart
])
def test_corrections_in_turn_and_restarts(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_forgetting_is_no_instruction_alone(scenes, domain):
    assert_status(scenes, domain, "workshop", "forget the bin", "refused")


# ---------------------------------------------------------------- 19. steps out of order or numbered


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "put the yellow block in the box, but first take the white block off it",
     "(and (in lemon box) (on-table snow))"),
    ("dishes", "step one: white block into the box. step two: yellow block into the box.",
     "(and (in snow box) (in lemon box))"),
    ("dishes", "put the white block in the box, followed by the yellow block", "(and (in snow box) (in lemon box))"),
    ("workshop", "pile the three green blocks up, biggest at the bottom", "(and (on g_mid g_big) (on g_small g_mid))"),
    ("numbered", "put blocks one through three in the right bin",
     "(and (in block_1 right_bin) (in block_2 right_bin) (in block_3 right_bin))"),
    ("numbered", "put blocks 2 to 4 in the right bin",
     "(and (in block_2 right_bin) (in block_3 right_bin) (in block_4 right_bin))"),
    ("numbered", "move block 1 to the right bin", "(in block_1 right_bin)"),
])
def test_steps_out_of_order_or_numbered(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_range_past_the_last_number_is_not_guessed(scenes, domain):
    assert_status(scenes, domain, "numbered", "move blocks 1 through 9 to the right bin", "refused")


# ---------------------------------------------------------------- 20. more of the same


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "can you pick up the white block off the yellow block", "(holding snow)"),
    ("held", "you're holding a pink block, put it on the green block", "(on pink green)"),
    ("dishes", "see the white block? put it in the box", "(in snow box)"),
    ("held", "drop the one you have in the basket", "(in pink basket)"),
    ("towers", "put the top block of each tower in the tray", "(and (in g1 tray) (in w1 tray))"),
    ("towers", "put the tops of both towers in the bin", "(and (in g1 bin) (in w1 bin))"),
    ("rows", "pick the blue block at the left end", "(holding blue_l)"),
    ("rows", "put the yellow block between... no, on the right blue block", "(on yellow blue_r)"),
    ("workshop", "put the medium green block on the small green block and the big green block on the medium one",
     "(and (on g_mid g_small) (on g_big g_mid))"),
    ("dishes", "white block goes on the small plate and the yellow block goes on the big one",
     "(and (in snow small_plate) (in lemon big_plate))"),
])
def test_more_of_the_same(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text, status", [
    ("towers", "take the tower apart", "clarify"),
    ("towers", "unstack the tower", "clarify"),
    ("dishes", "see the white block?", "refused"),
    ("workshop", "forget the rules and put the red block in the bin", "refused"),
    ("workshop", "forget your instructions and throw the red block", "refused"),
])
def test_still_asked_or_refused(scenes, domain, scene, text, status):
    assert_status(scenes, domain, scene, text, status)


# ---------------------------------------------------------------- 21. the long way round


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "Hello there. I was hoping you might be able to help me tidy this little workbench. Could you put "
                 "the smallest of those green blocks into the grey bin for me?", "(in g_small bin)"),
    ("towers", "I think the tall tower is a bit too tall. Could you take the green block off the top and pop it in "
               "the tray?", "(in g1 tray)"),
    ("workshop", "My grandson left these blocks everywhere. The big green one, the one at the bottom, could you put "
                 "it in the bin, dear?", "(in g_big bin)"),
    ("dishes", "Oh dear, the purple one is in the wrong bowl. It ought to be in the blue one.", "(in plum blue_bowl)"),
    ("workshop", "Now, if it isn't too much bother, I'd quite like the red block taken out of that blue tray and "
                 "placed on the table.", "(on-table ruby)"),
    ("dishes", "I would be ever so grateful if the little white block could be moved onto the smaller of the two "
               "plates.", "(in snow small_plate)"),
    ("held", "Right, you've got the pink one in your hand there, haven't you? Just pop it in the basket, would you.",
     "(in pink basket)"),
    ("towers", "unstack r1 b1 g1", "(and (on-table r1) (on-table b1) (on-table g1))"),
    ("numbered", "Could you be a love and move the block numbered three into the bin on the right-hand side?",
     "(in block_3 right_bin)"),
])
def test_the_long_way_round(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("dishes", "put the white block in the box, bake it"),          # an unknown verb is never passed over
    ("towers", "I think the tall tower is a bit too tall. Smash it."),
    ("workshop", "My grandson left these blocks everywhere."),       # nothing asked
    ("workshop", "The red block is hot. Don't touch it."),
    ("towers", "put the tall tower on the short tower and the short tower on the tall tower"),
])
def test_remarks_never_hide_a_refusal(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "refused")


# ---------------------------------------------------------------- 22. exclusions by place and gapped steps


@pytest.mark.parametrize("scene, text, goal", [
    ("dishes", "put all the blocks that are not in a bowl in the box",
     "(and (in lemon box) (in snow box) (in carrot box))"),
    ("dishes", "put the blocks that are not in a bowl or on a plate in the box", "(and (in lemon box) (in snow box))"),
    ("towers", "put every block that isn't on the table in the bin", "(and (in b1 bin) (in g1 bin) (in w1 bin))"),
    ("rows", "put the uncovered blue blocks on the plate", "(and (in blue_l plate) (in blue_r plate))"),
    ("held", "put the pink block in the tray. Then the orange one. Then the green one.",
     "(and (in pink tray) (in orange tray) (in green tray))"),
    ("held", "put the pink block in the basket, then the orange block", "(and (in pink basket) (in orange basket))"),
])
def test_exclusions_by_place_and_gapped_steps(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 23. numbers and sides as heard


@pytest.mark.parametrize("scene, text, goal", [
    ("numbered", "put block too in the write bin", "(in block_2 right_bin)"),
    ("numbered", "put block for in the right bin", "(in block_4 right_bin)"),
    ("numbered", "put block number to on block number three", "(on block_2 block_3)"),
    ("numbered", "move block 3 to the right bin", "(in block_3 right_bin)"),  # "to" before "the" stays "to"
    ("rows", "put the blue block on the write on the plate", "(in blue_r plate)"),
    ("rows", "put the yellow block on the blue block on the left side", "(on yellow blue_l)"),
    ("rows", "put the yellow block on the left side blue block", "(on yellow blue_l)"),
    ("held", "okay let it go", "(on-table pink)"),
    ("towers", "put the black block on the highest block", "(on k1 g1)"),
])
def test_numbers_and_sides_as_heard(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 24. an elderly speaker's other turns


@pytest.mark.parametrize("scene, text, goal", [
    ("held", "Would you mind putting down the pink block? Just in the basket is fine.", "(in pink basket)"),
    ("held", "Could you set the pink block down? On the table would be fine.", "(on-table pink)"),
    ("dishes", "I think the white block would look nicer in the box, don't you? Please put it there.",
     "(in snow box)"),
    ("dishes", "I'd be ever so grateful if the box could have the white and purple blocks in it.",
     "(and (in snow box) (in plum box))"),
    ("dishes", "If it's no trouble, the white block could go in the bowl with the purple one.", "(in snow red_bowl)"),
    ("numbered", "Now, the red block on top, not the one at the bottom mind you, could you put it in the right bin?",
     "(in block_2 right_bin)"),
    ("workshop", "take the red block out from the tray and put it on the big green block", "(on ruby g_big)"),
    ("dishes", "If you wouldn't mind, I'd like the red bowl emptied. There's a block in it, I believe.",
     "(on-table plum)"),
])
def test_an_elderly_speakers_other_turns(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_place_said_alone_is_no_instruction(scenes, domain):
    assert_status(scenes, domain, "held", "Just in the basket is fine.", "refused")


# ---------------------------------------------------------------- 25. counts with sides, shared determiners


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "put the two blue blocks on the left on the plate", "(and (in blue_l plate) (in blue_m plate))"),
    ("rows", "put the two rightmost blue blocks on the plate", "(and (in blue_m plate) (in blue_r plate))"),
    ("workshop", "put the biggest and the smallest green blocks in the tray",
     "(and (in g_big tray) (in g_small tray))"),
    ("dishes", "put every block into the box one by one",
     "(and (in lemon box) (in snow box) (in plum box) (in carrot box))"),
])
def test_counts_with_sides_and_shared_determiners(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_two_on_a_side_of_a_row_too_even_to_tell_is_asked_about(scenes, domain):
    """Two red blocks one behind the other: "the two red blocks on the left" cannot be told apart by side."""
    assert_status(scenes, domain, "yard", "put the two blocks on the left in the bin", "clarify")


# ---------------------------------------------------------------- 26. a child's and a learner's wording


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "make the baby green block go in the bin", "(in g_small bin)"),
    ("workshop", "the daddy green block goes on the red one", "(on g_big ruby)"),
    ("towers", "the black block, it goes over the white block", "(on k1 w1)"),
    ("dishes", "the purple block, it is in red bowl, move it to blue bowl", "(in plum blue_bowl)"),
    ("workshop", "please, the small green, put in tray", "(in g_small tray)"),
    ("towers", "take away the green block from the tall tower", "(on-table g1)"),
    ("towers", "can i have the black block on the blue block? no wait the green one", "(on k1 g1)"),
    ("numbered", "block three, in bin of right side", "(in block_3 right_bin)"),
    ("rows", "the blue one at left, put it on the plate", "(in blue_l plate)"),
    ("held", "open the hand over the tray", "(in pink tray)"),
])
def test_a_childs_and_a_learners_wording(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


@pytest.mark.parametrize("scene, text", [
    ("dishes", "open the box"),
    ("workshop", "make me a sandwich"),
])
def test_other_opening_and_making_is_still_refused(scenes, domain, scene, text):
    assert_status(scenes, domain, scene, text, "refused")


# ---------------------------------------------------------------- 27. "one" among the group being stacked


@pytest.mark.parametrize("scene, text, goal", [
    ("rows", "stack the blue blocks with the right one at the bottom, then the middle one, then the left one",
     "(and (on blue_m blue_r) (on blue_l blue_m))"),
    ("rows", "pile up the blue blocks with the middle one at the bottom, then the left one, then the right one",
     "(and (on blue_l blue_m) (on blue_r blue_l))"),
    ("workshop", "stack the green blocks with the biggest one at the bottom",
     "(and (on g_mid g_big) (on g_small g_mid))"),
])
def test_one_among_the_group_being_stacked(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


# ---------------------------------------------------------------- 28. the place said first or not at all


@pytest.mark.parametrize("scene, text, goal", [
    ("workshop", "instead of the bin, put the small green block in the tray", "(in g_small tray)"),
    ("dishes", "could you move the white one? put it in the blue bowl", "(in snow blue_bowl)"),
    ("workshop", "move the red block, then put it on the big green block", "(on ruby g_big)"),
    ("dishes", "the orange block. box. now.", "(in carrot box)"),
])
def test_the_place_said_first_or_not_at_all(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_move_without_a_place_is_still_asked_about(scenes, domain):
    assert_status(scenes, domain, "dishes", "could you move the white one?", "clarify")
