"""Colour words from pixels: the named palette perception compares what it sees with.

The detector knows eight colours (its classes, :data:`~lam_robot.sim.appearance.COLORS`);
people say many more (grey, pink, brown, dark green...). Every colour word with an
RGB in :data:`~lam_robot.sim.appearance.NAMED_COLORS` can be recognised here from
pixels, so a block the detector never learnt is still seen and named.

The distance between a pixel and a palette colour compares chromaticity (the
direction of the RGB vector) and brightness separately, with brightness
weighted low and on a log scale: the simulator's shading scales a face's colour
(a side face renders at about 0.74 of its top face), which this metric hardly
notices, while grey and white (same chromaticity) still differ by brightness.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from ..sim.appearance import COLORS, NAMED_COLORS, normalize_color

BRIGHTNESS_WEIGHT = 0.35    # weight of the log-brightness difference against the chromaticity difference
MAX_DISTANCE = 0.55         # a pixel farther than this from every palette colour has none of them
REGION_CLASSES = frozenset({"tray"})  # detector classes that are regions, not blocks


def rgb_of(word: str | None) -> np.ndarray | None:
    """The RGB (0..1) of a colour word, or None when the palette has no such colour."""
    rgba = NAMED_COLORS.get(normalize_color(word) or "")
    return None if rgba is None else np.asarray(rgba[:3], dtype=np.float64)


def is_block_class(class_name: str) -> bool:
    """A detection class names a block (a colour word, known to the palette or not) unless it is a region's."""
    return bool(class_name) and class_name not in REGION_CLASSES


def distances(rgb: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Colour distance of each pixel (N x 3, uint8 or 0..1 floats) to each palette colour (K x 3, 0..1): N x K."""
    c = np.asarray(rgb, dtype=np.float32).reshape(-1, 3)
    if np.asarray(rgb).dtype == np.uint8:
        c = c / np.float32(255.0)
    palette = np.asarray(palette, dtype=np.float32).reshape(-1, 3)
    norm_c = np.sqrt((c * c).sum(axis=1, keepdims=True)) + np.float32(1e-6)
    norm_p = np.sqrt((palette * palette).sum(axis=1, keepdims=True)) + np.float32(1e-6)
    cosine = (c / norm_c) @ (palette / norm_p).T  # unit vectors: |a - b| = sqrt(2 - 2 a.b)
    chroma = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * cosine))
    bright = np.abs(np.log(norm_c + np.float32(0.05)) - np.log(norm_p.T + np.float32(0.05)))
    return (chroma + BRIGHTNESS_WEIGHT * bright).astype(np.float64)


class Palette:
    """Named colours to tell apart: ``Palette(["red", "grey"])``; by default every named colour.

    Words without an RGB are left out (:attr:`names` lists those kept).
    """

    def __init__(self, words: Iterable[str] | None = None):
        words = list(NAMED_COLORS) if words is None else [normalize_color(w) for w in words]
        self.names: list[str] = []
        for word in words:
            if word and word not in self.names and rgb_of(word) is not None:
                self.names.append(word)
        self.rgb = np.array([rgb_of(w) for w in self.names], dtype=np.float64).reshape(-1, 3)

    @classmethod
    def competing(cls, colour: str, extra: Iterable[str] = ()) -> "Palette":
        """The detector's colours, ``colour`` and ``extra``: what a pixel of ``colour`` must be nearer to it than."""
        return cls([*COLORS, colour, *extra])

    def label(self, rgb: np.ndarray, max_distance: float = MAX_DISTANCE) -> np.ndarray:
        """Index of each pixel's nearest colour (shape of ``rgb`` without the channel axis), -1 for none near."""
        shape = np.asarray(rgb).shape[:-1]
        if not self.names:
            return np.full(shape, -1, dtype=np.int64)
        dist = distances(rgb, self.rgb)
        best = np.argmin(dist, axis=1)
        best[dist[np.arange(len(best)), best] >= max_distance] = -1
        return best.reshape(shape)

    def mask(self, rgb: np.ndarray, colour: str, max_distance: float = MAX_DISTANCE) -> np.ndarray:
        """Pixels whose nearest palette colour is ``colour``."""
        word = normalize_color(colour)
        if word not in self.names:
            return np.zeros(np.asarray(rgb).shape[:-1], dtype=bool)
        return self.label(rgb, max_distance) == self.names.index(word)

    def name(self, rgb: np.ndarray) -> tuple[str | None, float]:
        """(nearest colour word, distance) for a set of pixels (N x 3) seen as one colour: their median."""
        pixels = np.asarray(rgb).reshape(-1, 3)
        if not len(pixels) or not self.names:
            return None, float("inf")
        dist = distances(np.median(pixels.astype(np.float64), axis=0, keepdims=True)
                         / (255.0 if np.asarray(rgb).dtype == np.uint8 else 1.0), self.rgb)[0]
        k = int(np.argmin(dist))
        return self.names[k], float(dist[k])

    def distance(self, rgb: np.ndarray, colour: str) -> float:
        """Distance from the median of some pixels to a colour word (inf when it has no RGB)."""
        target = rgb_of(colour)
        pixels = np.asarray(rgb).reshape(-1, 3)
        if target is None or not len(pixels):
            return float("inf")
        median = np.median(pixels.astype(np.float64), axis=0, keepdims=True)
        if np.asarray(rgb).dtype == np.uint8:
            median = median / 255.0
        return float(distances(median, target[None, :])[0, 0])


def name_colour(rgb: np.ndarray, words: Sequence[str] | None = None) -> str | None:
    """The colour word (from ``words``, default every named colour) nearest some pixels' median colour."""
    return Palette(words).name(rgb)[0]
