"""Lifting: a 2-D detection plus depth plus intrinsics gives a 3-D box in the robot frame.

For each box the depth pixels inside it are back-projected through the
camera's intrinsics (``CameraInfo.k``) and extrinsics (``world_from_optical``)
into the robot base frame. Pixels that belong to the object are picked by
height (above the table plane) and, for blocks, by colour: the detector's
class is the block's colour, and pixels whose colour is nearer another
palette colour (the block on top, the table, the gripper) are dropped. From
those points:

* ``top_z``: a high percentile of height; the visible top face is the set of
  points within a few millimetres of it;
* size: edge lengths of the top face, or the known/nominal
  block size when the top is hidden (a block under another one);
* yaw: the turn of the top face's smallest bounding box (a square's principal
  axes are arbitrary);
* centre: the top face's centre (the whole face, looked for again around the
  detector's box, which may cut its far rim off), or, when only side faces are visible, the
  near face pushed back by half a block along the viewing direction;
* ``bottom_z = top_z - size``; ``height_excess``: how much taller the visible
  points stand than a level block could, the sign of a tilted block.

Trays (regions) are lifted to their footprint: centre and extent of the
points above the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from ..sim.appearance import DEFAULT_BLOCK_SIZE, TABLE_HEIGHT
from .camera import Frame, backproject
from .palette import Palette, is_block_class, rgb_of
from .types import Detection2D, Detection3D, Region

ABOVE_TABLE_M = 0.004        # points lower than this over the table are table
TOP_FACE_BAND_M = 0.006      # points this close to the top are the top face
MIN_POINTS = 12
TOP_GROW = 0.25             # the box is grown by this fraction of its size to find a whole top face
TOP_REACH_M = 0.010         # how far beyond the first guess's footprint the top face is looked for, metres


@dataclass(frozen=True)
class LiftConfig:
    """Tunables for :func:`lift`.

    Attributes:
        table_z: height of the table plane, metres.
        block_size: nominal edge length when none is known, metres.
        sizes: known edge length by class (e.g. from the scene), metres.
        shrink: fraction of the box trimmed on each side before sampling.
        stride: sample every ``stride``-th pixel in each direction.
        use_colour: keep only pixels whose colour matches the class.
        regions: known regions; points on their floors and walls are not objects.
        colours: colour words a block's pixels compete with besides the detector's (say, the
            scene's grey and pink blocks), for ``use_colour``.
        size_choices: the edge lengths blocks of a class may have (metres), for a class whose
            blocks differ in size (a big and a small red one): the one nearest what is seen.
    """

    table_z: float = TABLE_HEIGHT
    block_size: float = DEFAULT_BLOCK_SIZE
    sizes: Mapping[str, float] | None = None
    shrink: float = 0.04
    stride: int = 1
    use_colour: bool = True
    regions: Sequence[Region] = ()
    colours: Sequence[str] = ()
    size_choices: Mapping[str, Sequence[float]] | None = None


def colour_mask(rgb: np.ndarray, colour: str, among: Iterable[str] = ()) -> np.ndarray:
    """Pixels (HxW bool) whose colour is nearest ``colour`` among the detector's colours, ``colour``
    and ``among`` (say, the other colours in the scene).

    Any colour word of the named palette works (``grey``, ``pink``, ``dark green``); a word
    the palette lacks keeps every pixel. See :mod:`~lam_robot.perception.palette` for the metric
    (shading, a darker side face, does not change a pixel's colour).
    """
    if rgb_of(colour) is None:
        return np.ones(rgb.shape[:2], dtype=bool)
    return Palette.competing(colour, among).mask(rgb.reshape(-1, 3), colour).reshape(rgb.shape[:2])


def largest_cluster(points: np.ndarray, voxel_m: float = 0.008) -> np.ndarray:
    """The biggest 3-D connected group of points (26-connected voxels of ``voxel_m``)."""
    return points[_largest_cluster_mask(points, voxel_m)]


def _largest_cluster_mask(points: np.ndarray, voxel_m: float = 0.008) -> np.ndarray:
    from scipy import ndimage

    keep = np.ones(len(points), dtype=bool)
    idx = np.floor((points - points.min(axis=0)) / voxel_m).astype(np.int64)
    shape = idx.max(axis=0) + 1
    if int(np.prod(shape)) > 4_000_000:
        return keep
    grid = np.zeros(tuple(shape), dtype=bool)
    grid[tuple(idx.T)] = True
    labels, n = ndimage.label(grid, structure=np.ones((3, 3, 3), dtype=bool))
    if n <= 1:
        return keep
    lab = labels[tuple(idx.T)]
    counts = np.bincount(lab)
    return lab == int(np.argmax(counts[1:])) + 1


def lift(det: Detection2D, frame: Frame, config: LiftConfig = LiftConfig(),
         below_z: float | None = None) -> Detection3D | None:
    """The 3-D box of one detection, or None when too few depth points support it.

    ``below_z`` (metres) keeps only points lower than that: the block under a same-coloured one,
    whose box also holds the upper block's side."""
    h, w = frame.depth_m.shape
    x0, y0, x1, y1 = det.xyxy
    bw, bh = x1 - x0, y1 - y0
    u0 = int(max(0, math.floor(x0 + config.shrink * bw)))
    u1 = int(min(w, math.ceil(x1 - config.shrink * bw)))
    v0 = int(max(0, math.floor(y0 + config.shrink * bh)))
    v1 = int(min(h, math.ceil(y1 - config.shrink * bh)))
    if u1 - u0 < 2 or v1 - v0 < 2:
        return None
    s = max(1, config.stride)
    vs, us = np.mgrid[v0:v1:s, u0:u1:s]
    depth = frame.depth_m[v0:v1:s, u0:u1:s]
    rgb = frame.rgb[v0:v1:s, u0:u1:s]
    points = backproject(us, vs, depth, frame.info, frame.world_from_optical)
    valid = depth < 0.99 * float(depth.max() + 1e-9) if depth.size else depth.astype(bool)
    valid &= points[..., 2] > config.table_z + ABOVE_TABLE_M
    if below_z is not None:
        valid &= points[..., 2] < below_z
    is_block = is_block_class(det.class_name)
    if is_block:
        for region in config.regions:
            valid &= ~region.on_body(points)
    if is_block and config.use_colour:
        colour_ok = colour_mask(rgb, det.class_name, config.colours)
        if (valid & colour_ok).sum() >= MIN_POINTS:
            valid &= colour_ok
    pts = points[valid]
    if len(pts) < MIN_POINTS:
        return None
    if is_block:
        cluster = _largest_cluster_mask(pts)  # another block of the same colour may show in the box
        if cluster.sum() < MIN_POINTS:
            return None
        out = _lift_block(det, pts[cluster], frame, config, rgb[valid][cluster])
        if below_z is None:
            out = _whole_top_face(out, frame, config)
        return out
    return _lift_region(det, pts, config)


def _whole_top_face(d3: Detection3D, frame: Frame, config: LiftConfig) -> Detection3D:
    """The block's centre from its whole top face. The detector's box (trimmed by ``shrink``) may
    cut off the top face's far rim (a tall stack's box, a big block), which pulls the centre towards
    the camera by up to a third of an edge: a gripper that opens little wider than the block then
    lands on it; a box cut short may even leave too little of the top to call it seen (the top cube
    of a stack of 3 cm cubes). So the top face is looked for again around the first guess, in every
    pixel near the box that shows the block's colour at the top's height, and the centre is taken
    from its extent when that is a block's (at least 0.6 and at most one edge and a bit across) and
    it fills it; a hidden top's rim (the side faces' upper edges) does not, and changes nothing."""
    h, w = frame.depth_m.shape
    x0, y0, x1, y1 = d3.attributes["box_uv"]
    mu, mv = TOP_GROW * (x1 - x0), TOP_GROW * (y1 - y0)
    u0, u1 = int(max(0, math.floor(x0 - mu))), int(min(w, math.ceil(x1 + mu)))
    v0, v1 = int(max(0, math.floor(y0 - mv))), int(min(h, math.ceil(y1 + mv)))
    if u1 - u0 < 2 or v1 - v0 < 2:
        return d3
    vs, us = np.mgrid[v0:v1, u0:u1]
    pts = backproject(us, vs, frame.depth_m[v0:v1, u0:u1], frame.info, frame.world_from_optical)
    edge, top_z = d3.size_xyz[0], float(d3.attributes["top_z"])
    yaw = float(d3.attributes.get("yaw", 0.0))
    axes = np.array([[math.cos(yaw), math.sin(yaw)], [-math.sin(yaw), math.cos(yaw)]])
    local = (pts[..., :2] - np.asarray(d3.center_xyz[:2])) @ axes.T
    keep = (np.abs(pts[..., 2] - top_z) < TOP_FACE_BAND_M / 2) & \
        np.all(np.abs(local) < 0.5 * edge + TOP_REACH_M, axis=-1)
    if config.use_colour:
        keep &= colour_mask(frame.rgb[v0:v1, u0:u1], d3.class_name, config.colours)
    if keep.sum() < 30:
        return d3
    seen = local[keep]
    lo, hi = np.percentile(seen, 1, axis=0), np.percentile(seen, 99, axis=0)
    if np.any(hi - lo > edge + 1.6 * TOP_REACH_M) or np.any(hi - lo < 0.6 * edge):
        return d3  # not one block's top face: keep the first guess
    cells = np.floor((np.clip(seen, lo, hi) - lo) / np.maximum(hi - lo, 1e-6) * 5.999).astype(int)
    if len({(int(a), int(b)) for a, b in cells}) / 36.0 < 0.8:
        return d3  # a rim (the upper edges of side faces around a hidden top), not a face
    shift = ((lo + hi) / 2) @ axes
    centre = (d3.center_xyz[0] + float(shift[0]), d3.center_xyz[1] + float(shift[1]), d3.center_xyz[2])
    return Detection3D(d3.hypotheses, centre, d3.size_xyz, d3.tracking_id, dict(d3.attributes, top_grown=True))


def lift_pixels(det: Detection2D, pixels: np.ndarray, frame: Frame,
                config: LiftConfig = LiftConfig()) -> Detection3D | None:
    """The 3-D box of a block seen as exactly these pixels (HxW bool), e.g. a patch found by
    geometry rather than by the detector; None when too few depth points support it."""
    vs, us = np.nonzero(pixels)
    if len(us) < MIN_POINTS:
        return None
    points = backproject(us, vs, frame.depth_m[vs, us], frame.info, frame.world_from_optical)
    above = points[:, 2] > config.table_z + ABOVE_TABLE_M
    pts, colours = points[above], frame.rgb[vs, us][above]
    if len(pts) < MIN_POINTS:
        return None
    cluster = _largest_cluster_mask(pts)
    if cluster.sum() < MIN_POINTS:
        return None
    return _lift_block(det, pts[cluster], frame, config, colours[cluster])


def fit_size(choices: Sequence[float], top_z: float, low_z: float, top_edge: float | None,
             table_z: float = TABLE_HEIGHT) -> float:
    """Which of the edge lengths a block's class comes in (a big and a small red block) fits what is
    seen: its top's height when its side is seen down to the table (it stands there), else its top
    face's edge (``top_edge``, None when the top is hidden), else its visible height. A top face
    partly hidden by a smaller block on it looks small; a side partly hidden by a tray wall looks short."""
    if low_z - table_z < 0.015:
        seen = top_z - table_z
    elif top_edge is None:
        seen = top_z - low_z
    else:
        seen = top_edge
    return float(min(choices, key=lambda c: abs(c - seen)))


def _square_axes(xy: np.ndarray) -> np.ndarray:
    """The edge directions (2x2, rows) of a square top face seen as points (Nx2, centred): the turn
    (within a quarter turn) whose robust bounding box is smallest. Principal axes cannot tell them: a
    square's spread is the same in every direction, so they come out anywhere (a 7 cm block read as
    turned by 36 degrees is grasped across its corners)."""
    coarse = np.radians(np.arange(-45.0, 45.0, 2.0))
    fine = None
    for angles in (coarse, None):
        if angles is None:
            angles = fine + np.radians(np.arange(-2.0, 2.01, 0.25))
        c, s = np.cos(angles), np.sin(angles)
        u = xy[:, :1] * c + xy[:, 1:] * s          # N x A
        v = -xy[:, :1] * s + xy[:, 1:] * c
        area = (np.percentile(u, 98, axis=0) - np.percentile(u, 2, axis=0)) * \
            (np.percentile(v, 98, axis=0) - np.percentile(v, 2, axis=0))
        fine = float(angles[int(np.argmin(area))])
    return np.array([[math.cos(fine), math.sin(fine)], [-math.sin(fine), math.cos(fine)]])


def _lift_block(det: Detection2D, pts: np.ndarray, frame: Frame, config: LiftConfig,
                colours: np.ndarray | None = None) -> Detection3D:
    z = pts[:, 2]
    top_z = float(np.percentile(z, 97))
    low_z = float(np.percentile(z, 3))
    known = (config.sizes or {}).get(det.class_name)
    on_top = z > top_z - TOP_FACE_BAND_M
    top = pts[on_top]
    edge = known or config.block_size
    top_visible = False
    centre_xy = None
    yaw = 0.0
    if len(top) >= 30:
        xy = top[:, :2] - top[:, :2].mean(axis=0)
        _, _, axes = np.linalg.svd(xy, full_matrices=False)
        proj = xy @ axes.T
        lo, hi = np.percentile(proj, 2, axis=0), np.percentile(proj, 98, axis=0)
        extents = hi - lo
        cells = np.floor((proj - lo) / np.maximum(hi - lo, 1e-6) * 5.999).astype(int)
        occupancy = len({(int(a), int(b)) for a, b in cells}) / 36.0
        if extents.min() > 0.6 * edge and occupancy > 0.6:  # the whole top face is in view (not a rim)
            top_visible = True
            axes = _square_axes(xy)  # the principal axes of a square are anywhere: its edges
            proj = xy @ axes.T
            lo, hi = np.percentile(proj, 2, axis=0), np.percentile(proj, 98, axis=0)
            extents = hi - lo
            if known is None:
                edge = float(np.clip(np.mean(extents), 0.03, 0.08))
            centre_xy = top[:, :2].mean(axis=0) + ((lo + hi) / 2) @ axes
            yaw = math.atan2(axes[0][1], axes[0][0])
            yaw = (yaw + math.pi / 4) % (math.pi / 2) - math.pi / 4  # faces repeat every quarter turn
    if centre_xy is None:
        # only side faces (or a sliver of the top) seen: push the near face back by half a block
        view = np.asarray(frame.world_from_optical)[:2, 2]
        view = view / (np.linalg.norm(view) + 1e-9)
        side = np.array([-view[1], view[0]])
        along, across = pts[:, :2] @ view, pts[:, :2] @ side
        near = float(np.percentile(along, 3))
        far = float(np.percentile(along, 97))
        mid_across = float((np.percentile(across, 3) + np.percentile(across, 97)) / 2)
        centre_along = max((near + far) / 2, near + edge / 2)
        centre_xy = centre_along * view + mid_across * side
    near = np.linalg.norm(pts[:, :2] - centre_xy, axis=1) < 0.72 * edge
    if near.sum() >= MIN_POINTS:  # ignore a tray wall or neighbour of the same colour
        low_z = float(np.percentile(z[near], 3))
    choices = (config.size_choices or {}).get(det.class_name) if known is None else None
    if choices:  # blocks of this class differ in size
        edge = fit_size(choices, top_z, low_z, edge if top_visible else None, config.table_z)
    bottom_z = top_z - edge
    excess = (top_z - low_z) - edge
    attributes = {"top_z": top_z, "bottom_z": bottom_z, "low_z": low_z, "height_excess": float(excess), "yaw": yaw,
                  "top_visible": top_visible, "n_points": int(len(pts)), "box_uv": det.xyxy}
    if colours is not None and len(colours):
        # the colour it shows (0..1), from its top face when enough of that is seen: checks the class
        seen = colours[on_top] if on_top.sum() >= MIN_POINTS else colours
        attributes["observed_rgb"] = tuple(float(c) for c in np.median(seen.astype(float), axis=0) / 255.0)
    return Detection3D(det.hypotheses, (float(centre_xy[0]), float(centre_xy[1]), top_z - edge / 2),
                       (edge, edge, edge), "", attributes)


def _lift_region(det: Detection2D, pts: np.ndarray, config: LiftConfig) -> Detection3D:
    lo = np.percentile(pts, 3, axis=0)
    hi = np.percentile(pts, 97, axis=0)
    centre = (lo + hi) / 2
    size = hi - lo
    attributes = {"top_z": float(hi[2]), "bottom_z": config.table_z, "n_points": int(len(pts)),
                  "box_uv": det.xyxy}
    return Detection3D(det.hypotheses, (float(centre[0]), float(centre[1]), float((hi[2] + config.table_z) / 2)),
                       (float(size[0]), float(size[1]), float(hi[2] - config.table_z)), "", attributes)


def lift_all(detections: list[Detection2D], frame: Frame, config: LiftConfig = LiftConfig()) -> list[Detection3D]:
    """Lift every detection; those without depth support are dropped."""
    out = []
    for det in detections:
        d3 = lift(det, frame, config)
        if d3 is not None:
            out.append(d3)
    return out
