"""Perception: what a camera sees, lifted into symbols the guardrail and planner trust.

Pipeline (one module per stage)::

    camera.RgbdCamera.render(client)  -> Frame (rgb, depth_m, segmentation, CameraInfo)
    detector.YoloDetector.detect_batch -> [Detection2D]       (class = block colour or "tray")
    lifting.lift_all                   -> [Detection3D]       (robot base frame, metres)
    PerceptionObserver fallbacks       -> [Detection3D]       (what the detector missed, see below)
    tracking.Tracker.update            -> [Detection3D]       (stable tracking ids)
    grounding.ground                   -> GroundingResult     (WorldState with confidences)

:func:`make_observer` wires them to a :class:`lam_robot.sim.world.SimWorld` as a
:class:`lam_robot.world_state.Observer`, so the executor runs on perception
instead of ground truth by one switch.

The detector knows eight colours; people use many more (grey, pink, brown...).
So the detector's blocks come first and three fallbacks explain what is left:

1. a detection whose pixels do not show its class's colour (a grey block
   called ``white``) is dropped (:mod:`~lam_robot.perception.palette` names
   pixels from the broad palette the simulator renders);
2. *by colour*: a known block not detected is looked for as a patch of its
   colour standing on the table;
3. *by geometry* (:mod:`~lam_robot.perception.geometric`): whatever compact
   thing stands on the table that no detection, region or arm link explains
   is a block, named by its pixels' colour and, in a known scene, matched to
   the missing block of the nearest colour.

What is perceived and what is not:

* **perceived** (camera only): which blocks are there, their colour (the
  detector's class, or named from pixels), 3-D position, size and tilt;
  hence ``on``, ``on-table``, ``in`` and ``clear``.
  The segmentation image is never used at run time (only to label datasets).
* **known layout**: regions (trays) come from the scene layout the world was
  built from (``SimWorld.regions``); a known scene's regions are all there are
  (a detected tray in a scene without one is a phantom); with no scene, detected
  trays are used when they can be trays (``grounding.plausible_tray``: low,
  tray-sized, clear of the robot's base).
* **proprioceptive**: ``holding`` comes from the gripper: both fingers in
  contact with a body (the body's name is the grasped object), as a real
  gripper's joint/force readings would tell; the grasp point comes from the
  arm's forward kinematics.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..sim.appearance import COLORS, DEFAULT_BLOCK_SIZE, normalize_color
from ..world_state import Observer, WorldState
from .camera import CameraInfo, Frame, RgbdCamera
from .geometric import ROBOT_BASE_RADIUS_M, find_blocks, link_boxes, split_patch, standing_mask
from .grounding import Grounder, GroundingResult, Region, ground, plausible_tray
from .lifting import LiftConfig, fit_size, lift_all
from .palette import Palette, is_block_class, rgb_of
from .tracking import Tracker
from .types import Detection2D, Detection3D

#: the observer's default camera: in front of the robot, above, looking back at the table
OBSERVER_EYE = (1.12, 0.0, 0.52)      # metres
OBSERVER_TARGET = (0.45, 0.0, 0.0)     # metres
FALLBACK_SCORE = 0.3        # score of a block found by colour after the detector missed it
FALLBACK_MIN_PIXELS = 60    # smallest colour patch (pixels at the camera's resolution) taken for a block
WRONG_COLOUR = 0.25         # a detection whose pixels are this far from its class's colour is not of that colour
CLEARLY_NEARER = 0.12      # with no scene: how much nearer an untrained colour must be than the detector's class
WILDCARD_COST = 0.3         # colour cost of matching a block found by geometry to a colour word without an RGB
MAX_MATCH_COST = 0.45       # a block found by geometry farther than this from every missing block's colour is none


def default_cameras(width: int = 640, height: int = 480) -> list[RgbdCamera]:
    """The camera the observer uses when none is given."""
    return [RgbdCamera.look_at(OBSERVER_EYE, OBSERVER_TARGET, width=width, height=height, fov_deg=56.0,
                               frame_id="front_camera_color_optical_frame")]


class PerceptionObserver(Observer):
    """Renders the world's camera(s), detects, lifts, tracks and grounds.

    Args:
        world: a :class:`lam_robot.sim.world.SimWorld` (``client``, ``scene``,
            ``regions``, ``robot``, ``blocks``, ``body_of``, ``ee_pose``).
        domain: the planning domain (checks the believed scene).
        cameras: cameras to render; default :func:`default_cameras`.
        detector: a :class:`~lam_robot.perception.detector.Detector`; default a
            :class:`~lam_robot.perception.detector.YoloDetector` built from
            ``weights``, ``class_map``, ``device`` and ``imgsz``.
        threshold: facts below this confidence are uncertain.
        known_scene: name detections after the world's scene objects (True) or
            by colour (False).
    """

    def __init__(self, world, domain=None, cameras: Sequence[RgbdCamera] | None = None, detector=None,
                 weights=None, class_map=None, device: str | None = None, imgsz: int = 320,
                 threshold: float = 0.5, known_scene: bool = True, conf: float = 0.15):
        from .detector import YoloDetector

        self.world = world
        self.domain = domain
        self.cameras = list(cameras) if cameras else default_cameras()
        self.detector = detector or YoloDetector(weights, class_map=class_map, device=device, imgsz=imgsz,
                                                 conf=conf)
        self.threshold = threshold
        self.known_scene = known_scene
        self.tracker = Tracker()
        self.grounder = Grounder(self.regions(), world.scene if known_scene else None, threshold=threshold)
        self.names = self.grounder.names  # tracking id -> name, kept by the grounder
        self.last_frames: list[Frame] = []
        self.last_detections: list[Detection3D] = []
        self.last_result: GroundingResult | None = None
        self._memory: dict[str, Detection3D] = {}
        if getattr(world, "visual", True) is False:
            from ..errors import LamError

            raise LamError("perception needs a world built with visual=True (the robot's meshes are "
                           "what a camera sees occluding the blocks)")

    # -- pieces the observer reads from the world -------------------------
    def regions(self) -> dict[str, Region]:
        out = {}
        for name, geo in getattr(self.world, "regions", {}).items():
            obj = self.world.scene.objects.get(name)
            out[name] = Region(name, tuple(geo.center), tuple(geo.inner), float(geo.floor_z),
                               (obj.kind if obj else None) or "tray", obj.color if obj else None,
                               float(getattr(geo, "wall_height", 0.025)))
        return out

    def gripper(self) -> tuple[str | None, np.ndarray | None]:
        """(name of the grasped body or None, grasp point) from finger contacts and kinematics."""
        import pybullet as p

        world = self.world
        fingers = (9, 10)
        touching = []
        for link in fingers:
            contacts = p.getContactPoints(bodyA=world.robot, linkIndexA=link, physicsClientId=world.client)
            bodies = {c[2] for c in contacts}
            touching.append(bodies)
        grasped = touching[0] & touching[1]
        names = {world.body_of(n): n for n in world.blocks}
        held = next((names[b] for b in sorted(grasped) if b in names), None)
        ee = None
        try:
            ee = np.asarray(world.ee_pose()[0], dtype=float)
        except Exception:  # noqa: BLE001 - a world without an arm
            ee = None
        return held, ee

    def lift_config(self) -> LiftConfig:
        sizes: dict[str, float] = {}
        mixed: set[str] = set()  # colours with blocks of several sizes: measure each block's
        scene = self.world.scene
        for name in scene.blocks:
            obj = scene.objects[name]
            size = getattr(self.world, "block_sizes", {}).get(name) or obj.size
            if obj.color and size:
                if abs(sizes.setdefault(obj.color, float(size)) - float(size)) > 1e-3:
                    mixed.add(obj.color)
        choices: dict[str, list[float]] = {}
        for name in scene.blocks:
            obj = scene.objects[name]
            size = getattr(self.world, "block_sizes", {}).get(name) or obj.size
            if obj.color in mixed and size:
                choices.setdefault(obj.color, []).append(float(size))
        sizes = {c: v for c, v in sizes.items() if c not in mixed}
        colours = tuple(self._block_colours()) if self.known_scene else ()
        return LiftConfig(sizes=sizes if self.known_scene else None, regions=tuple(self.regions().values()),
                          colours=colours, size_choices=choices if self.known_scene else None)

    def _arm_boxes(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The arm's links as boxes now, from its own kinematics: pixels there are the robot, not a block."""
        if getattr(self.world, "robot", None) is None:
            return []
        return link_boxes(self.world.robot, self.world.client)

    def _block_colours(self) -> dict[str, int]:
        """How many known blocks there are of each colour (the scene's words; a colourless block by its name)."""
        counts: dict[str, int] = {}
        for name in self.world.scene.blocks:
            colour = self.world.scene.objects[name].color or name
            counts[colour] = counts.get(colour, 0) + 1
        return counts

    def _check_colours(self, seen: list[Detection3D]) -> list[Detection3D]:
        """The detector's blocks whose pixels show their class's colour; the others are dropped, for
        the fallbacks to explain. The detector knows eight colours: a grey block may come out
        ``white``, a pink one ``red``, a grey-and-pink stack as one box. Dropped: in a known scene, a
        detection of a colour no known block has, or whose pixels are nearer another known block's
        colour; with no scene, one whose pixels are clearly a colour the detector never learnt."""
        scene_colours = list(self._block_colours()) if self.known_scene else []
        own = {normalize_color(c) for c in scene_colours}
        palette = Palette(scene_colours) if self.known_scene else Palette()
        out = []
        for det in seen:
            word = normalize_color(det.class_name)
            if not is_block_class(det.class_name):
                out.append(det)
                continue
            if self.known_scene and word not in own:
                continue  # no known block has that colour: the fallbacks will say which one it is
            observed = det.attributes.get("observed_rgb")
            if observed is not None and rgb_of(word) is not None:
                pixels = np.asarray([observed])
                nearest, dist = palette.name(pixels)
                if self.known_scene:
                    wrong = palette.distance(pixels, word) > WRONG_COLOUR
                else:  # only a colour the detector never learnt overrules it, and clearly
                    wrong = nearest not in COLORS and palette.distance(pixels, word) - dist > CLEARLY_NEARER
                if nearest not in (None, word) and wrong:
                    continue
            out.append(det)
        return out

    def _colour_fallback(self, seen: list[Detection3D], frames: list[Frame], config: LiftConfig) -> list[Detection3D]:
        """Known blocks the detector missed (say, the middle of a tall stack, or a colour it never
        learnt): look for a patch of their colour standing above the table, and lift it with a low
        score (``FALLBACK_SCORE``). Colours without an RGB are left to :meth:`_geometric_fallback`."""
        if not self.known_scene:
            return []
        import cv2

        from .lifting import colour_mask, lift

        counts = self._block_colours()
        seen_counts: dict[str, int] = {}
        for det in seen:
            seen_counts[det.class_name] = seen_counts.get(det.class_name, 0) + 1
        out: list[Detection3D] = []
        standing = None
        for colour, n in counts.items():
            if seen_counts.get(colour, 0) >= n or rgb_of(colour) is None:
                continue
            frame = frames[0]
            if standing is None:
                standing = standing_mask(frame, config, self._arm_boxes())
            mask = np.zeros(standing.shape, dtype=np.uint8)
            mask[standing] = colour_mask(frame.rgb[standing][:, None, :], colour, among=counts)[:, 0]
            k, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
            order = sorted(range(1, k), key=lambda i: -stats[i, cv2.CC_STAT_AREA])
            boxes = []
            for i in order:
                if stats[i, cv2.CC_STAT_AREA] < FALLBACK_MIN_PIXELS:
                    break
                for part in split_patch(labels == i, frame, (config.sizes or {}).get(colour, DEFAULT_BLOCK_SIZE)):
                    vs, us = np.nonzero(part)
                    boxes.append((float(us.min()), float(vs.min()), float(us.max() + 1), float(vs.max() + 1)))
            for box in boxes:
                det2 = Detection2D(colour, FALLBACK_SCORE, box)
                d3 = lift(det2, frame, config)
                if d3 is None or d3.bottom_z < config.table_z - 0.02:
                    continue
                too_tall = d3.attributes.get("height_excess", 0.0) > 0.02
                if too_tall or math.hypot(*d3.center_xyz[:2]) < ROBOT_BASE_RADIUS_M:
                    continue  # taller than a block, or the robot's own (white) base
                if any(d.class_name == colour and math.dist(d.center_xyz, d3.center_xyz) < 0.04
                       for d in seen + out):
                    continue
                out.append(Detection3D(d3.hypotheses, d3.center_xyz, d3.size_xyz, "",
                                       dict(d3.attributes, fallback=True)))
                seen_counts[colour] = seen_counts.get(colour, 0) + 1
                if seen_counts[colour] >= n:
                    break
        return out

    def _geometric_fallback(self, seen: list[Detection3D], frames: list[Frame],
                            config: LiftConfig) -> list[Detection3D]:
        """Whatever else stands on the table, found by depth alone (:func:`geometric.find_blocks`).

        In a known scene only blocks still missing are looked for, and each one found is matched to
        the missing block of the nearest colour (a colour word without an RGB matches anything
        left); what matches no missing block is dropped, so the arm or a stray patch never becomes
        a block. With no scene every block found is kept, named by its colour."""
        missing: list[str] = []
        palette = Palette()
        if self.known_scene:
            counts = self._block_colours()
            for det in seen:
                if det.class_name in counts:
                    counts[det.class_name] -= 1
            missing = [c for c, n in counts.items() for _ in range(max(0, n))]
            if not missing:
                return []
            palette = Palette([*counts, *COLORS])
        sizes = [s for s in (config.sizes or {}).values()]
        block_size = float(np.median(sizes)) if sizes else DEFAULT_BLOCK_SIZE
        found: list[Detection3D] = []
        for frame in frames:
            found += find_blocks(frame, config, seen + found, palette, self._arm_boxes(), block_size)
        if not self.known_scene:
            return found
        return [_resized(d, config) for d in _match_colours(found, missing)]

    def _occluded_memory(self, seen: list[Detection3D], frames: list[Frame]) -> list[Detection3D]:
        """Known blocks not detected now but hidden behind something nearer (the arm, another
        block) in every view keep their last 3-D detection, with a lower score."""
        from .camera import project_points

        out = []
        known: dict[str, int] = {}
        for block in self.world.scene.blocks:
            colour = self.world.scene.objects[block].color
            known[colour] = known.get(colour, 0) + 1
        held_before = None
        if self.last_result is not None:
            held_before = next((a.args[0] for a in self.last_result.state.state if a.predicate == "holding"), None)
        for name, det in getattr(self, "_memory", {}).items():
            if name == held_before:
                continue  # it moved with the gripper: its old place says nothing
            if sum(d.class_name == det.class_name for d in seen + out) >= known.get(det.class_name, 0):
                continue  # every block of that colour is accounted for
            if any(d.class_name == det.class_name and math.dist(d.center_xyz, det.center_xyz) < 0.1 for d in seen):
                continue
            hidden = True
            for frame in frames:
                u, v = project_points(np.asarray([det.center_xyz]), frame.info, frame.world_from_optical)[0]
                ui, vi = int(round(u)), int(round(v))
                if not (0 <= vi < frame.depth_m.shape[0] and 0 <= ui < frame.depth_m.shape[1]):
                    continue
                optical = np.linalg.inv(frame.world_from_optical)
                expected = float((optical[:3, :3] @ np.asarray(det.center_xyz) + optical[:3, 3])[2])
                if frame.depth_m[vi, ui] > expected - det.size_xyz[0]:  # nothing in front: truly gone
                    hidden = False
            if hidden and det.score * 0.9 >= 0.05:
                attributes = dict(det.attributes, occluded=True)
                out.append(Detection3D(((det.class_name, det.score * 0.9),), det.center_xyz, det.size_xyz,
                                       "", attributes))
        return out

    @staticmethod
    def arm_points(robot: int, client: int) -> list[tuple[float, float, float]]:
        """Points along an arm body now (base, link frames and centres of mass, midpoints between
        them), robot base frame: what may stand between a camera and a block."""
        import pybullet as p

        chain = [tuple(p.getBasePositionAndOrientation(robot, physicsClientId=client)[0])]
        for link in range(p.getNumJoints(robot, physicsClientId=client)):
            state = p.getLinkState(robot, link, computeForwardKinematics=True, physicsClientId=client)
            chain += [tuple(state[4]), tuple(state[0])]
        points = list(chain)
        for a, b in zip(chain, chain[1:]):
            points.append(tuple((x + y) / 2 for x, y in zip(a, b)))
        return points

    # -- the Observer interface --------------------------------------------
    def observe(self) -> WorldState:
        frames = [cam.render(self.world.client, stamp_s=getattr(self.world, "sim_time_s", 0.0))
                  for cam in self.cameras]
        batches = self.detector.detect_batch([f.rgb for f in frames])
        config = self.lift_config()
        lifted = [lift_all(dets, frame, config) for dets, frame in zip(batches, frames)]
        merged = [d for d in self._check_colours(fuse_views(lifted))
                  if is_block_class(d.class_name) or plausible_tray(d, config.table_z)]  # no phantom trays
        if len(frames) == 1:
            merged = _relift_under_same_colour(merged, frames[0], config)
        merged += self._colour_fallback(merged, frames, config)
        merged += self._geometric_fallback(merged, frames, config)
        merged += self._occluded_memory(merged, frames)
        tracked = self.tracker.update(merged)
        held, ee = self.gripper()
        self.grounder.regions, self.grounder.threshold = self.regions(), self.threshold
        eyes = [f.world_from_optical[:3, 3] for f in frames]
        result = self.grounder.update(tracked, held=held, held_xyz=ee, eyes=eyes,
                                      arm=self.arm_points(self.world.robot, self.world.client))
        self._memory = {result.names.get(d.tracking_id, ""): d for d in tracked if d.class_name != "tray"}
        self._memory.pop("", None)
        self.last_frames = frames
        self.last_detections = tracked
        self.last_result = result
        return result.state


