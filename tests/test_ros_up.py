"""``lam-robot up`` starts a profile from lam_robot.graph as processes and records it to MCAP."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from lam_robot.graph import NODES, PROFILE_ARGUMENTS, profile
from lam_robot.recording import read_counts
from ros_harness import REPO, fresh_domain_id, ros_env

pytestmark = pytest.mark.ros


def test_up_sim_with_namespace_and_recording(tmp_path):
    """The sim profile comes up under a namespace; its topics land in an MCAP file."""
    mcap = tmp_path / "up.mcap"
    cmd = [sys.executable, "-m", "lam_robot.cli", "up", "sim", "--ns", "robot7", "--record", str(mcap),
           "--duration", "15"]
    env = ros_env(fresh_domain_id())
    proc = subprocess.Popen(cmd, env=env, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    for node in ("sim", "translator", "planner", "executor", "asr", "recorder"):
        assert f"started {node}" in text, text
    counts = read_counts(mcap)
    assert counts.get("/robot7/joint_states", 0) > 20, counts
    assert counts.get("/robot7/world_state", 0) >= 3, counts
    assert not any(t.startswith("/joint_states") for t in counts)


def test_launch_files_and_up_read_the_same_graph():
    """Both launch files build their node list from lam_robot.graph.profile (one source of truth)."""
    for name in ("sim", "real_arm"):
        source = (REPO / "launch" / f"{name}.launch.py").read_text()
        tree = ast.parse(source)
        assert any(isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PROFILE"
                   and getattr(n.value, "value", None) == name for n in tree.body)
        assert "launch_description(PROFILE)" in source and "generate_launch_description" in source
        nodes = profile(name)
        assert all(n.spec.name in NODES for n in nodes)
    support = (REPO / "lam_robot" / "nodes" / "launch_support.py").read_text()
    assert "profile(profile_name, args)" in support
    assert "sim" not in [n.spec.name for n in profile("real_arm")]
    real = {n.spec.name: n for n in profile("real_arm", {"controller_topic": "/arm/jtc/joint_trajectory",
                                                         "joint_names": ",".join(f"j{i}" for i in range(9))})}
    assert real["executor"].remappings["joint_trajectory_controller/joint_trajectory"] == "/arm/jtc/joint_trajectory"
    assert real["executor"].parameters["joint_names"][0] == "j0" and real["executor"].parameters["rehearse"]
    assert not real["executor"].parameters["separate_gripper_controller"]
    split = {n.spec.name: n for n in profile("real_arm", {"gripper_topic": "/hand/joint_trajectory"})}
    assert split["executor"].parameters["separate_gripper_controller"]
    assert split["executor"].remappings["gripper_controller/joint_trajectory"] == "/hand/joint_trajectory"
    assert set(PROFILE_ARGUMENTS["real_arm"]) >= {"controller_topic", "joint_names", "color_topic", "depth_topic"}
    listing = subprocess.run([sys.executable, "-m", "lam_robot.cli", "up", "real_arm", "--list"], cwd=str(REPO),
                             capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and "lam_robot.nodes.executor_node" in listing.stdout


def test_docs_table_is_current():
    """docs/ROS_GRAPH.md carries the generated topic/parameter table."""
    from lam_robot.graph import markdown_table

    doc = (REPO / "docs" / "ROS_GRAPH.md").read_text()
    assert markdown_table().strip() in doc, "regenerate with: lam-robot graph"


def test_parameter_specs_check_values_and_format_for_the_command_line():
    """ParamSpec.check is the on-set validation every node runs; format_param feeds --ros-args."""
    from lam_robot.graph import PLANNER, format_param

    timeout = PLANNER.param("timeout_s")
    assert timeout.check(5.0) is None and "<= 600" in timeout.check(601.0)
    assert "one of" in PLANNER.param("planner").check("dijkstra")
    assert timeout.check("fast") is not None
    assert format_param(True) == "true" and format_param(2.0) == "2.0" and format_param("") == "''"
    assert format_param(["a", "b"]) == "['a','b']"
    for spec in NODES.values():
        for param in spec.params:
            assert param.description and param.check(param.default) is None, (spec.name, param.name)


def test_record_command_writes_an_mcap_file(tmp_path):
    """``lam-robot record`` alone records whatever the graph publishes (here: a sim node)."""
    from lam_robot.graph import SIM, LaunchNode, command_line

    env = ros_env(fresh_domain_id())
    sim = subprocess.Popen(command_line(LaunchNode(SIM, {"camera_rate_hz": 3.0})), env=env, cwd=str(REPO),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        out = tmp_path / "rec.mcap"
        rec = subprocess.run([sys.executable, "-m", "lam_robot.cli", "record", str(out), "--duration", "8"],
                             env=env, cwd=str(REPO), capture_output=True, text=True, timeout=60)
        assert rec.returncode == 0, rec.stdout + rec.stderr
    finally:
        sim.send_signal(2)
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.wait(timeout=5)
    counts = read_counts(out)
    assert counts.get("/joint_states", 0) > 50 and counts.get("/camera/color/image_raw", 0) >= 2, counts
    assert counts.get("/camera/color/camera_info", 0) >= 2 and counts.get("/sim/ground_truth", 0) >= 3, counts
