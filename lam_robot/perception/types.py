"""Typed detection containers at the perception boundary.

They follow the field layout of ``vision_msgs``: a detection carries
hypotheses (class name, score), a box and a tracking id. Nodes convert them
to and from messages; the core never imports ROS.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import math

import numpy as np


@dataclass(frozen=True)
class Detection2D:
    """One object in an image (``vision_msgs/Detection2D``).

    Attributes:
        class_name: the scene word for it (``red``, ``tray``), after the class map.
        score: detector confidence, 0..1.
        xyxy: box corners (x0, y0, x1, y1) in pixels of the input image.
        model_class: the model's own class name before mapping.
    """

    class_name: str
    score: float
    xyxy: tuple[float, float, float, float]
    model_class: str = ""

    @property
    def hypotheses(self) -> tuple[tuple[str, float], ...]:
        return ((self.class_name, self.score),)

    @property
    def center_uv(self) -> tuple[float, float]:
        return ((self.xyxy[0] + self.xyxy[2]) / 2, (self.xyxy[1] + self.xyxy[3]) / 2)


@dataclass(frozen=True)
class Detection3D:
    """One object in 3-D (``vision_msgs/Detection3D``), in the robot base frame.

    Attributes:
        hypotheses: (class name, score) pairs, best first.
        center_xyz: centre of the box, metres.
        size_xyz: box extent, metres.
        tracking_id: stable across frames (``""`` until tracked).
        attributes: extra evidence: ``top_z``, ``bottom_z`` (metres), ``tilt_rad``,
            ``n_points``, ``box_uv``, ``visible_fraction``, ``name`` once grounded.
    """

    hypotheses: tuple[tuple[str, float], ...]
    center_xyz: tuple[float, float, float]
    size_xyz: tuple[float, float, float]
    tracking_id: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def class_name(self) -> str:
        return self.hypotheses[0][0]

    @property
    def score(self) -> float:
        return float(self.hypotheses[0][1])

    @property
    def top_z(self) -> float:
        return float(self.attributes.get("top_z", self.center_xyz[2] + self.size_xyz[2] / 2))

    @property
    def bottom_z(self) -> float:
        return float(self.attributes.get("bottom_z", self.center_xyz[2] - self.size_xyz[2] / 2))

    def with_id(self, tracking_id: str) -> "Detection3D":
        return replace(self, tracking_id=tracking_id)

    def to_dict(self) -> dict:
        return {"hypotheses": [[c, round(float(s), 4)] for c, s in self.hypotheses],
                "center_xyz": [round(float(v), 4) for v in self.center_xyz],
                "size_xyz": [round(float(v), 4) for v in self.size_xyz],
                "tracking_id": self.tracking_id}


@dataclass(frozen=True)
class Region:
    """A region (tray, bin, zone) on the table.

    Attributes:
        name: scene name.
        center_xy: footprint centre, metres.
        inner_xy: inner footprint (x, y extent), metres.
        floor_z: top of its floor, metres.
        kind: tray, bin, zone...
        color: colour word, if any.
    """

    name: str
    center_xy: tuple[float, float]
    inner_xy: tuple[float, float]
    floor_z: float = 0.0
    kind: str = "tray"
    color: str | None = None
    wall_height: float = 0.025
    wall_thickness: float = 0.008

    def on_body(self, xyz: np.ndarray) -> np.ndarray:
        """Which points (Nx3, metres) lie on the region itself: floor or walls."""
        dx = np.abs(xyz[..., 0] - self.center_xy[0])
        dy = np.abs(xyz[..., 1] - self.center_xy[1])
        hx, hy = self.inner_xy[0] / 2, self.inner_xy[1] / 2
        t = self.wall_thickness + 0.004
        outer = (dx <= hx + t) & (dy <= hy + t)
        inner = (dx < hx - 0.002) & (dy < hy - 0.002)
        floor = outer & (xyz[..., 2] <= self.floor_z + 0.004)
        wall = outer & ~inner & (xyz[..., 2] <= self.wall_height + 0.004)
        return floor | wall

    def inside(self, xy: Sequence[float], margin: float = 0.0) -> float:
        """1 deep inside the footprint, falling to 0 at ``margin`` beyond its edge (soft)."""
        dx = abs(xy[0] - self.center_xy[0]) - self.inner_xy[0] / 2
        dy = abs(xy[1] - self.center_xy[1]) - self.inner_xy[1] / 2
        worst = max(dx, dy)  # > 0: outside
        return float(1.0 / (1.0 + math.exp((worst - margin) / 0.006)))


def as_array(values) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)
