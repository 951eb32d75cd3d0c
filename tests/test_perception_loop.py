"""Perception in the loop: scenarios executed on what the camera sees, not on ground truth."""

from __future__ import annotations

import pytest

from lam_robot.sim.scenario import load_scenario, run_scenario


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tower3", "perturb_push"])
def test_scenario_succeeds_with_perception_in_the_loop(domain, name):
    """The executor runs on the perception observer by one switch; a pushed block is seen
    where it landed and the robot replans."""
    report = run_scenario(load_scenario(name, domain), seed=0, observer="perception", domain=domain)
    assert report.success, report.reason
    assert report.execution.start_state.source == "perception"
    if name == "perturb_push":
        assert report.replans >= 1