def _relift_under_same_colour(dets: list[Detection3D], frame: Frame, config: LiftConfig) -> list[Detection3D]:
    """A block under a same-coloured one: its box also shows the upper block's side, which lifting
    cannot tell from its own (one colour, one connected cluster), so it comes out too high. Lift it
    again from the points below the upper block's bottom."""
    from .lifting import lift

    out = list(dets)
    for i, low in enumerate(dets):
        box = low.attributes.get("box_uv")
        if not is_block_class(low.class_name) or box is None or low.attributes.get("fallback"):
            continue
        above = [d for d in dets if d is not low and d.class_name == low.class_name
                 and d.center_xyz[2] > low.center_xyz[2] + 0.01
                 and math.dist(d.center_xyz[:2], low.center_xyz[:2]) < 0.6 * min(d.size_xyz[0], low.size_xyz[0])
                 and low.top_z > d.bottom_z + 0.008]
        if not above:
            continue
        cut = min(d.bottom_z for d in above) + 0.004
        again = lift(Detection2D(low.class_name, low.score, tuple(box)), frame, config, below_z=cut)
        if again is not None:
            out[i] = Detection3D(low.hypotheses, again.center_xyz, again.size_xyz, low.tracking_id,
                                 dict(again.attributes, relifted=True))
    return out


