"""Where blocks go inside a region: slots that leave room for the fingers.

The Panda's fingers need about 3 cm beside a block along the closing axis;
along the other axis neighbours may stand closer. A region therefore holds
a grid with few slots across (x) and more along (y): a 16 cm tray holds two
5 cm blocks side by side, a 24 cm bin six. A region narrower than a block plus
the fingertips either side holds none: a 7 cm block does not go in a 6 cm bowl.
"""

from __future__ import annotations

import math
from typing import Sequence

FINGER_ROOM = 0.028  # metres beside a block along the closing axis
NEIGHBOUR_GAP = 0.012  # metres between blocks along the other axis
#: metres beside a block, either side, that the least region keeps: the fingertips' thickness. A closer
#: fit is one no hand sets down (the walls would take the fingers) and no grasp takes back out.
MIN_SIDE_ROOM = 0.02


def region_slots(center: Sequence[float], inner: Sequence[float], block_size: float) -> list[tuple[float, float]]:
    """Slot centres (metres) inside a region, nearest the robot base first; none when the block does not fit."""
    if min(inner[0], inner[1]) < block_size + 2 * MIN_SIDE_ROOM:
        return []
    per_x = max(1, int(inner[0] // (block_size + 2 * FINGER_ROOM)))
    per_y = max(1, int(inner[1] // (block_size + NEIGHBOUR_GAP)))
    xs = [center[0] + (i - (per_x - 1) / 2) * inner[0] / per_x for i in range(per_x)]
    ys = [center[1] + (j - (per_y - 1) / 2) * inner[1] / per_y for j in range(per_y)]
    slots = [(round(x, 4), round(y, 4)) for x in xs for y in ys]
    return sorted(slots, key=lambda s: (round(math.hypot(*s), 4), s))
