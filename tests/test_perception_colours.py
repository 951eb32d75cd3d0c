"""Perception sees blocks whatever their colour: real PyBullet renders, the shipped detector, no mocks.

The detector was trained on eight colours; grey, pink, brown, dark green... are
rendered in their own colours and found by colour (a known scene) or by depth
alone (whatever compact thing stands on the table and nothing else explains).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lam_robot.perception import make_observer
from lam_robot.perception.detector import YoloDetector
from lam_robot.perception.lifting import colour_mask
from lam_robot.perception.palette import Palette
from lam_robot.scene import Scene, SceneObject, complete_facts, load_scene
from lam_robot.sim.appearance import COLORS, NAMED_COLORS, color_rgba, normalize_color
from lam_robot.sim.scenario import load_scenario, run_scenario
from lam_robot.sim.world import SimWorld
from lam_robot.symbolic.atoms import Atom

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def detector():
    return YoloDetector()


def on_table_scene(colours, spacing_m=0.11):
    """Blocks of these colours standing apart on the table, named after their colour."""
    objects, facts = {}, []
    for k, colour in enumerate(colours):
        name = colour.replace(" ", "_")
        xy = [0.36 + spacing_m * (k // 3), -0.15 + 0.15 * (k % 3)]
        objects[name] = SceneObject(name, "block", colour, None, None, {"position": xy})
        facts.append(Atom("on-table", (name,)))
    return Scene(objects, complete_facts(objects, facts), "colours")


def test_colour_words_people_use_have_an_rgb_and_one_spelling():
    assert set(COLORS) < set(NAMED_COLORS)
    for word in ("grey", "pink", "brown", "cyan", "magenta", "beige", "dark green", "light blue"):
        assert word in NAMED_COLORS
    assert normalize_color("Gray") == "grey"
    for spelling in ("dark_green", "darkgreen", "Dark-Green"):
        assert normalize_color(spelling) == "dark green"
    assert color_rgba("light gray") == NAMED_COLORS["light grey"]
    assert color_rgba("chartreuse", None) is None


def test_a_shaded_face_keeps_its_colour_name():
    """A side face renders at about three quarters of its colour's brightness: among the scene's
    colours it is still that colour (grey and dark grey, alone, a single pixel cannot tell apart)."""
    palette = Palette(["grey", "pink", "brown", "white", "dark green", *COLORS])
    for word in ("grey", "pink", "brown", "white", "dark green"):
        rgb = np.asarray(NAMED_COLORS[word][:3])
        assert palette.name(rgb[None, :])[0] == word
        assert palette.name(0.74 * rgb[None, :])[0] == word
    pink_and_grey = (255 * np.array([[NAMED_COLORS["pink"][:3], NAMED_COLORS["grey"][:3]]])).astype(np.uint8)
    assert colour_mask(pink_and_grey, "pink").tolist() == [[True, False]]
    assert colour_mask(pink_and_grey, "grey").tolist() == [[False, True]]


def test_the_simulator_renders_untrained_colours_as_named_and_perception_names_them(domain, detector):
    """With no scene to go by, blocks are named by the colour they show, trained or not."""
    colours = ["grey", "pink", "brown", "cyan", "magenta", "beige", "dark green", "light blue", "red"]
    scene = on_table_scene(colours)
    with SimWorld.from_scene(scene, seed=0) as world:
        state = make_observer(world, domain, detector=detector, known_scene=False).observe()
    assert state.state == {Atom(a.predicate, a.args) for a in scene.facts}


def test_a_stack_and_a_tray_of_uncommon_colours_ground_to_the_scene_facts(domain, detector):
    scene = load_scene(FIXTURES / "perception" / "uncommon_colours.yaml", domain)
    with SimWorld.from_scene(scene, seed=0) as world:
        state = make_observer(world, domain, detector=detector).observe()
        unknown = make_observer(world, domain, detector=detector, known_scene=False).observe()
    assert state.state == scene.facts
    assert all(f.confidence >= 0.5 for f in state.facts if f.atom in scene.facts)
    # by depth and colour alone, with no scene to match: the same facts under colour names
    by_colour = {"grey_block": "grey", "pink_block": "pink", "brown_block": "brown", "teal_block": "dark_green"}
    expected = {Atom(a.predicate, tuple(by_colour.get(x, x) for x in a.args)) for a in scene.facts}
    assert unknown.state == expected


def test_a_block_of_a_colour_word_without_an_rgb_is_found_by_depth(domain, detector):
    """The palette lacks "chartreuse": the one block nothing else explains (under the pink one) is that block."""
    scene = load_scene(FIXTURES / "perception" / "uncommon_colours.yaml", domain)
    objects = dict(scene.objects)
    objects["grey_block"] = SceneObject("grey_block", "block", "chartreuse", None, None,
                                        dict(scene.objects["grey_block"].attributes))
    scene = Scene(objects, scene.facts, scene.name)
    with SimWorld.from_scene(scene, seed=0) as world:
        observer = make_observer(world, domain, detector=detector)
        state = observer.observe()
    assert state.state == scene.facts
    found = [d for d in observer.last_detections if d.class_name == "chartreuse"]
    assert len(found) == 1 and found[0].attributes.get("geometric")


def test_the_arm_low_over_the_table_is_not_a_block(domain, detector):
    """The arm's own links (from its kinematics) are never taken for a block, even with a block missing."""
    import pybullet as p

    scene = on_table_scene(["grey", "pink"])
    with SimWorld.from_scene(scene, seed=0) as world:
        world.teleport_block("pink", (2.0, 2.0, 0.025))  # gone from the table: a known block is missing
        target = (0.45, 0.12, 0.09)
        down = p.getQuaternionFromEuler([np.pi, 0.0, 0.0])
        config = p.calculateInverseKinematics(world.robot, 11, target, down, maxNumIterations=200,
                                              physicsClientId=world.client)
        world.reset_arm(config[:7])
        assert np.linalg.norm(world.ee_pose()[0] - target) < 0.03
        for known in (True, False):
            observer = make_observer(world, domain, detector=detector, known_scene=known)
            state = observer.observe()
            blocks = [d for d in observer.last_detections if d.class_name != "tray"]
            assert len(blocks) == 1, [(d.class_name, d.center_xyz) for d in blocks]
            assert Atom("on-table", ("grey",)) in state.state


