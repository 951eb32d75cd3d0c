"""Every shipped scenario runs end to end on real physics and is judged from the simulator.

The verdict comes from body poses in PyBullet (``physical_checks``), never from
the executor's belief; refused scenarios must leave the world untouched.
"""

from __future__ import annotations

import json

import pytest

from lam_robot.cli import main
from lam_robot.sim.scenario import (ScenarioError, list_scenarios, load_scenario, physical_checks,
                                    run_scenario)
from lam_robot.sim.world import SimWorld

SLOW_TAGS = {"slow", "perturbation", "sort"}
SCENARIOS = list_scenarios()


def _param(path):
    scenario = load_scenario(path)
    marks = [pytest.mark.slow] if (set(scenario.tags) & SLOW_TAGS or len(scenario.scene.blocks) >= 5) else []
    return pytest.param(path, id=path.stem, marks=marks)


def test_there_are_enough_scenarios_of_every_kind():
    scenarios = [load_scenario(p) for p in SCENARIOS]
    assert len(scenarios) >= 15
    tags = {t for s in scenarios for t in s.tags}
    assert {"single", "tower", "classic", "sort", "clear", "refuse", "perturbation"} <= tags
    sizes = {len(s.scene.blocks) for s in scenarios if "tower" in s.tags}
    assert {3, 4, 5, 6} <= sizes
    assert any(s.perturbations and s.perturbations[0].kind == "drop" for s in scenarios)
    assert any(s.perturbations and s.perturbations[0].kind == "push" for s in scenarios)


@pytest.mark.parametrize("path", [_param(p) for p in SCENARIOS])
def test_scenario(path, domain, motion_planner):
    scenario = load_scenario(path, domain)
    report = run_scenario(scenario, seed=0, domain=domain, motion_planner=motion_planner)
    assert report.success, report.reason
    if scenario.feasible:
        assert report.checks and all(c.ok for c in report.checks)
        assert report.execution.success and report.moved
        if scenario.perturbations:
            assert report.replans >= 1 and all(r.cause for r in report.execution.replans)
    else:
        assert report.refused and not report.moved
        # refused up front, or every attempt was found impossible before the arm moved
        assert report.execution is None or all(skill.sim_time_s == 0 for entry in report.execution.trace
                                               for skill in entry.skills)


def test_checks_read_the_physics_not_the_belief(domain):
    """A check fails when the bodies say so, whatever anyone believes."""
    scenario = load_scenario("tower3", domain)
    with SimWorld.from_scene(scenario.scene, seed=0, visual=False) as world:
        assert all(c.ok for c in physical_checks(world, [{"on": ["green", "red"]}, {"on_table": "blue"}]))
        world.teleport_block("green", (0.62, 0.18, 0.026))
        world.wait_settled(1.0)
        result = physical_checks(world, [{"on": ["green", "red"]}])
        assert not result[0].ok and "height" in result[0].detail


def test_translator_result_objects_are_understood(domain, motion_planner):
    class Result:
        def __init__(self, status, goal_pddl=None, reason=""):
            self.status, self.goal_pddl, self.reason = status, goal_pddl, reason

    scenario = load_scenario("refuse_unknown_object", domain)
    refused = run_scenario(scenario, translate=lambda text, scene, dom: Result("refused", reason="no purple block"),
                           domain=domain, motion_planner=motion_planner)
    assert refused.success and refused.refused and "purple" in refused.reason
    single = load_scenario("single_move", domain)
    ok = run_scenario(single, translate=lambda text, scene, dom: Result("ok", "(and (on red blue))"),
                      domain=domain, motion_planner=motion_planner)
    assert ok.success and ok.goal and "(on red blue)" in ok.goal


def test_an_unknown_observer_is_a_clear_error(domain):
    scenario = load_scenario("single_move", domain)
    with pytest.raises(ScenarioError, match="unknown observer 'sonar'"):
        run_scenario(scenario, observer="sonar", domain=domain)


