"""The whole scenario suite with perception in the loop (``lam-robot sim suite --perception``).

Every scenario runs on what the camera sees (YOLO + depth lifting + grounding)
instead of the simulator's ground truth, and is still judged from the physics.
"""

from __future__ import annotations

import pytest

from lam_robot.sim.scenario import list_scenarios, load_scenario, run_scenario

#: Scenarios the shipped detector cannot yet do, with the reason. Keep this short and honest.
KNOWN_PERCEPTION_GAPS: dict[str, str] = {}  # scenario stem -> why it fails with perception (none now)


def _param(path):
    marks = [pytest.mark.slow]
    if path.stem in KNOWN_PERCEPTION_GAPS:
        marks.append(pytest.mark.skip(reason=KNOWN_PERCEPTION_GAPS[path.stem]))
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in list_scenarios()])
def test_scenario_with_perception_in_the_loop(path, domain, motion_planner):
    scenario = load_scenario(path, domain)
    report = run_scenario(scenario, seed=0, observer="perception", domain=domain, motion_planner=motion_planner)
    assert report.success, report.reason
    if scenario.feasible:
        assert report.execution.start_state.source == "perception"
        assert report.checks and all(c.ok for c in report.checks), [c for c in report.checks if not c.ok]
    else:
        assert report.refused and not report.moved


def test_known_gaps_name_real_scenarios():
    names = {p.stem for p in list_scenarios()}
    assert set(KNOWN_PERCEPTION_GAPS) <= names


def test_suite_command_has_a_perception_switch():
    import json
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "lam_robot.cli", "sim", "suite", "--perception", "--only",
                           "single_move", "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["runs"] == 1 and data["summary"]["succeeded"] == 1