def _resized(det: Detection3D, config: LiftConfig) -> Detection3D:
    """A block found by geometry, once named, takes its class's known edge (or, where blocks of its
    colour differ in size, the known edge nearest what is seen) standing on its seen top."""
    known = (config.sizes or {}).get(det.class_name)
    choices = (config.size_choices or {}).get(det.class_name)
    if known is None and not choices:
        return det
    top = det.top_z
    if known is not None:
        edge = float(known)
    else:
        top_edge = det.size_xyz[0] if det.attributes.get("top_visible") else None
        edge = fit_size(choices, top, float(det.attributes.get("low_z", top)), top_edge, config.table_z)
    attributes = dict(det.attributes, bottom_z=top - edge)
    return Detection3D(det.hypotheses, (det.center_xyz[0], det.center_xyz[1], top - edge / 2), (edge, edge, edge),
                       det.tracking_id, attributes)


def _match_colours(found: list[Detection3D], missing: list[str]) -> list[Detection3D]:
    """Blocks found by geometry named after the missing known blocks (one colour word per missing
    block, repeated for several of a colour): least total colour difference, within ``MAX_MATCH_COST``."""
    if not found or not missing:
        return []
    from scipy.optimize import linear_sum_assignment

    cost = np.full((len(found), len(missing)), 10.0)
    for r, det in enumerate(found):
        observed = np.asarray([det.attributes.get("observed_rgb", (0.5, 0.5, 0.5))])
        for c, colour in enumerate(missing):
            target = rgb_of(colour)
            cost[r, c] = WILDCARD_COST if target is None else Palette([colour]).distance(observed, colour)
    out = []
    for r, c in zip(*linear_sum_assignment(cost)):
        if cost[r, c] <= MAX_MATCH_COST:
            det = found[r]
            out.append(Detection3D(((missing[c], det.score),), det.center_xyz, det.size_xyz, "",
                                   dict(det.attributes, seen_as=det.class_name)))
    return out


