"""Second blind round: tests/fixtures/scenarios_heldout2/ (20 scenarios written before reading the
executor or the simulator), run on real physics with ground truth and judged from the simulator's bodies.

They stress what round one did not: blocks close to the robot's base and out at the table's sides, a
tight 3x3 grid and ten blocks at random, blocks pushed together, 3 cm and 7 cm cubes, 6 cm and 4 cm
blocks alternating in one tower, stacks built inside a bin, on a plate and upside down in a tray, a
bowl of two, a bin emptied into a tower, blocks trading regions, three-clause instructions, a block
held at the start, and goals that must be refused (two blocks in a one-block tray, a 7 cm block in
a 6 cm bowl).

First run (before any code changed): 16 of 20 passed (34 s on 2 busy cores). It failed h2_03 (no grasp
of a block in the tight grid), h2_04 (three blocks refused for the default tray), h2_06 (no grasp of a
3 cm cube beside another) and h2_18 (a 7 cm block for a 6 cm bowl was tried, not refused).

Now 20 of 20. The fixes are general: a snug grasp high on the block, where only the thin fingertips go
down beside it, when packed neighbours leave no room lower (h2_03); a held block put down where the
block is, not where the hand is, so the few millimetres it sits off centre do not add up storey by
storey until a tower of small cubes topples (h2_06: that, not the grasp, was the first fault; the
fallen cubes then lay touching); no place in a region narrower than a block plus the fingertips, so
such a goal is refused before motion (h2_18); and unpinned blocks too many for places drawn at random
packed on a grid instead of failing to build (h2_04, whose three blocks were also more than a 16 cm
tray holds with the fingers' room, a rule round one settled in h13: the scenario now has a 22 cm tray).

h2_21 to h2_24 were written after reading the code, to probe what the fixes above left: all four
failed first. A bin beyond reach and a block against the robot's base were found only half way
through the task, after other blocks had moved (now a plan's picks and region places are checked for
reach before anything moves); a tower turned upside down in a bin had its new base put right behind
the old tower, where the forearm cannot pass (now a region place behind a tall stack comes last); and
a bin unloaded onto a full block area found no place (now the table just beyond it is used).
"""

from __future__ import annotations

from pathlib import Path

import math

import pytest

from lam_robot.scene import scene_from_dict
from lam_robot.sim.layout import region_slots
from lam_robot.sim.scenario import load_scenario, run_scenario

pytest.importorskip("pybullet", reason="the simulator needs `pip install pybullet`")

FOLDER = Path(__file__).resolve().parent / "fixtures" / "scenarios_heldout2"
#: what still fails, and why (a scenario listed here that passes fails the test: update the list)
KNOWN_GAPS: dict[str, str] = {}


def _key(path: Path) -> str:
    return "_".join(path.stem.split("_")[:2])


def _param(path: Path):
    marks = [pytest.mark.slow]
    if _key(path) in KNOWN_GAPS:
        marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[_key(path)], strict=True))
    return pytest.param(path, id=path.stem, marks=marks)


def test_the_second_heldout_round_is_many_and_varied(domain):
    scenarios = [load_scenario(p, domain) for p in sorted(FOLDER.glob("*.yaml"))]
    assert len(scenarios) >= 24
    assert any(len(s.scene.blocks) >= 9 for s in scenarios)
    assert len({s.scene.objects[b].size for s in scenarios for b in s.scene.blocks}) >= 4
    assert any(any(f.predicate == "holding" for f in s.scene.facts) for s in scenarios)
    assert sum(not s.feasible for s in scenarios) >= 2


@pytest.mark.parametrize("path", [_param(p) for p in sorted(FOLDER.glob("*.yaml"))])
def test_heldout2_scenario(path, domain, motion_planner):
    scenario = load_scenario(path, domain)
    report = run_scenario(scenario, seed=0, domain=domain, motion_planner=motion_planner)
    assert report.success, report.reason
    if scenario.feasible:
        assert report.checks and all(c.ok for c in report.checks)
    else:
        assert report.refused and not report.moved


# ---------------------------------------------------------------- the fixes, each on its own


def test_a_block_wider_than_a_region_has_no_place_in_it():
    assert region_slots((0.5, 0.3), (0.06, 0.06), 0.07) == []  # a 7 cm block, a 6 cm bowl
    assert len(region_slots((0.5, 0.3), (0.10, 0.10), 0.05)) == 1  # a 10 cm tray still takes a 5 cm block


def test_more_unpinned_blocks_than_random_places_leave_room_for_are_packed(domain):
    from lam_robot.sim.world import BLOCK_AREA, MIN_BLOCK_SPACING, SimWorld

    names = [f"b{i}" for i in range(11)]
    scene = scene_from_dict({"objects": {n: {"type": "block"} for n in names},
                             "init": [f"(on-table {n})" for n in names]}, domain)
    with SimWorld.from_scene(scene, seed=0, visual=False) as world:
        xy = [world.object_pose(n)[0][:2] for n in names]
    assert all(math.dist(a, b) >= MIN_BLOCK_SPACING for i, a in enumerate(xy) for b in xy[i + 1:])
    (x0, x1), (y0, y1) = BLOCK_AREA
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in xy)


