"""Scenes: loading, derived facts, and rejection of inconsistent worlds."""

import json

import pytest

from lam_robot.errors import SceneError
from lam_robot.scene import load_scene, scene_from_dict, scene_from_json
from lam_robot.symbolic.atoms import Atom, parse_atom

from conftest import FIXTURES


def facts(*texts):
    return {parse_atom(t) for t in texts}


def test_clear_and_handempty_are_derived_when_omitted(tower3):
    assert facts("(clear green)", "(clear blue)", "(handempty)") <= tower3.facts
    assert Atom("clear", ("red",)) not in tower3.facts, "red carries green, so it is not clear"


def test_tray_shorthand_becomes_a_region_with_a_kind(tower3):
    tray = tower3.objects["tray"]
    assert (tray.type, tray.kind) == ("region", "tray")
    assert tray.describe() == "the tray"
    assert tower3.objects["red"].describe() == "the red block"


def test_a_held_block_is_neither_clear_nor_leaves_the_hand_empty(holding):
    assert Atom("holding", ("red",)) in holding.facts
    assert Atom("handempty") not in holding.facts
    assert Atom("clear", ("red",)) not in holding.facts
    assert holding.support_of("red") == "gripper"


def test_round_trip_through_json_keeps_objects_and_facts(trays, domain):
    again = scene_from_json(trays.to_json(), domain)
    assert again.facts == trays.facts
    assert again.objects.keys() == trays.objects.keys()
    assert json.loads(trays.to_json())["objects"]["left_tray"]["kind"] == "tray"


@pytest.mark.parametrize("name, words", [
    ("two_supports", "two places"),
    ("cycle", "cycle"),
    ("unknown_object", "purple"),
    ("malformed", "not valid YAML"),
])
def test_inconsistent_scenes_are_rejected_naming_the_fact(name, words, domain):
    with pytest.raises(SceneError, match=words):
        load_scene(FIXTURES / "bad" / f"{name}.yaml", domain)


@pytest.mark.parametrize("init, words", [
    (["(on-table red)", "(on-table blue)", "(on red red)"], "itself"),
    (["(on-table red)"], "no support"),
    (["(on-table red)", "(on-table blue)", "(foo red)"], "unknown predicate"),
    (["(on-table red)", "(on-table blue)", "(in red blue)"], "expects a region"),
    (["(holding red)", "(holding blue)"], "two things"),
    (["(on-table red)", "(on blue red)", "(clear red)"], "contradicts"),
    (["(holding red)", "(on-table blue)", "(handempty)"], "contradicts"),
    (["(on-table red)", "(on-table blue)", "on-table"], "bad fact"),
])
def test_bad_facts_are_rejected_with_a_reason(init, words, domain):
    with pytest.raises(SceneError, match=words):
        scene_from_dict({"objects": {"red": "block", "blue": "block"}, "init": init}, domain)


@pytest.mark.parametrize("data", [None, [], "text", {"objects": {}}, {"objects": {"r": 3}},
                                  {"objects": {"9x": "block"}, "init": []},
                                  {"objects": {"r": "block"}, "init": "(on-table r)"}])
def test_malformed_scene_data_raises_scene_error(data, domain):
    with pytest.raises(SceneError):
        scene_from_dict(data, domain)


def test_missing_scene_file_is_a_scene_error(tmp_path, domain):
    with pytest.raises(SceneError, match="cannot read"):
        load_scene(tmp_path / "nope.yaml", domain)
