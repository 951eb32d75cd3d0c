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
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert len(scenarios) >= 20
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
