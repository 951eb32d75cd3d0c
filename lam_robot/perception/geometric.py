"""Blocks found by geometry: whatever stands on the table that nothing else explains.

The detector only knows the colours it was trained on; a grey, pink or brown
block may be missed, or called white or red. Depth does not care about colour:
every compact thing standing on the table in the workspace is an object. This
module takes the pixels that show something above the table plane and removes
what is already explained:

* the detector's (and the colour fallback's) blocks: points inside their 3-D boxes;
* regions: their floors and walls (known layout, or detected trays);
* the robot: points inside its links' bounding boxes from its own kinematics
  (a self-filter, as ``robot_self_filter`` does for a real arm's point cloud),
  and its base;
* anything higher than a block on the table could be (the arm above the table).

What is left is split into patches of one colour of a palette (so a stack of
differently coloured blocks falls apart into its blocks), each patch lifted as
a block and kept only if it is block-sized: its top face no wider than a block,
not taller than one (or than a whole number of same-coloured blocks stacked).
Shadows are no objects: they lie on the table plane, which depth sees.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..sim.appearance import DEFAULT_BLOCK_SIZE
from .camera import Frame, backproject
from .lifting import LiftConfig, lift_pixels
from .palette import Palette, is_block_class
from .types import Detection2D, Detection3D, Region

GEOMETRIC_SCORE = 0.3       # score of a block found by geometry alone (counts fully in grounding)
ROBOT_BASE_RADIUS_M = 0.2   # no block stands this close to the robot's base axis
MAX_BLOCK_TOP_Z_M = 0.35    # above that: the arm, not a block on the table
MIN_PATCH_PIXELS = 60       # smallest patch (pixels at the camera's resolution) taken for a block
SPLIT_EXTENT = 1.7          # a patch longer on the table than this many block edges is several blocks
EXPLAINED_MARGIN_M = 0.012  # points this close to a known box belong to it
BELOW_MARGIN_M = 0.004      # ... but below its bottom, only this close
ARM_PAD_M = 0.015           # padding of the arm's link boxes, metres
MIN_EXTENT = 0.6            # a patch narrower and lower than this many block edges is a sliver, not a block
MAX_STACK = 3               # same-coloured blocks one patch may hold, one on another


def standing_mask(frame: Frame, config: LiftConfig,
                  arm_boxes: Sequence[tuple[np.ndarray, np.ndarray]] = ()) -> np.ndarray:
    """Pixels that show something standing on the table in the workspace: not background, not
    table, not a known region's floor or walls, not the robot (its base, its links' ``arm_boxes``),
    not high above the table."""
    h, w = frame.depth_m.shape
    vs, us = np.mgrid[0:h, 0:w]
    pts = backproject(us, vs, frame.depth_m, frame.info, frame.world_from_optical)
    mask = (frame.depth_m < 0.99 * float(frame.depth_m.max())) & (pts[..., 2] > config.table_z + 0.004)
    mask &= np.hypot(pts[..., 0], pts[..., 1]) > ROBOT_BASE_RADIUS_M
    mask &= pts[..., 2] < MAX_BLOCK_TOP_Z_M
    for region in config.regions:
        mask &= ~region.on_body(pts)
    if arm_boxes:
        mask[mask] = ~in_boxes(pts[mask], arm_boxes)  # only where something stands: cheap
    return mask


def split_patch(patch: np.ndarray, frame: Frame, block_size: float, depth: int = 0) -> list[np.ndarray]:
    """The blocks in one patch (HxW bool), as pixel masks: two same-coloured blocks side by side
    (say, in a tray) make one patch; split it where it is longer on the table than a block can be."""
    vs, us = np.nonzero(patch)
    if len(us) < MIN_PATCH_PIXELS // 2:
        return []
    pts = backproject(us, vs, frame.depth_m[vs, us], frame.info, frame.world_from_optical)[:, :2]
    centred = pts - pts.mean(axis=0)
    axis = np.linalg.svd(centred, full_matrices=False)[2][0]
    along = centred @ axis
    if depth >= 3 or float(np.percentile(along, 95) - np.percentile(along, 5)) < SPLIT_EXTENT * block_size:
        return [patch]
    parts = []
    for side in (along < np.median(along), along >= np.median(along)):
        part = np.zeros_like(patch)
        part[vs[side], us[side]] = True
        parts += split_patch(part, frame, block_size, depth + 1)
    return parts


def explained_mask(points: np.ndarray, detections: Sequence[Detection3D], table_z: float,
                   margin_m: float = EXPLAINED_MARGIN_M) -> np.ndarray:
    """Points (HxWx3, metres) inside the 3-D box of a detected block, or on a detected tray's walls."""
    out = np.zeros(points.shape[:-1], dtype=bool)
    for det in detections:
        cx, cy, _ = det.center_xyz
        if not is_block_class(det.class_name):
            inner = (max(0.0, det.size_xyz[0] - 0.016), max(0.0, det.size_xyz[1] - 0.016))
            out |= Region(det.class_name, (cx, cy), inner, table_z + 0.004).on_body(points)
            continue
        yaw = float(det.attributes.get("yaw", 0.0))
        dx, dy = points[..., 0] - cx, points[..., 1] - cy
        u = np.abs(math.cos(yaw) * dx + math.sin(yaw) * dy)
        v = np.abs(-math.sin(yaw) * dx + math.cos(yaw) * dy)
        half = det.size_xyz[0] / 2 + margin_m
        z = points[..., 2]  # not much below: the top of a block under it is no part of it
        out |= (u <= half) & (v <= half) & (z >= det.bottom_z - BELOW_MARGIN_M) & (z <= det.top_z + margin_m)
    return out


