"""Perception: real PyBullet renders, the real shipped weights, no mocks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from lam_robot.errors import LamError
from lam_robot.perception import default_cameras, make_observer
from lam_robot.perception.camera import RgbdCamera, backproject, project_points
from lam_robot.perception.dataset import CLASS_NAMES, make_dataset
from lam_robot.perception.detector import DEFAULT_WEIGHTS, DetectorError, YoloDetector
from lam_robot.perception.grounding import Region, ground
from lam_robot.perception.lifting import lift_all
from lam_robot.perception.tracking import Tracker
from lam_robot.perception.types import Detection3D
from lam_robot.scene import load_scene
from lam_robot.sim.world import SimWorld
from lam_robot.symbolic.atoms import Atom

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "perception"


@pytest.fixture(scope="module")
def detector():
    return YoloDetector()


def atoms(*texts):
    return {Atom(t.split()[0], tuple(t.split()[1:])) for t in texts}


# ---------------------------------------------------------------- camera
def test_camera_info_follows_ros_conventions_and_projects_onto_the_block(tower3):
    """K, P as sensor_msgs/CameraInfo has them; a block's centre projects onto its own pixels,
    and back-projecting that pixel's depth lands on the block's visible surface."""
    cam = RgbdCamera.look_at((1.0, 0.0, 0.7), (0.45, 0.0, 0.0), width=320, height=240, fov_deg=60)
    info = cam.info
    assert (info.width, info.height) == (320, 240)
    assert len(info.k) == 9 and len(info.p) == 12 and len(info.d) == 5 and len(info.r) == 9
    assert info.k[0] == pytest.approx(120 / math.tan(math.radians(30)))
    assert (info.cx, info.cy) == (159.5, 119.5)
    pose = cam.world_from_optical
    assert np.allclose(pose[:3, :3].T @ pose[:3, :3], np.eye(3))
    with SimWorld.from_scene(tower3, seed=0) as world:
        frame = cam.render(world.client)
        assert frame.rgb.shape == (240, 320, 3) and frame.rgb.dtype == np.uint8
        assert frame.depth_m.dtype == np.float32
        xyz, _ = world.object_pose("blue")
        top = np.array([xyz[0], xyz[1], xyz[2] + 0.025])
        u, v = project_points(top[None], info, pose)[0]
        ui, vi = int(round(u)), int(round(v - 2))  # a pixel just inside the top face
        assert frame.segmentation[vi, ui] == world.body_of("blue")
        point = backproject(np.array(ui), np.array(vi), frame.depth_m[vi, ui], info, pose)
        assert abs(point[2] - top[2]) < 0.006 and math.dist(point[:2], top[:2]) < 0.03


# ---------------------------------------------------------------- detector
def test_shipped_weights_load_and_detect_the_blocks_of_a_rendered_scene(tower3, detector):
    record = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())
    assert DEFAULT_WEIGHTS.stat().st_size < 10 * 1024 * 1024
    assert record["metrics"]["map50"] > 0 and "make-dataset" in record["dataset_command"]
    assert set(detector.class_names) == set(CLASS_NAMES)
    with SimWorld.from_scene(tower3, seed=0) as world:
        frame = default_cameras()[0].render(world.client)
    dets = detector.detect(frame.rgb)
    found = {d.class_name for d in dets if d.score > 0.5}
    assert {"red", "green", "blue", "tray"} <= found
    assert len([d for d in dets if d.class_name in ("red", "green", "blue") and d.score > 0.5]) == 3
    # a batch gives the same answer per image
    batch = detector.detect_batch([frame.rgb, frame.rgb])
    assert len(batch) == 2 and len(batch[0]) == len(batch[1]) == len(dets)


def test_user_weights_and_class_map_replace_the_default(tmp_path):
    """Any ultralytics model plus a class map: here the shipped file under another name,
    its 'red' reported as 'crimson' and trays dropped."""
    weights = tmp_path / "mine.pt"
    weights.write_bytes(DEFAULT_WEIGHTS.read_bytes())
    det = YoloDetector(weights, class_map={"red": "crimson", "tray": None})
    assert "crimson" in det.class_names and "tray" not in det.class_names and "red" not in det.class_names
    with pytest.raises(DetectorError):
        YoloDetector(weights, class_map={"unicorn": "red"})
    with pytest.raises(LamError):
        YoloDetector(tmp_path / "missing.pt")
    with pytest.raises(DetectorError):
        det.detect(np.zeros((4, 4), dtype=np.uint8))


def test_onnxruntime_and_ultralytics_runtimes_see_the_same_objects(tower3, tmp_path, monkeypatch):
    """The CPU fast path (the .pt exported to ONNX once, run by onnxruntime) finds the same
    objects in the same places as ultralytics itself; a user's own .onnx file runs too."""
    pytest.importorskip("onnxruntime")
    monkeypatch.setenv("LAM_ROBOT_CACHE", str(tmp_path / "cache"))
    fast = YoloDetector(runtime="onnxruntime")
    slow = YoloDetector(runtime="ultralytics", device="cpu")
    assert fast.runtime == "onnxruntime" and slow.runtime == "ultralytics"
    assert fast.class_names == slow.class_names
    with SimWorld.from_scene(tower3, seed=0) as world:
        frames = [cam.render(world.client) for cam in default_cameras(320, 240) + default_cameras(640, 480)]
    for frame in frames:
        a = sorted(fast.detect(frame.rgb), key=lambda d: (d.class_name, d.xyxy))
        b = sorted(slow.detect(frame.rgb), key=lambda d: (d.class_name, d.xyxy))
        assert [d.class_name for d in a] == [d.class_name for d in b]
        for da, db in zip(a, b):
            assert np.allclose(da.xyxy, db.xyxy, atol=1.5) and abs(da.score - db.score) < 0.02
    exported = sorted((tmp_path / "cache" / "onnx").glob("*.onnx"))
    assert len(exported) == 1, "one export per input shape, reused across image sizes of the same aspect"
    user = YoloDetector(exported[0])
    assert user.runtime == "onnxruntime" and {d.class_name for d in user.detect(frames[0].rgb)} \
        == {d.class_name for d in fast.detect(frames[0].rgb)}
    with pytest.raises(DetectorError, match="unknown runtime"):
        YoloDetector(runtime="tensorrt")


