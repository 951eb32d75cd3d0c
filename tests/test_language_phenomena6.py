"""The rule parser on the phenomena the scenario instructions (tests/test_language_scenarios.py) exposed.

Each is specified as a phenomenon, in several phrasings (most not the scenario's own):

1. a group named as a heading, then what goes on what ("stack the little cubes: green on red, blue on
   green"): the group is not a theme (read as one, every cube went on red, red too: ``(on red red)``), and
   a step naming a block outside the group is not read as a step;
2. one stack told by the region it stands in ("the tower in the bin", "the stack inside the tray"), for
   reversing ("flip", "turn ... upside down", "reverse") and moving;
3. where a tower is to stand, said before its order ("stack them on the table with red at the bottom,
   then blue, then green", "in the bin, ..."), and a group of three with only its two ends named (the
   block left goes between them, where the middle one used to be dropped);
4. "from the middle / the left / the right" after a block: where it is taken from, said of the block;
5. "empty the bin onto the table": every block out, those stacked in it too (not only its bottom one);
6. "sort the blocks by colour into the trays": the places after "by colour" are the regions sorted into;
7. engineer shorthand (held-out 5): colour initials joined by hyphens ("stack b-g-r"), an end of the
   tower named by a bare position word (", base blue"), a heading before a colon ("white: bowl -> plate",
   "load box: red_b, white_a");
8. "take the top block off each tower / both towers": a block named by its place in a stack, from every
   stack; "the first two blocks", "the last two": where blocks are numbered, counted by their numbers;
9. "in different / separate bowls": one place each, any one-to-one assignment (alternatives); more
   blocks than places is refused.

Scenes are the scenario fixtures (their ``instruction`` and ``goal`` are not used here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.scene import load_scene
from language_asserts import assert_goal, assert_status

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIM = Path(__file__).resolve().parent.parent / "sim" / "scenarios"
DATA = Path(__file__).resolve().parent / "data" / "scenes"
SCENES = {
    "cubes": FIXTURES / "scenarios_heldout2/h2_06_tiny_blocks_tower.yaml",       # red, green, blue, yellow
    "bin_tower": FIXTURES / "scenarios_heldout2/h2_23_reverse_tower_in_bin.yaml",  # red<green<blue<yellow in bin
    "tray_tower": FIXTURES / "scenarios_heldout2/h2_14_invert_tower_in_tray.yaml",  # red<green<blue in tray
    "two_towers": FIXTURES / "scenarios_heldout/h04_everything_in_bin.yaml",       # red<green<blue, yellow<white
    "bin_loose": FIXTURES / "scenarios_heldout2/h2_13_empty_bin_to_tower.yaml",    # red<green in bin, blue in bin
    "row": FIXTURES / "scenarios_heldout2/h2_05_touching_row.yaml",                # red, green, blue in a row
    "unload": FIXTURES / "scenarios_heldout2/h2_24_unload_bin_onto_crowded_table.yaml",  # a<b<c in bin; d..h
    "trays": SIM / "sort_by_colour.yaml",                                           # red1, red2, blue1, blue2
    "desk": FIXTURES / "scenes/ho2_desk.yaml",       # red < green < blue, yellow; grey in tray; tray, bin
    "kitchen": FIXTURES / "scenes/ho5_kitchen.yaml",  # red_a < green_a < blue_a < yellow_a; red_b; white_a in bowl
    "towers": DATA / "towers_h6.yaml",      # r1 < b1 < g1, y1 < w1, k1 alone; tray, bin
    "numbered": DATA / "numbered_h6.yaml",  # block_1 (red) < block_2 (red); block_3 (blue); block_4 in left_bin
    "dishes": DATA / "dishes_h6.yaml",      # lemon < snow; plum in red_bowl; carrot in big_plate; blue_bowl, ...
}


@pytest.fixture(scope="module")
def scenes(domain):
    return {name: load_scene(path, domain) for name, path in SCENES.items()}


# ---------------------------------------------------------------- 1. a group as a heading, then steps

CUBES3 = "(and (on green red) (on blue green) (on yellow blue))"


@pytest.mark.parametrize("text, goal", [
    ("stack the little cubes: green on red, blue on green, yellow on blue", CUBES3),
    ("stack the cubes: green on red, blue on green and yellow on blue", CUBES3),
    ("stack the cubes as follows: green on red, then blue on green, then yellow on blue", CUBES3),
    ("pile up the blocks: green on red, blue on green, yellow on blue", CUBES3),
    ("stack the red, green and blue cubes: blue on red, green on blue", "(and (on blue red) (on green blue))"),
    ("stack the cubes: green on red and blue on green, then clear the yellow one",
     "(and (on green red) (on blue green) (clear yellow))"),
])
def test_a_group_heading_is_followed_by_the_steps(scenes, domain, text, goal):
    assert_goal(scenes, domain, "cubes", text, goal)


@pytest.mark.parametrize("text", [
    "stack the red and green cubes: blue on red",   # blue is not one of the group
    "stack the little cubes: red on red",
])
def test_a_heading_never_puts_a_block_on_itself(scenes, domain, text):
    assert_status(scenes, domain, "cubes", text, "refused")


# ---------------------------------------------------------------- 2. the stack in a region

BIN_REVERSED = "(and (in yellow bin) (on blue yellow) (on green blue) (on red green))"
TRAY_REVERSED = "(and (in blue tray) (on green blue) (on red green))"


@pytest.mark.parametrize("scene, text, goal", [
    ("bin_tower", "turn the tower in the bin upside down", BIN_REVERSED),
    ("bin_tower", "reverse the stack in the bin", BIN_REVERSED),
    ("bin_tower", "flip the stack inside the bin", BIN_REVERSED),
    ("bin_tower", "move the tower in the bin to the table",
     "(and (on-table red) (on green red) (on blue green) (on yellow blue))"),
    ("tray_tower", "flip the stack in the tray so that blue is at the bottom and red is on top", TRAY_REVERSED),
    ("tray_tower", "turn the stack in the tray upside down", TRAY_REVERSED),
    ("tray_tower", "flip the tower in the tray", TRAY_REVERSED),
])
def test_a_stack_is_told_by_the_region_it_stands_in(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_a_stack_said_to_be_in_a_region_must_be_there(scenes, domain):
    """Two stacks on the table and none in the bin: "the tower in the bin" is not either of them."""
    assert_status(scenes, domain, "two_towers", "turn the tower in the bin upside down", "refused")


def test_the_reversed_stack_is_checked_against_the_order_said(scenes, domain):
    assert_status(scenes, domain, "tray_tower", "flip the stack in the tray so that red is at the bottom",
                  "clarify", ["red", "green", "blue"])


# ---------------------------------------------------------------- 3. where a tower stands, then its order

TABLE_TOWER = "(and (on-table red) (on blue red) (on green blue))"


@pytest.mark.parametrize("text, goal", [
    ("take the blocks out of the bin and stack them on the table with red at the bottom, then blue, then green",
     TABLE_TOWER),
    ("stack them on the table, red at the bottom, then blue, then green", TABLE_TOWER),
    ("take the blocks out of the bin and stack them on the table with green on top, red at the bottom",
     TABLE_TOWER),
    # a group's two ends named: the one block left goes between them
    ("stack the blocks with red at the bottom and green on top", "(and (on blue red) (on green blue))"),
    ("stack them in the bin with green at the bottom, then red, then blue",
     "(and (in green bin) (on red green) (on blue red))"),
    # without a place the tower's base stays where it is (the red block's place is not asked for)
    ("stack them with red at the bottom, then blue, then green", "(and (on blue red) (on green blue))"),
])
def test_a_tower_stands_where_it_is_said_to(scenes, domain, text, goal):
    assert_goal(scenes, domain, "bin_loose", text, goal)


def test_a_group_of_more_than_three_with_only_its_ends_named_is_asked_about(scenes, domain):
    """Six blocks, red at the bottom and green on top: which of the other four go between is not said."""
    assert_status(scenes, domain, "two_towers", "stack the blocks with red at the bottom and green on top",
                  "clarify", ["blue", "yellow", "white", "black"])


# ---------------------------------------------------------------- 4. "from the middle" said of a block

@pytest.mark.parametrize("text, goal", [
    ("take the green block from the middle and put it on the blue one", "(and (on green blue))"),
    ("take the block from the middle and put it on the red one", "(and (on green red))"),
    ("move the green block from the middle to the blue one", "(and (on green blue))"),
    ("take the green block from the middle", "(and (holding green))"),
])
def test_from_a_side_says_where_the_block_is(scenes, domain, text, goal):
    assert_goal(scenes, domain, "row", text, goal)


# ---------------------------------------------------------------- 5. emptying a region onto the table

UNLOADED = "(and (on-table a) (on-table b) (on-table c))"


@pytest.mark.parametrize("text, goal", [
    ("empty the bin onto the table", UNLOADED),
    ("empty the bin out onto the table", UNLOADED),
    ("empty the bin on the table", UNLOADED),
    ("empty the bin onto the table, then put the yellow block on the black one and the white one on the "
     "yellow one", "(and (on-table a) (on-table b) (on-table c) (on d h) (on e d))"),
])
def test_emptying_onto_the_table_takes_out_every_block(scenes, domain, text, goal):
    assert_goal(scenes, domain, "unload", text, goal)


# ---------------------------------------------------------------- 6. "by colour into the trays"

SORTED = "(and (in red1 red_tray) (in red2 red_tray) (in blue1 blue_tray) (in blue2 blue_tray))"


@pytest.mark.parametrize("text", [
    "sort the blocks by colour into the trays",
    "sort everything by colour into their trays",
    "put the blocks by colour in the trays",
    "sort the blocks into the trays by colour",
])
def test_by_colour_then_the_regions_sorted_into(scenes, domain, text):
    assert_goal(scenes, domain, "trays", text, SORTED)


# ---------------------------------------------------------------- 7. engineer shorthand

@pytest.mark.parametrize("scene, text, goal", [
    ("desk", "stack b-g-r, base blue", "(and (on green blue) (on red green))"),
    ("desk", "stack b-g-r, top red", "(and (on green blue) (on red green))"),
    ("desk", "stack b-g-r, base red", "(and (on green red) (on blue green))"),   # the base said turns the list
    ("desk", "stack y-b-g-r, base yellow", "(and (on blue yellow) (on green blue) (on red green))"),
    ("desk", "stack blue-green-red, base blue", "(and (on green blue) (on red green))"),
    ("desk", "grey: tray -> bin", "(in grey bin)"),
    ("kitchen", "white: bowl -> plate", "(in white_a plate)"),
    ("kitchen", "white: the bowl -> the plate", "(in white_a plate)"),
    ("kitchen", "load box: red_b, white_a", "(and (in red_b box) (in white_a box))"),
    ("kitchen", "fill the plate: red_b and white_a", "(and (in red_b plate) (in white_a plate))"),
])
def test_engineer_shorthand_is_read(scenes, domain, scene, text, goal):
    assert_goal(scenes, domain, scene, text, goal)


def test_colour_initials_without_an_end_still_ask_for_the_order(scenes, domain):
    assert_status(scenes, domain, "desk", "stack b-g-r", "clarify")


def test_a_shorthand_move_from_the_wrong_place_is_not_a_goal(scenes, domain):
    """The yellow block is on the table, not in the tray: "yellow, tray to bin" is not carried out."""
    assert_status(scenes, domain, "desk", "yellow, tray to bin", "refused")


# ---------------------------------------------------------------- 8. each tower; the first few by number

@pytest.mark.parametrize("text, goal", [
    ("take the top block off each tower", "(and (on-table g1) (on-table w1))"),
    ("take the top block off both towers", "(and (on-table g1) (on-table w1))"),
    ("remove the top block from each stack", "(and (on-table g1) (on-table w1))"),
    ("take the top block off each tower and put them in the bin", "(and (in g1 bin) (in w1 bin))"),
    ("take the second block from the top off each tower", "(and (on-table b1) (on-table y1))"),
])
def test_a_place_in_a_stack_off_each_tower_is_every_stack(scenes, domain, text, goal):
    assert_goal(scenes, domain, "towers", text, goal)


def test_the_top_block_of_one_tower_among_two_is_still_asked_about(scenes, domain):
    assert_status(scenes, domain, "towers", "take the top block off the tower", "clarify", ["g1", "w1"])


@pytest.mark.parametrize("text, goal", [
    ("put the first two blocks in the right bin", "(and (in block_1 right_bin) (in block_2 right_bin))"),
    ("move the last two blocks to the right bin", "(and (in block_3 right_bin) (in block_4 right_bin))"),
    ("put the first three blocks in the right bin",
     "(and (in block_1 right_bin) (in block_2 right_bin) (in block_3 right_bin))"),
])
def test_the_first_few_numbered_blocks_are_the_lowest_numbers(scenes, domain, text, goal):
    assert_goal(scenes, domain, "numbered", text, goal)


def test_the_first_few_is_never_a_goal_where_the_blocks_have_no_order(scenes, domain):
    """r1, b1, g1, ...: every name ends in 1, so there is no first two to count."""
    assert_status(scenes, domain, "towers", "put the first two blocks in the tray", "refused")


# ---------------------------------------------------------------- 9. in different places

APART = "(or (and (in lemon red_bowl) (in plum blue_bowl)) (and (in lemon blue_bowl) (in plum red_bowl)))"


@pytest.mark.parametrize("text, goal", [
    ("put the lemon and the plum in different bowls", APART),
    ("put the yellow block and the purple block in separate bowls", APART),
    ("put the lemon and the plum in two different bowls", APART),
    ("put the lemon and the carrot on different plates",
     "(or (and (in lemon big_plate) (in carrot small_plate)) (and (in lemon small_plate) (in carrot big_plate)))"),
])
def test_different_places_are_one_each(scenes, domain, text, goal):
    assert_goal(scenes, domain, "dishes", text, goal)


def test_more_blocks_than_different_places_is_refused(scenes, domain):
    assert_status(scenes, domain, "dishes", "put the yellow, white and orange blocks in different bowls", "refused")
