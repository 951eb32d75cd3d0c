"""``lam-robot plan`` and ``check-goal``: the contract other tools build on."""

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, TOWER3


def lam(*args, timeout_s=120):
    proc = subprocess.run([sys.executable, "-m", "lam_robot.cli", *args], capture_output=True, text=True,
                          timeout=timeout_s)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_plan_json_has_plan_and_explanation():
    proc = lam("plan", "--scene", str(TOWER3), "--goal", "(and (on red blue))", "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["status"] == "ok" and data["error"] is None
    assert data["plan"][-1] == "(place-on-block red blue)"
    assert len(data["explanation"]) == len(data["plan"])


@pytest.mark.parametrize("planner", ["fd", "fd-opt", "pyperplan"])
def test_plan_with_each_named_planner(planner):
    proc = lam("plan", "--scene", str(TOWER3), "--goal", "(on red blue)", "--planner", planner)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "validated" in proc.stdout


@pytest.mark.parametrize("args", [
    ["--goal", "(on red purple)"],
    ["--goal", "((("],
    ["--goal", ""],
])
def test_refusals_exit_2_with_a_json_error(args):
    proc = lam("plan", "--scene", str(TOWER3), *args, "--json")
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert data["status"] == "refused" and data["error"]["message"]


@pytest.mark.parametrize("scene", ["missing.yaml", str(FIXTURES / "bad" / "cycle.yaml"),
                                   str(FIXTURES / "bad" / "malformed.yaml")])
def test_bad_scene_files_exit_2_without_a_traceback(scene):
    proc = lam("plan", "--scene", scene, "--goal", "(on red blue)", "--json")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "bad_input"


def test_check_goal_alone():
    ok = lam("check-goal", "--scene", str(TOWER3), "--goal", "(on red blue)")
    assert ok.returncode == 0 and "will be on" in ok.stdout
    bad = lam("check-goal", "--scene", str(TOWER3), "--goal", "(on red red)", "--json")
    assert bad.returncode == 2 and json.loads(bad.stdout)["error"]["code"] == "self_reference"


def test_usage_errors_exit_2():
    assert lam("plan").returncode == 2
    assert lam("no-such-command").returncode == 2