def test_bad_scenario_files_are_clear_errors(tmp_path, domain):
    with pytest.raises(ScenarioError, match="no scenario file"):
        load_scenario(tmp_path / "missing.yaml", domain)
    bad = tmp_path / "bad.yaml"
    bad.write_text("objects: {red: [unclosed\n")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(bad, domain)
    odd = tmp_path / "odd.yaml"
    odd.write_text("objects: {red: {type: block}}\ninit: ['(on-table red)']\ngoal: '(on-table red)'\n"
                   "checks: [{levitate: red}]\n")
    with pytest.raises(ScenarioError, match="bad check"):
        load_scenario(odd, domain)


def test_cli_run_json(capsys):
    code = main(["sim", "run", "single_move", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    for key in ("success", "steps", "replans", "sim_time_s", "wall_time_s", "plan", "trace", "checks"):
        assert key in data
    assert data["success"] is True and data["steps"] == 2 and data["replans"] == 0


def test_cli_run_prints_goal_plan_explanation_trace_and_verdict(capsys, tmp_path):
    gif = tmp_path / "run.gif"
    code = main(["sim", "run", "unstack_one", "--record", str(gif)])
    out = capsys.readouterr().out
    assert code == 0
    for word in ("goal:", "plan (", "execution trace:", "verdict: SUCCESS"):
        assert word in out
    assert gif.exists() and gif.stat().st_size > 1000


def test_cli_bad_input_is_an_error_not_a_traceback(capsys, tmp_path):
    assert main(["sim", "run", "no_such_scenario"]) == 2
    out = capsys.readouterr().out
    assert "no scenario file" in out and "Traceback" not in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(": : :\n  - [")
    assert main(["sim", "run", str(bad), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["success"] is False


def test_cli_suite_runs_a_filtered_subset(capsys):
    code = main(["sim", "suite", "--only", "refuse", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    expected = len([p for p in SCENARIOS if "refuse" in p.stem])
    assert expected >= 3
    assert data["summary"]["runs"] == expected and data["summary"]["succeeded"] == expected


def test_demo_runs_the_default_scenario_and_writes_a_gif(capsys, tmp_path):
    """The demo shows every stage: voice (or why not), the goal and its sentence, the observer, the
    plan with reasons, the trace, the physics' verdict and a GIF."""
    gif = tmp_path / "demo.gif"
    code = main(["demo", "--record", str(gif)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "voice:" in out and "goal in words:" in out and "observer:" in out
    assert "verdict: SUCCESS" in out and "execution trace:" in out and "why each step" in out
    assert gif.exists() and gif.stat().st_size > 1000


def test_cli_run_translates_the_instruction_with_a_named_translator(capsys):
    code = main(["sim", "run", "single_move", "--translator", "rules", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["success"] is True
    assert "(on red blue)" in data["goal"]


def test_unknown_observer_is_a_clear_error(domain):
    with pytest.raises(ScenarioError, match="unknown observer"):
        run_scenario(load_scenario("single_move", domain), observer="sonar", domain=domain)


def test_a_run_is_deterministic_for_a_seed(domain):
    """Same scenario, same seed: the same trace and the same simulated time."""
    scenario = load_scenario("single_move", domain)
    first = run_scenario(scenario, seed=3, domain=domain).to_dict()
    second = run_scenario(scenario, seed=3, domain=domain).to_dict()
    assert first["sim_time_s"] == second["sim_time_s"]
    assert first["final_state"] == second["final_state"]
    assert [c["detail"] for c in first["checks"]] == [c["detail"] for c in second["checks"]]


def test_cli_undo_puts_everything_back(capsys):
    code = main(["sim", "run", "unstack_one", "--undo", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["success"] is True
    assert data["undo"]["success"] is True
    assert any(c["check"] == "undo restored the start state" and c["ok"] for c in data["checks"])
