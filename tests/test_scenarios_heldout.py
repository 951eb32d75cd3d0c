"""Scenes nobody tuned for: tests/fixtures/scenarios_heldout/ (24 scenarios written by someone who had not
read the executor), run on real physics with ground truth and judged from the simulator's bodies.

They came with tall towers built beside other stacks, blocks of several sizes, regions of other sizes
(a bin reaching into the block area, a 10 cm tray), a block held when the task starts and more blocks
than a tray holds. The first run found 17 of 23 buildable scenarios passing; the fixes they prompted
(roomier table places, regions kept clear of the random layout, held-at-start scenes, a narrower grasp
between walls, a capacity check before motion) are general, and each is also tested on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.sim.scenario import load_scenario, run_scenario

pytest.importorskip("pybullet", reason="the simulator needs `pip install pybullet`")

FOLDER = Path(__file__).resolve().parent / "fixtures" / "scenarios_heldout"
#: what still fails, and why (a scenario listed here that passes fails the test: update the list)
KNOWN_GAPS: dict[str, str] = {}


def _param(path: Path):
    key = path.stem.split("_")[0]
    marks = [pytest.mark.slow]
    if key in KNOWN_GAPS:
        marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[key], strict=True))
    return pytest.param(path, id=path.stem, marks=marks)


def test_the_heldout_scenarios_are_many_and_varied(domain):
    scenarios = [load_scenario(p, domain) for p in sorted(FOLDER.glob("*.yaml"))]
    assert len(scenarios) >= 20
    assert any(any(f.predicate == "holding" for f in s.scene.facts) for s in scenarios)
    assert any(len(s.scene.blocks) >= 6 for s in scenarios)
    assert any(not s.feasible for s in scenarios)


@pytest.mark.parametrize("path", [_param(p) for p in sorted(FOLDER.glob("*.yaml"))])
def test_heldout_scenario(path, domain, motion_planner):
    scenario = load_scenario(path, domain)
    report = run_scenario(scenario, seed=0, domain=domain, motion_planner=motion_planner)
    assert report.success, report.reason
    if scenario.feasible:
        assert report.checks and all(c.ok for c in report.checks)
    else:
        assert report.refused and not report.moved