# ---------------------------------------------------------------- lifting
def test_lifting_recovers_known_poses(domain, detector):
    scene = load_scene(FIXTURES / "touching.yaml", domain)
    with SimWorld.from_scene(scene, seed=0) as world:
        frame = default_cameras()[0].render(world.client)
        lifted = lift_all(detector.detect(frame.rgb), frame)
        truth = {world.scene.objects[b].color: world.object_pose(b)[0] for b in world.blocks}
    by_colour = {d.class_name: d for d in lifted if d.class_name != "tray"}
    assert set(by_colour) == set(truth)
    for colour, xyz in truth.items():
        est = by_colour[colour]
        assert math.dist(est.center_xyz[:2], xyz[:2]) < 0.015, colour
        assert abs(est.center_xyz[2] - xyz[2]) < 0.012, colour
        assert est.size_xyz[0] == pytest.approx(0.05, abs=0.012)


# ---------------------------------------------------------------- grounding (hand-built)
def block(colour, x, y, z_bottom, size=0.05, score=0.95, **attributes):
    attrs = {"top_z": z_bottom + size, "bottom_z": z_bottom, "top_visible": True, "height_excess": -0.01}
    attrs.update(attributes)
    return Detection3D(((colour, score),), (x, y, z_bottom + size / 2), (size, size, size), colour, attrs)


TRAY = Region("tray", (0.62, -0.05), (0.16, 0.16), floor_z=0.004)


def test_touching_blocks_side_by_side_are_not_on_each_other():
    result = ground([block("red", 0.5, -0.025, 0.0), block("blue", 0.5, 0.025, 0.0)], [TRAY])
    state = result.state.state
    assert atoms("on-table red", "on-table blue", "clear red", "clear blue", "handempty") == state
    assert not result.state.uncertain


def test_a_stack_and_a_block_in_a_tray():
    dets = [block("green", 0.40, 0.15, 0.0), block("yellow", 0.405, 0.152, 0.051),
            block("purple", 0.398, 0.149, 0.1005), block("orange", 0.60, -0.04, 0.004)]
    state = ground(dets, [TRAY]).state.state
    assert atoms("on yellow green", "on purple yellow", "on-table green", "in orange tray",
                 "clear purple", "clear orange") <= state
    assert Atom("clear", ("green",)) not in state and Atom("on-table", ("orange",)) not in state


def test_a_block_tilted_on_a_tray_edge_is_uncertain_not_guessed():
    """Half over the wall, standing taller than a level block can: no support is believed."""
    tilted = block("red", 0.62 + 0.085, -0.05, 0.012, height_excess=0.03, top_z=0.07)
    result = ground([tilted, block("blue", 0.42, -0.1, 0.0)], [TRAY])
    state = result.state.state
    assert not any(a.args[:1] == ("red",) and a.predicate in ("on-table", "in", "on") for a in state)
    assert any(f.atom.args[:1] == ("red",) and f.atom.predicate in ("on-table", "in") for f in result.state.uncertain)
    assert Atom("on-table", ("blue",)) in state
    for fact in result.state.facts:
        assert 0.0 <= fact.confidence <= 1.0