@pytest.mark.parametrize("yaw", [0.0, 0.7, -math.pi / 2, 2.5])
def test_the_hand_goes_where_the_held_block_lands_on_the_spot(yaw):
    from lam_robot.execution.skills import _hand_xy

    spot, offset = (0.45, -0.1), (0.002, -0.008, 0.003)  # 8 mm off centre, as a 3 cm cube is held
    hand = _hand_xy(spot, yaw, offset)
    assert math.dist(hand, spot) == pytest.approx(math.hypot(*offset[:2]), abs=1e-9)
    # the grasp frame points down (roll pi): its y axis is the world's turned by yaw and flipped
    lands = (hand[0] + offset[0] * math.cos(yaw) + offset[1] * math.sin(yaw),
             hand[1] + offset[0] * math.sin(yaw) - offset[1] * math.cos(yaw))
    assert lands == pytest.approx(spot, abs=1e-9)
    assert _hand_xy(spot, yaw, (0.0, 0.0, 0.003)) == pytest.approx(spot, abs=1e-12)


def _skills(world, domain, motion_planner):
    from lam_robot.execution.controller import PyBulletArmController
    from lam_robot.execution.skills import SkillLibrary
    from lam_robot.sim.ground_truth import GroundTruthObserver

    observer = GroundTruthObserver(world, domain)
    return SkillLibrary(PyBulletArmController(world), observer, motion_planner), observer


def test_a_plan_that_reaches_too_far_is_found_out_before_anything_moves(domain, motion_planner):
    from lam_robot.planning import plan_request
    from lam_robot.sim.world import SimWorld

    scene = scene_from_dict({"objects": {
        "red": {"type": "block", "color": "red", "position": [0.45, 0.1]},
        "green": {"type": "block", "color": "green", "position": [0.24, 0.0]},
        "tray": {"type": "tray", "position": [0.45, -0.35]}, "bin": {"type": "bin", "position": [0.72, -0.42]}},
        "init": ["(on-table red)", "(on-table green)"]}, domain)
    with SimWorld.from_scene(scene, visual=False) as world:
        skills, observer = _skills(world, domain, motion_planner)
        state = observer.observe()

        def verdict(goal):
            return skills.out_of_reach(plan_request(goal, state.scene, domain).plan, state)

        assert verdict("(and (in red tray))") == ""
        assert "bin is out of the arm's reach" in verdict("(and (in red bin))")
        assert "green block is out of the arm's reach" in verdict("(and (on green red))")


def test_a_block_set_down_in_a_region_goes_where_no_tall_stack_stands_between_it_and_the_robot(
        domain, motion_planner):
    from lam_robot.sim.world import SimWorld

    scene = scene_from_dict({"objects": {
        "a": {"type": "block"}, "b": {"type": "block"}, "c": {"type": "block"}, "d": {"type": "block"},
        "bin": {"type": "bin", "size": 0.2}}, "init": ["(in a bin)", "(on b a)", "(on c b)", "(holding d)"]}, domain)
    with SimWorld.from_scene(scene, visual=False) as world:
        skills, observer = _skills(world, domain, motion_planner)
        state = observer.observe()
        tower = world.object_pose("a")[0]
        spot = skills.free_region_spot(state, "bin", "d")
        nearest_free = region_slots(world.regions["bin"].center, world.regions["bin"].inner, 0.05)[1]
        assert spot != nearest_free and math.dist(spot, tower[:2]) > 0.12  # the far side, not behind it


def test_a_full_block_area_leaves_blocks_a_place_just_beyond_it(domain, motion_planner):
    from lam_robot.execution.skills import TABLE_AREA, TABLE_AREA_WIDE, TABLE_SPACING
    from lam_robot.sim.world import SimWorld

    names = [f"b{i}" for i in range(12)]
    scene = scene_from_dict({"objects": {**{n: {"type": "block"} for n in names}, "top": {"type": "block"}},
                             "init": [f"(on-table {n})" for n in names] + ["(on top b0)"]}, domain)
    with SimWorld.from_scene(scene, seed=0, visual=False) as world:
        skills, observer = _skills(world, domain, motion_planner)
        state = observer.observe()
        spot = skills.free_table_spot(state, "top", near=world.object_pose("top")[0])
    (x0, x1), (y0, y1) = TABLE_AREA
    (wx0, wx1), (wy0, wy1) = TABLE_AREA_WIDE
    assert spot is not None and not (x0 <= spot[0] <= x1 and y0 <= spot[1] <= y1)
    assert wx0 <= spot[0] <= wx1 and wy0 <= spot[1] <= wy1
    assert all(math.dist(spot, state.scene.objects[n].attributes["pose"][:2]) >= TABLE_SPACING for n in names)
