"""Locate the data files lam_robot ships: PDDL domains, scenes, scenarios.

The same files are found from a source checkout (``pip install -e .``), from
a wheel (installed under ``<prefix>/share/lam_robot``) and from a colcon
install (the ament index), so callers never build paths by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import ResourceNotFoundError

PACKAGE_NAME = "lam_robot"
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def share_roots() -> list[Path]:
    """Directories that may hold ``pddl/``, ``sim/`` and ``launch/``, best first."""
    roots = []
    env = os.environ.get("LAM_ROBOT_SHARE")
    if env:
        roots.append(Path(env))
    roots.append(_SOURCE_ROOT)
    roots.append(Path(sys.prefix) / "share" / PACKAGE_NAME)
    try:  # a real ROS 2 install
        from ament_index_python.packages import get_package_share_directory

        roots.append(Path(get_package_share_directory(PACKAGE_NAME)))
    except Exception:  # noqa: BLE001 - not installed through colcon
        pass
    return roots


def find_resource(relative: str | os.PathLike) -> Path:
    """Return the first existing ``root/relative`` among :func:`share_roots`.

    Raises:
        ResourceNotFoundError: when no root holds the file.
    """
    relative = Path(relative)
    if relative.is_absolute():
        if relative.exists():
            return relative
        raise ResourceNotFoundError(f"no such file: {relative}")
    for root in share_roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise ResourceNotFoundError(
        f"{relative} not found in any of: " + ", ".join(str(r) for r in share_roots()))


def default_domain_path() -> Path:
    """The tabletop domain every stage plans in."""
    return find_resource("pddl/tabletop/domain.pddl")
