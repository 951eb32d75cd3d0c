"""Every scenario's instruction, read by the rule translator in the scenario's own scene, is its goal.

The scenario files (sim/scenarios, tests/fixtures/scenarios_heldout, tests/fixtures/scenarios_heldout2)
pair an ``instruction`` with the ``goal`` it means; the scenario runs use the goal unless a translator is
named, so this is the check that the words alone would have led to the same run. Goals are compared as
guardrail-checked literal sets (as ``lam_robot.language.dataset.score`` does). A goal the guardrail
refuses in its scene (a block on itself, two blocks on each other, an unknown block) must be refused by
the translator too; goals refused later (out of reach, no room in a region) are still goals here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lam_robot.guardrail import check_goal
from lam_robot.language import translate
from lam_robot.language.dataset import goal_key
from lam_robot.scene import load_scene

REPO = Path(__file__).resolve().parent.parent
FOLDERS = (REPO / "sim" / "scenarios", REPO / "tests" / "fixtures" / "scenarios_heldout",
           REPO / "tests" / "fixtures" / "scenarios_heldout2")
SCENARIOS = sorted(p for folder in FOLDERS for p in folder.glob("*.yaml")
                   if yaml.safe_load(p.read_text()).get("instruction"))

#: Scenarios the translator still gets wrong, with why; strict, so a fix must remove its entry.
KNOWN = {
    # The file's goal is the first step only; "then put it back" is carried by its ``undo: true`` (the
    # runner undoes the task afterwards). Read as the final state, the words ask for the start state, and
    # one goal cannot say both, so the translator asks instead.
    "scenarios/undo_tower": "'..., then put it back' is the scenario's undo, not part of its goal",
}


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _cases():
    for path in SCENARIOS:
        reason = KNOWN.get(_name(path))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        yield pytest.param(path, id=_name(path), marks=marks)


def test_every_folder_has_scenarios_with_instructions():
    for folder in FOLDERS:
        assert any(p.parent == folder for p in SCENARIOS), folder


@pytest.mark.parametrize("path", _cases())
def test_instruction_translates_to_the_scenario_goal(path, domain):
    data = yaml.safe_load(path.read_text())
    scene = load_scene(path, domain)
    expected = check_goal(data["goal"], scene, domain)
    result = translate(data["instruction"], scene, domain)
    if not expected.ok:
        assert not result.ok, (data["instruction"], result.goal_pddl, "the guardrail refuses", data["goal"])
        return
    assert result.ok, (data["instruction"], result.status, result.reason)
    assert goal_key(result.goal) == goal_key(expected.goal), (data["instruction"], result.goal_pddl, data["goal"])
