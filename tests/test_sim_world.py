"""The simulated world: built from scenes, deterministic, read back as symbols."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lam_robot.errors import LamError
from lam_robot.scene import scene_from_dict
from lam_robot.sim.ground_truth import GroundTruthObserver
from lam_robot.sim.scenario import list_scenarios, load_scenario
from lam_robot.sim.world import SimError, SimWorld
from lam_robot.symbolic.atoms import parse_atom


def test_world_builds_every_object_and_the_robot(tower3):
    with SimWorld.from_scene(tower3, seed=0) as world:
        assert world.robot >= 0 and world.client >= 0
        for name in tower3.objects:
            xyz, quat = world.object_pose(name)
            assert len(xyz) == 3 and len(quat) == 4
        assert world.body_of("red") != world.body_of("blue")
        with pytest.raises(SimError):
            world.body_of("purple")


def test_same_seed_same_world_other_seed_other_layout(tower3):
    def poses(seed):
        with SimWorld.from_scene(tower3, seed=seed) as world:
            return {b: np.round(world.object_pose(b)[0], 4).tolist() for b in world.blocks}

    assert poses(3) == poses(3)
    assert poses(3) != poses(4)


def test_stacks_follow_the_facts(tower3):
    """green is on red in the scene: it stands one block higher, right above it."""
    with SimWorld.from_scene(tower3, seed=1) as world:
        (red, _), (green, _) = world.object_pose("red"), world.object_pose("green")
        assert abs((green[2] - red[2]) - 0.05) < 0.003
        assert math.dist(red[:2], green[:2]) < 0.003


def test_pinned_positions_are_used(domain):
    scene = scene_from_dict({"objects": {"red": {"type": "block", "color": "red", "position": [0.5, 0.1]},
                                         "blue": {"type": "block", "pose": [0.4, -0.1, 0.025]}},
                             "init": ["(on-table red)", "(on-table blue)"]}, domain)
    with SimWorld.from_scene(scene) as world:
        assert np.allclose(world.object_pose("red")[0][:2], [0.5, 0.1], atol=0.002)
        assert np.allclose(world.object_pose("blue")[0], [0.4, -0.1, 0.025], atol=0.002)


def test_bad_position_is_a_clear_error(domain):
    scene = scene_from_dict({"objects": {"red": {"type": "block", "position": "left"}},
                             "init": ["(on-table red)"]}, domain)
    with pytest.raises(LamError, match="position"):
        SimWorld.from_scene(scene)


def test_world_closes_its_client(tower3):
    import pybullet as p

    world = SimWorld.from_scene(tower3)
    world.close()
    world.close()  # idempotent
    assert not p.isConnected(world.client)


def test_step_advances_simulated_time_without_sleeping(tower3):
    import time

    with SimWorld.from_scene(tower3) as world:
        t0, wall0 = world.sim_time_s, time.perf_counter()
        world.step(2.0)
        assert world.sim_time_s - t0 == pytest.approx(2.0, abs=1 / 240)
        assert time.perf_counter() - wall0 < 2.0


def test_camera_image_shows_the_scene(tower3):
    with SimWorld.from_scene(tower3) as world:
        image = world.camera_image(64, 48)
    assert image.shape == (48, 64, 3) and image.dtype == np.uint8
    assert image.std() > 5


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_ground_truth_reads_back_every_initial_scene(path, domain):
    """Physics poses -> facts gives back exactly the scene the world was built from."""
    scenario = load_scenario(path, domain)
    with SimWorld.from_scene(scenario.scene, seed=0, visual=False) as world:
        observed = GroundTruthObserver(world, domain).observe()
    assert observed.state == scenario.scene.facts
    assert observed.uncertain == ()
    assert observed.source == "ground_truth"


def test_ground_truth_sees_a_pushed_block(tower3, domain):
    from lam_robot.symbolic.atoms import Atom

    with SimWorld.from_scene(tower3, seed=0, visual=False) as world:
        world.teleport_block("green", (0.62, 0.18, 0.026))
        world.wait_settled(1.0)
        state = GroundTruthObserver(world, domain).observe().state
    assert Atom("on-table", ("green",)) in state
    assert Atom("clear", ("red",)) in state


def test_row_layout_ignores_the_seed(tower3):
    def poses(seed):
        with SimWorld.from_scene(tower3, seed=seed, layout="row", visual=False) as world:
            return {b: np.round(world.object_pose(b)[0], 3).tolist() for b in world.blocks}

    assert poses(0) == poses(7)
    with pytest.raises(SimError, match="layout"):
        SimWorld.from_scene(tower3, layout="spiral")


def test_a_scene_can_start_with_a_block_in_the_gripper(domain):
    """(holding orange) at the start: the block is squeezed between the fingers of the arm at home, stays
    there while time passes (a friction grasp, no attachment), and ground truth reads it back as held."""
    scene = scene_from_dict({"objects": {"orange": {"type": "block", "color": "orange"},
                                         "red": {"type": "block", "color": "red"}},
                             "init": ["(holding orange)", "(on-table red)"]}, domain)
    with SimWorld.from_scene(scene, seed=0) as world:
        world.step(2.0)
        ee, _ = world.ee_pose()
        block, _ = world.object_pose("orange")
        assert math.dist(ee, block) < 0.02
        assert 0.015 < sum(world.finger_positions()) < 0.06  # closed on a 5 cm block, not on air
        state = GroundTruthObserver(world, domain).observe()
        assert parse_atom("(holding orange)") in state.state and parse_atom("(on-table red)") in state.state


@pytest.mark.parametrize("seed", range(6))
def test_the_random_layout_keeps_table_stacks_out_of_every_region(seed, domain):
    """A large bin placed by the layout may reach into the block area; no table block starts inside it."""
    scene = scene_from_dict({"objects": {**{c: {"type": "block", "color": c}
                                            for c in ("red", "green", "blue", "yellow", "white")},
                                         "tray": {"type": "tray"}, "box": {"type": "box"},
                                         "bin": {"type": "bin", "size": 0.26}},
                             "init": [f"(on-table {c})" for c in ("red", "green", "blue", "yellow", "white")]},
                            domain)
    with SimWorld.from_scene(scene, seed=seed, visual=False) as world:
        for block in world.blocks:
            xy = world.object_pose(block)[0][:2]
            assert not any(r.contains_xy(xy, 0.03) for r in world.regions.values()), (block, xy)
