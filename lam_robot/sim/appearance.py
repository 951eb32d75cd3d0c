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

#: colour word -> RGBA for every colour word people use (the language side's words and common
#: two-word shades), so that a grey, pink or brown block looks grey, pink or brown. ``COLORS`` are
#: the detector's classes; the others it never saw, and perception names them from their pixels.
NAMED_COLORS: dict[str, tuple[float, float, float, float]] = {
    **COLORS,
    "grey": (0.50, 0.50, 0.50, 1.0),
    "pink": (0.98, 0.55, 0.72, 1.0),
    "brown": (0.42, 0.24, 0.10, 1.0),
    "cyan": (0.10, 0.80, 0.85, 1.0),
    "magenta": (0.85, 0.10, 0.75, 1.0),
    "beige": (0.90, 0.83, 0.65, 1.0),
    "teal": (0.00, 0.48, 0.48, 1.0),
    "navy": (0.06, 0.08, 0.38, 1.0),
    "maroon": (0.45, 0.05, 0.12, 1.0),
    "gold": (0.85, 0.65, 0.13, 1.0),
    "silver": (0.75, 0.75, 0.78, 1.0),
    "lime": (0.60, 0.92, 0.15, 1.0),
    "indigo": (0.29, 0.05, 0.55, 1.0),
    "violet": (0.62, 0.40, 0.90, 1.0),
    "turquoise": (0.25, 0.85, 0.75, 1.0),
    "dark green": (0.04, 0.33, 0.10, 1.0),
    "light green": (0.55, 0.90, 0.55, 1.0),
    "dark blue": (0.05, 0.10, 0.50, 1.0),
    "light blue": (0.55, 0.75, 0.95, 1.0),
    "dark red": (0.50, 0.04, 0.04, 1.0),
    "light grey": (0.75, 0.75, 0.75, 1.0),
    "dark grey": (0.28, 0.28, 0.28, 1.0),
}

#: other spellings of a colour word
COLOR_ALIASES = {"gray": "grey", "golden": "gold", "light gray": "light grey", "dark gray": "dark grey"}

UNKNOWN_COLOR_RGBA = (0.55, 0.55, 0.58, 1.0)  # what a colour word with no entry looks like

DEFAULT_BLOCK_SIZE = 0.05   # metres, edge of a cube
TRAY_SIZE = (0.16, 0.16)    # metres, inner footprint of a tray or bin
TRAY_WALL_HEIGHT = 0.025    # metres
TABLE_HEIGHT = 0.0          # metres: the robot base and table top share z = 0


def normalize_color(word: str | None) -> str | None:
    """The palette's spelling of a colour word: lower case, one space between words (``dark_green``,
    ``Dark-Green`` and ``darkgreen`` are ``dark green``), British ``grey``."""
    if not word:
        return None
    text = " ".join(str(word).lower().replace("_", " ").replace("-", " ").split())
    for shade in ("dark", "light"):
        tail = text[len(shade):]
        if text.startswith(shade) and " " not in text and COLOR_ALIASES.get(tail, tail) in NAMED_COLORS:
            text = f"{shade} {tail}"
    text = " ".join(COLOR_ALIASES.get(w, w) for w in text.split())
    return COLOR_ALIASES.get(text, text)


def color_rgba(word: str | None, default: tuple[float, float, float, float] | None = UNKNOWN_COLOR_RGBA):
    """RGBA (0..1) of a colour word from :data:`NAMED_COLORS`, or ``default`` when it has none."""
    return NAMED_COLORS.get(normalize_color(word) or "", default)