def link_boxes(robot: int, client: int, pad_m: float = ARM_PAD_M) -> list[tuple[np.ndarray, np.ndarray]]:
    """The robot's links as axis-aligned boxes (lower, upper corners, metres) from its own model and
    joint state, padded by ``pad_m``: what a self-filter removes from the point cloud."""
    import pybullet as p

    boxes = []
    for link in range(-1, p.getNumJoints(robot, physicsClientId=client)):
        lo, hi = p.getAABB(robot, link, physicsClientId=client)
        boxes.append((np.asarray(lo) - pad_m, np.asarray(hi) + pad_m))
    return boxes


def in_boxes(points: np.ndarray, boxes: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Points (...x3) inside any of the boxes."""
    out = np.zeros(points.shape[:-1], dtype=bool)
    for lo, hi in boxes:
        out |= np.all((points >= lo) & (points <= hi), axis=-1)
    return out


def find_blocks(frame: Frame, config: LiftConfig, explained: Sequence[Detection3D] = (),
                palette: Palette | None = None, arm_boxes: Sequence[tuple[np.ndarray, np.ndarray]] = (),
                block_size: float = DEFAULT_BLOCK_SIZE) -> list[Detection3D]:
    """Blocks standing on the table that neither ``explained`` nor the arm accounts for.

    Args:
        frame: one RGB-D view.
        config: lifting tunables (table height, known regions).
        explained: detections already made (their pixels are accounted for).
        palette: colours to split patches by and name blocks from (default: every named colour).
        arm_boxes: the robot's link boxes (:func:`link_boxes`).
        block_size: expected block edge, metres (for splitting and the size checks).

    Returns:
        Block detections, class = the nearest palette colour of the top face, score
        ``GEOMETRIC_SCORE``, attributes ``fallback`` and ``geometric`` true and ``observed_rgb``
        (the top face's median colour, 0..1).
    """
    import cv2

    palette = palette or Palette()
    h, w = frame.depth_m.shape
    vs, us = np.mgrid[0:h, 0:w]
    points = backproject(us, vs, frame.depth_m, frame.info, frame.world_from_optical)
    mask = standing_mask(frame, config, arm_boxes) & ~explained_mask(points, explained, config.table_z)
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).astype(bool)
    if int(mask.sum()) < MIN_PATCH_PIXELS:
        return []
    labels = np.full(mask.shape, -2, dtype=np.int64)
    labels[mask] = palette.label(frame.rgb[mask])  # only what is left: cheap
    found: list[Detection3D] = []
    for value in np.unique(labels[mask]):
        k, comp, stats, _ = cv2.connectedComponentsWithStats((mask & (labels == value)).astype(np.uint8),
                                                             connectivity=8)
        for i in sorted(range(1, k), key=lambda j: -stats[j, cv2.CC_STAT_AREA]):
            if stats[i, cv2.CC_STAT_AREA] < MIN_PATCH_PIXELS:
                break
            for part in split_patch(comp == i, frame, block_size):
                found += _blocks_of_patch(part, points, frame, config, palette, block_size,
                                          list(explained) + found)
    return found


def _blocks_of_patch(part: np.ndarray, points: np.ndarray, frame: Frame, config: LiftConfig, palette: Palette,
                     block_size: float, known: Sequence[Detection3D]) -> list[Detection3D]:
    """The block (or stack of same-coloured blocks) one patch shows, or nothing when it is no block."""
    vs, us = np.nonzero(part)
    box = (float(us.min()), float(vs.min()), float(us.max() + 1), float(vs.max() + 1))
    sized = LiftConfig(config.table_z, block_size, None, config.shrink, config.stride, False, config.regions)
    d3 = lift_pixels(Detection2D("block", GEOMETRIC_SCORE, box), part, frame, sized)
    if d3 is None or d3.bottom_z < config.table_z - 0.02 or math.hypot(*d3.center_xyz[:2]) < ROBOT_BASE_RADIUS_M:
        return []
    edge = d3.size_xyz[0]
    xy = points[part][:, :2]
    xy = xy - xy.mean(axis=0)
    spread = float(np.max(np.percentile(xy, 95, axis=0) - np.percentile(xy, 5, axis=0)))
    tall = float(d3.attributes["top_z"] - d3.attributes["low_z"])
    if spread < MIN_EXTENT * edge and tall < MIN_EXTENT * edge:
        return []  # a sliver: the edge of something already explained
    count = max(1, round(tall / edge))
    if count > MAX_STACK or (count > 1 and abs(tall - count * edge) > 0.3 * edge):
        return []  # taller than a block, and not a whole number of them: not blocks
    observed = np.asarray(d3.attributes["observed_rgb"])
    colour = palette.name(observed[None, :])[0] or "block"
    out = []
    for n in range(count):
        centre = (d3.center_xyz[0], d3.center_xyz[1], d3.center_xyz[2] - n * edge)
        if any(math.dist(centre, o.center_xyz) < 0.6 * edge for o in list(known) + out):
            continue
        excess = 0.0 if count > 1 else d3.attributes["height_excess"]
        attributes = dict(d3.attributes, fallback=True, geometric=True, top_z=centre[2] + edge / 2,
                          bottom_z=centre[2] - edge / 2, height_excess=excess)
        if n > 0:
            attributes["top_visible"] = False
        out.append(Detection3D(((colour, GEOMETRIC_SCORE),), centre, d3.size_xyz, "", attributes))
    return out