def test_a_weak_detection_makes_its_facts_uncertain_and_names_follow_the_colours():
    dets = [block("red", 0.5, 0.0, 0.0, score=0.1), block("red", 0.4, 0.2, 0.0), block("blue", 0.3, 0.1, 0.0)]
    result = ground(dets, [], threshold=0.5)
    names = sorted(result.state.scene.objects)
    assert names == ["blue", "red", "red_2"]
    weak = [f for f in result.state.uncertain if f.atom.predicate == "on-table"]
    assert len(weak) == 1 and weak[0].confidence < 0.5


# ---------------------------------------------------------------- end to end
def test_observer_on_tower3_matches_the_simulator_truth(domain, tower3, detector):
    with SimWorld.from_scene(tower3, seed=0) as world:
        observer = make_observer(world, domain, detector=detector)
        state = observer.observe()
        first_ids = {d.class_name: d.tracking_id for d in observer.last_detections}
        world.teleport_block("blue", (*world.object_pose("blue")[0][:2], 0.026), yaw=0.2)
        world.step(0.1)
        again = observer.observe()
        second_ids = {d.class_name: d.tracking_id for d in observer.last_detections}
    assert state.source == "perception"
    assert state.state == tower3.facts
    assert again.state == tower3.facts
    assert first_ids == second_ids  # tracking keeps identities across frames
    assert all(f.confidence >= 0.5 for f in state.facts if f.atom in tower3.facts)


def test_observer_on_touching_blocks_stack_and_tray(domain, detector):
    scene = load_scene(FIXTURES / "touching.yaml", domain)
    with SimWorld.from_scene(scene, seed=0) as world:
        state = make_observer(world, domain, detector=detector).observe()
    assert state.state == scene.facts


def test_observer_marks_a_block_leaning_on_a_tray_wall_uncertain(domain, detector):
    """One edge on the table, one face on the tray's wall (it rests there, physically stable)."""
    import pybullet as p

    scene = load_scene(FIXTURES / "tilted_on_tray.yaml", domain)
    with SimWorld.from_scene(scene, seed=0) as world:
        tray = world.regions["tray"]
        wall_x = tray.center[0] - tray.inner[0] / 2 - 0.004
        angle = math.asin(0.026 / 0.05)
        low = np.array([wall_x - 0.05 * math.cos(angle), tray.center[1], 0.0])
        centre = (low + 0.025 * np.array([math.cos(angle), 0, math.sin(angle)])
                  + 0.025 * np.array([-math.sin(angle), 0, math.cos(angle)]) + [0, 0, 0.001])
        p.resetBasePositionAndOrientation(world.body_of("red"), centre.tolist(),
                                          p.getQuaternionFromEuler([0, -angle, 0]), physicsClientId=world.client)
        world.step(0.5)
        assert abs(p.getEulerFromQuaternion(world.object_pose("red")[1])[1]) > 0.4  # still leaning
        state = make_observer(world, domain, detector=detector).observe()
    assert Atom("on-table", ("blue",)) in state.state
    assert not any(a.args[:1] == ("red",) and a.predicate in ("on-table", "in", "on") for a in state.state)
    assert any(f.atom.args[:1] == ("red",) for f in state.uncertain)


def test_tracker_keeps_ids_and_gives_new_objects_new_ones():
    tracker = Tracker()
    first = tracker.update([block("red", 0.5, 0.0, 0.0), block("red", 0.3, 0.0, 0.0)])
    second = tracker.update([block("red", 0.31, 0.01, 0.0), block("red", 0.5, 0.0, 0.0),
                             block("blue", 0.4, 0.2, 0.0)])
    assert second[0].tracking_id == first[1].tracking_id and second[1].tracking_id == first[0].tracking_id
    assert second[2].tracking_id not in {d.tracking_id for d in first}


# ---------------------------------------------------------------- dataset and CLI
def test_make_dataset_writes_the_ultralytics_layout(tmp_path):
    report = make_dataset(4, tmp_path / "ds", seed=7, val_fraction=0.25, progress=False)
    assert report.images == 4
    data = (tmp_path / "ds" / "data.yaml").read_text()
    assert "train: images/train" in data and "tray" in data
    labels = sorted((tmp_path / "ds" / "labels").rglob("*.txt"))
    assert len(labels) == 4 and len(list((tmp_path / "ds" / "images").rglob("*.png"))) == 4
    lines = [line.split() for f in labels for line in f.read_text().splitlines()]
    assert lines, "some objects are labelled"
    for cls, *box in lines:
        assert 0 <= int(cls) < len(CLASS_NAMES)
        assert all(0.0 <= float(v) <= 1.0 for v in box)


def test_cli_detect_prints_what_it_sees(capsys):
    from lam_robot.cli import main

    assert main(["perception", "detect", "--scene", "sim/scenes/tower3.yaml"]) == 0
    out = capsys.readouterr().out
    assert "(on green red)" in out and "red" in out
