"""Room in regions: how many blocks stand in a tray side by side, and goals that ask for more.

Geometry, not meaning: the guardrail checks what the words ask for; whether this arm can fit that
many blocks in that region (fingers' room kept, :func:`lam_robot.sim.layout.region_slots`) is the
executor's question, asked before anything moves.
"""

from __future__ import annotations

from ..guardrail import GoalError, GoalErrorCode
from ..scene import Scene
from ..sim.appearance import DEFAULT_BLOCK_SIZE, TRAY_SIZE
from ..sim.layout import region_slots
from ..symbolic.formula import Conjunction


def region_capacity(scene: Scene, region: str, block_size: float) -> int:
    """How many blocks of ``block_size`` stand in ``region`` side by side, fingers' room kept
    (:func:`lam_robot.sim.layout.region_slots`; a region's ``size`` is its inner edge)."""
    obj = scene.objects[region]
    inner = obj.attributes.get("inner") or ((obj.size, obj.size) if obj.size else TRAY_SIZE)
    return len(region_slots((0.0, 0.0), inner, block_size))


def over_capacity(conj: Conjunction, scene: Scene) -> GoalError | None:
    """The first region asked to hold more blocks than fit in it, as a refusal (None when all fit).

    The PDDL domain has no notion of room, so without this a plan would run until the arm found
    the region full, half done; the executor asks this before anything moves, so a person gets the
    reason instead.
    """
    wanted: dict[str, list[str]] = {}
    for atom in conj.positive:
        if atom.predicate == "in" and atom.args[1] in scene.objects:
            wanted.setdefault(atom.args[1], []).append(atom.args[0])
    for region, blocks in sorted(wanted.items()):
        size = max((scene.objects[b].size or DEFAULT_BLOCK_SIZE) if b in scene.objects else DEFAULT_BLOCK_SIZE
                   for b in blocks)
        room = region_capacity(scene, region, size)
        if len(blocks) > room:
            return GoalError(GoalErrorCode.OVER_CAPACITY,
                             f"the {region} has room for {room} block{'s' if room != 1 else ''} of this size "
                             f"side by side, and {len(blocks)} are asked to be in it",
                             f"(in {blocks[room]} {region})")
    return None
