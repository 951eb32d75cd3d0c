"""How things look, shared by the simulator, the dataset generator and perception.

Colour names are the words people use and the class names the detector
learns; sizes are in metres.
"""

from __future__ import annotations

#: colour word -> RGBA in 0..1
COLORS: dict[str, tuple[float, float, float, float]] = {
    "red": (0.85, 0.10, 0.10, 1.0),
    "green": (0.10, 0.65, 0.15, 1.0),
    "blue": (0.10, 0.25, 0.85, 1.0),
    "yellow": (0.95, 0.85, 0.10, 1.0),
    "orange": (0.98, 0.50, 0.05, 1.0),
    "purple": (0.50, 0.15, 0.65, 1.0),
    "white": (0.92, 0.92, 0.92, 1.0),
    "black": (0.08, 0.08, 0.08, 1.0),
}

DEFAULT_BLOCK_SIZE = 0.05   # metres, edge of a cube
TRAY_SIZE = (0.16, 0.16)    # metres, inner footprint of a tray or bin
TRAY_WALL_HEIGHT = 0.025    # metres
TABLE_HEIGHT = 0.0          # metres: the robot base and table top share z = 0