@pytest.mark.slow
def test_h19_uncommon_colours_succeeds_with_perception_in_the_loop(domain):
    scenario = load_scenario(FIXTURES / "scenarios_heldout" / "h19_uncommon_colours.yaml", domain)
    report = run_scenario(scenario, seed=0, observer="perception", domain=domain)
    assert report.success, report.reason
    assert report.execution.start_state.source == "perception"
    assert report.checks and all(c.ok for c in report.checks)


@pytest.mark.parametrize("path", ["scenes/ho2_desk.yaml", "scenes/ho2_holding.yaml",  # grey, gray
                                  "scenes/ho4_bench.yaml", "scenes/ho_mixed.yaml",  # pink, brown
                                  "scenes/ho_rows.yaml", "scenes/ho2_numbered.yaml", "scenes/ho2_descriptive.yaml",
                                  "scenes/ho3_sorting.yaml", "scenes/ho4_lab.yaml",
                                  "scenarios_heldout/h21_dup_red_tower.yaml"])
def test_first_look_at_held_out_scenes_matches_the_scene(domain, detector, path):
    """Uncommon colours, a block under a same-coloured one, same-coloured blocks of different sizes:
    the first look at each shared held-out scene grounds exactly its facts."""
    scene = load_scenario(FIXTURES / path, domain, needs_task=False).scene
    with SimWorld.from_scene(scene, seed=0) as world:
        world.wait_settled(1.0)
        state = make_observer(world, domain, detector=detector).observe()
    assert state.state == scene.facts