def fuse_views(per_view: list[list[Detection3D]], radius_m: float = 0.03) -> list[Detection3D]:
    """Merge detections of one object (same class, centres within ``radius_m``): the same block
    seen by several cameras, or twice by one; the best-seen one stays."""
    merged: list[list[Detection3D]] = []
    for dets in per_view:
        for det in sorted(dets, key=lambda d: -d.score):
            for group in merged:
                if group[0].class_name == det.class_name and \
                        math.dist(group[0].center_xyz, det.center_xyz) < radius_m:
                    group.append(det)
                    break
            else:
                merged.append([det])
    out = []
    for group in merged:
        best = max(group, key=lambda d: (bool(d.attributes.get("top_visible")), d.score))
        out.append(best)
    return out


def make_observer(world, domain=None, **options) -> PerceptionObserver:
    """A perception :class:`~lam_robot.world_state.Observer` over a simulated world.

    Options: ``cameras``, ``detector``, ``weights`` (.pt/.onnx), ``class_map``
    (dict or JSON path), ``device``, ``imgsz``, ``threshold``, ``known_scene``, ``conf``.
    """
    return PerceptionObserver(world, domain, **options)


__all__ = ["CameraInfo", "Detection2D", "Detection3D", "Frame", "PerceptionObserver", "RgbdCamera",
           "Region", "default_cameras", "fuse_views", "ground", "make_observer"]
