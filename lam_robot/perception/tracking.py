"""Tracking: stable identities for 3-D detections across frames.

A detection keeps the id of the nearest track of the same class within a
gating distance (optimal assignment, Hungarian); new objects get a fresh id
(``red#1``, ``red#2``...), tracks unseen for ``max_missed`` frames are dropped.
Ids are perception's own handles; grounding maps them to scene names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .types import Detection3D


@dataclass
class Track:
    """One object followed over time."""

    tracking_id: str
    class_name: str
    center_xyz: np.ndarray
    missed: int = 0
    hits: int = 1


@dataclass
class Tracker:
    """Nearest-neighbour tracker with class gating.

    Attributes:
        gate_m: largest distance between a track and a detection to match, metres.
        max_missed: frames a track survives without a detection.
    """

    gate_m: float = 0.08
    max_missed: int = 5
    tracks: dict[str, Track] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)

    def update(self, detections: list[Detection3D]) -> list[Detection3D]:
        """Give each detection a tracking id; returns them in input order."""
        from scipy.optimize import linear_sum_assignment

        tracks = list(self.tracks.values())
        assigned: dict[int, Track] = {}
        if tracks and detections:
            cost = np.full((len(detections), len(tracks)), 1e6)
            for i, det in enumerate(detections):
                for j, tr in enumerate(tracks):
                    if tr.class_name == det.class_name:
                        dist = float(np.linalg.norm(np.asarray(det.center_xyz) - tr.center_xyz))
                        if dist <= self.gate_m:
                            cost[i, j] = dist
            rows, cols = linear_sum_assignment(cost)
            for i, j in zip(rows, cols):
                if cost[i, j] < 1e6:
                    assigned[i] = tracks[j]
        out = []
        seen = set()
        for i, det in enumerate(detections):
            track = assigned.get(i)
            if track is None:
                n = self._counters.get(det.class_name, 0) + 1
                self._counters[det.class_name] = n
                track = Track(f"{det.class_name}#{n}", det.class_name, np.asarray(det.center_xyz, dtype=float))
                self.tracks[track.tracking_id] = track
            else:
                track.center_xyz = np.asarray(det.center_xyz, dtype=float)
                track.missed = 0
                track.hits += 1
            seen.add(track.tracking_id)
            out.append(det.with_id(track.tracking_id))
        for tid in list(self.tracks):
            if tid not in seen:
                self.tracks[tid].missed += 1
                if self.tracks[tid].missed > self.max_missed:
                    del self.tracks[tid]
        return out

    def reset(self) -> None:
        self.tracks.clear()
        self._counters.clear()
