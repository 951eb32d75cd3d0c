"""Shared fixtures: the shipped domain and the scenes every test reuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.scene import load_scene
from lam_robot.symbolic.domain import load_domain

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCENES = FIXTURES / "scenes"
TOWER3 = REPO / "sim" / "scenes" / "tower3.yaml"


@pytest.fixture(scope="session")
def domain():
    return load_domain()


@pytest.fixture(scope="session")
def tower3(domain):
    return load_scene(TOWER3, domain)


@pytest.fixture(scope="session")
def sussman(domain):
    return load_scene(SCENES / "sussman.yaml", domain)


@pytest.fixture(scope="session")
def trays(domain):
    return load_scene(SCENES / "trays.yaml", domain)


@pytest.fixture(scope="session")
def holding(domain):
    return load_scene(SCENES / "holding.yaml", domain)


@pytest.fixture(scope="module")
def motion_planner():
    """One collision-checking motion planner (its own PyBullet client) per test module."""
    from lam_robot.execution.motion import MotionPlanner

    planner = MotionPlanner()
    yield planner
    planner.close()
