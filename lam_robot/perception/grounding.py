"""Grounding: 3-D detections become symbolic facts with confidences.

Each block gets exactly one support hypothesis from the geometry: ``on-table``
(its bottom at table height, outside every region), ``in R`` (bottom on the
region's floor, centre inside its footprint), ``on X Y`` (bottom on Y's top,
footprints overlapping) or ``holding`` (the gripper holds it). A
hypothesis's confidence multiplies the detection score with Gaussian height
agreement, footprint overlap and a penalty for a block that stands taller than
a level one could (tilted). ``clear`` and ``handempty`` follow from the rest.

Facts at or above ``threshold`` make the believed state; the others are
reported in ``WorldState.uncertain`` and never silently become truth: a block
whose support is uncertain has no support fact in the believed state.
:class:`Grounder` adds a memory for one exception: a known block that something
(the arm, another block) may hide from the camera keeps its last confident
place, with a lower confidence and marked ``occluded``, so the scene stays
whole while the arm works; what nothing hides is reported as seen.

Names follow the scene vocabulary: with a known scene, detections are matched
to its objects by colour (and by position among same-coloured blocks);
otherwise blocks are named by colour (``red``, ``red_2``...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

from ..errors import SceneError
from ..scene import Scene, SceneObject, complete_facts
from ..sim.appearance import TABLE_HEIGHT, normalize_color
from ..symbolic.atoms import Atom
from ..world_state import GroundedFact, WorldState
from .palette import is_block_class
from .types import Detection3D, Region  # noqa: F401 - Region is part of this API

Z_SIGMA_M = 0.008           # height agreement: one standard deviation, metres
OVERLAP_MIN = 0.35          # footprint overlap (fraction of the smaller) for "on"
TILT_EXCESS_M = 0.010       # visible height beyond a level block before the tilt penalty
FULL_SCORE = 0.25           # a detection this sure or more counts fully
HIDDEN_TOP_SLACK_M = 0.012  # how much lower a hidden top face may be seen, metres
REGION_MARGIN_M = 0.0       # how far outside a region's inner footprint a centre may be
TRAY_BASE_CLEARANCE_M = 0.12  # a detected tray's footprint stays this far from the robot's base axis, metres
TRAY_MAX_HEIGHT_M = 0.08    # a detected tray stands no taller above the table, metres
TRAY_MIN_SIDE_M = 0.06      # a detected tray's footprint sides, metres: at least...
TRAY_MAX_SIDE_M = 0.5       # ... and at most


@dataclass
class GroundingConfig:
    """Tolerances for :func:`ground`.

    Attributes:
        threshold: facts below this confidence are uncertain.
        table_z: table height, metres.
        z_sigma_m: height agreement scale, metres.
        overlap_min: footprint overlap needed for ``on``.
        tilt_excess_m: visible height beyond a level block tolerated, metres.
    """

    threshold: float = 0.5
    table_z: float = TABLE_HEIGHT
    z_sigma_m: float = Z_SIGMA_M
    overlap_min: float = OVERLAP_MIN
    tilt_excess_m: float = TILT_EXCESS_M


@dataclass
class GroundingResult:
    """Everything grounding decided, for logs and the observer.

    Attributes:
        state: the world state (believed facts, all facts, uncertain ones).
        names: tracking id (or detection index) -> object name.
        unmatched: detections that matched no known object (extra or duplicate).
        missing: known blocks no detection was found for.
    """

    state: WorldState
    names: dict[str, str] = field(default_factory=dict)
    unmatched: list[Detection3D] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _gauss(d: float, sigma: float) -> float:
    return float(math.exp(-0.5 * (d / sigma) ** 2))


def _footprint_overlap(a: Detection3D, b: Detection3D) -> float:
    """Overlap of two axis-aligned square footprints as a fraction of the smaller one."""
    (ax, ay, _), (bx, by, _) = a.center_xyz, b.center_xyz
    sa, sb = a.size_xyz[0], b.size_xyz[0]
    ox = max(0.0, min(ax + sa / 2, bx + sb / 2) - max(ax - sa / 2, bx - sb / 2))
    oy = max(0.0, min(ay + sa / 2, by + sb / 2) - max(ay - sa / 2, by - sb / 2))
    return float(ox * oy / max(1e-9, min(sa, sb) ** 2))


def _tilt_factor(det: Detection3D, config: GroundingConfig) -> float:
    excess = float(det.attributes.get("height_excess", 0.0))
    tilt = float(det.attributes.get("tilt_rad", 0.0))
    factor = 1.0
    if excess > config.tilt_excess_m:
        factor *= _gauss(excess - config.tilt_excess_m, 0.006)
    if tilt > 0.1:
        factor *= _gauss(tilt - 0.1, 0.1)
    return factor


def name_detections(blocks: Sequence[Detection3D], scene: Scene | None = None,
                    previous: Mapping[str, str] | None = None) -> tuple[dict[int, str], list[int], list[str]]:
    """Names for block detections in the scene vocabulary.

    Args:
        blocks: block detections (class = colour).
        scene: known objects to match by colour; None names blocks by colour.
        previous: tracking id -> name from earlier frames (kept when still valid).

    Returns:
        (index -> name, indices left unnamed, known block names not seen).
    """
    previous = previous or {}
    names: dict[int, str] = {}
    unmatched: list[int] = []
    if scene is None:
        used: set[str] = set()
        order = sorted(range(len(blocks)), key=lambda i: -blocks[i].score)
        for i in order:  # keep earlier names for tracked objects first
            prev = previous.get(blocks[i].tracking_id)
            if prev and prev not in used:
                names[i] = prev
                used.add(prev)
        for i in order:
            if i in names:
                continue
            colour = blocks[i].class_name.replace(" ", "_")  # "dark green" -> dark_green, a PDDL name
            k = 1
            name = colour
            while name in used:
                k += 1
                name = f"{colour}_{k}"
            names[i] = name
            used.add(name)
        return names, unmatched, []
    by_colour: dict[str, list[str]] = {}
    for name, obj in scene.objects.items():
        if obj.type == "block":
            by_colour.setdefault(normalize_color(obj.color) or name, []).append(name)
    taken: set[str] = set()
    for colour, known in by_colour.items():  # "gray" and "grey" are one colour
        idx = [i for i, d in enumerate(blocks) if (normalize_color(d.class_name) or d.class_name) == colour]
        if not idx:
            continue
        # tracked ones keep their names; the rest by position (pose attribute) or score
        for i in list(idx):
            prev = previous.get(blocks[i].tracking_id)
            if prev in known and prev not in taken:
                names[i] = prev
                taken.add(prev)
                idx.remove(i)
        free = [n for n in known if n not in taken]
        if not free or not idx:
            unmatched.extend(idx)
            continue
        from scipy.optimize import linear_sum_assignment

        cost = np.zeros((len(idx), len(free)))
        for r, i in enumerate(idx):
            for c, n in enumerate(free):
                pose = scene.objects[n].attributes.get("pose") or scene.objects[n].attributes.get("position")
                if pose is not None and len(pose) >= 2:
                    cost[r, c] = math.dist(blocks[i].center_xyz[:2], [float(pose[0]), float(pose[1])])
                cost[r, c] -= 0.001 * blocks[i].score
        rows, cols = linear_sum_assignment(cost)
        for r, c in zip(rows, cols):
            names[idx[r]] = free[c]
            taken.add(free[c])
        unmatched.extend(i for r, i in enumerate(idx) if r not in rows)
    missing = [n for n in scene.blocks if n not in taken]
    return names, unmatched, missing


def ground(detections: Iterable[Detection3D], regions: Mapping[str, Region] | Sequence[Region] = (),
           threshold: float = 0.5, scene: Scene | None = None, held: str | None = None,
           held_xyz: Sequence[float] | None = None, previous_names: Mapping[str, str] | None = None,
           config: GroundingConfig | None = None) -> GroundingResult:
    """Turn 3-D detections into a :class:`WorldState`.

    Args:
        detections: lifted (and preferably tracked) detections; blocks have a
            colour class, regions the class ``tray`` (used only when ``regions``
            is empty).
        regions: known regions by name (e.g. from the scene layout).
        threshold: confidence below which a fact is uncertain.
        scene: the known scene, to name detections in its vocabulary.
        held: name of the block the gripper holds (proprioception), if any.
        held_xyz: where the grasp point is (metres), to find the held block among
            detections when ``held`` names no known object.
        previous_names: tracking id -> name from earlier frames.
        config: tolerances (``threshold`` overrides its threshold).

    Returns:
        A :class:`GroundingResult`; its ``state.scene.facts`` holds the confident facts only.
    """
    config = config or GroundingConfig()
    config.threshold = threshold
    detections = list(detections)
    if isinstance(regions, Mapping):
        region_list = list(regions.values())
    else:
        region_list = list(regions)
    if not region_list and scene is None:  # a known scene's regions are all there are (maybe none)
        region_list = _regions_from_detections([d for d in detections if not is_block_class(d.class_name)], config)
    # a block cannot be inside the table: such a detection is a false positive (e.g. a coloured tray)
    blocks = [d for d in detections if is_block_class(d.class_name) and d.bottom_z > config.table_z - 0.02]
    index_names, unmatched_idx, missing = name_detections(blocks, scene, previous_names)
    if scene is not None:
        index_names = _disambiguate(blocks, index_names, scene, region_list, config, previous_names or {},
                                    held, held_xyz)
    named = {index_names[i]: _sized_as_known(blocks[i], scene.objects.get(index_names[i]) if scene else None)
             for i in index_names}
    names_by_track = {blocks[i].tracking_id or str(i): n for i, n in index_names.items()}
    # proprioception: which block is in the gripper
    holding: str | None = None
    if held is not None:
        if held in named or (scene is not None and held in scene.objects):
            holding = held
        elif held_xyz is not None and named:
            nearest = min(named, key=lambda n: math.dist(named[n].center_xyz, held_xyz))
            if math.dist(named[nearest].center_xyz, held_xyz) < 0.06:
                holding = nearest
    if holding is not None and holding in named:
        # the fingers touch it, but a block still resting on its support is not held yet
        rest = max(_support_hypotheses(holding, named[holding], named, region_list, config), key=lambda h: h[1])
        if rest[1] >= threshold:
            holding = None
    facts: list[GroundedFact] = []
    support_conf: dict[str, float] = {}
    on_below: dict[str, list[tuple[str, float]]] = {}
    for name, det in named.items():
        if name == holding:
            continue
        hyps = _support_hypotheses(name, det, named, region_list, config)
        atom, conf = max(hyps, key=lambda h: h[1])
        facts.append(GroundedFact(atom, conf))
        support_conf[name] = conf
        if atom.predicate == "on":
            on_below.setdefault(atom.args[1], []).append((name, conf))
    if holding is not None:
        facts.append(GroundedFact(Atom("holding", (holding,)), 1.0))
    # two blocks cannot both be on one: the weaker claim becomes uncertain
    demoted: set[Atom] = set()
    for below, tops in on_below.items():
        tops.sort(key=lambda t: -t[1])
        for top, _ in tops[1:]:
            demoted.add(Atom("on", (top, below)))
    facts = [GroundedFact(f.atom, min(f.confidence, threshold * 0.99)) if f.atom in demoted else f for f in facts]
    # derived facts
    for name in named:
        if name == holding:
            continue
        claims = [f.confidence for f in facts if f.atom.predicate == "on" and f.atom.args[1] == name]
        facts.append(GroundedFact(Atom("clear", (name,)), 1.0 - max(claims, default=0.0)))
    facts.append(GroundedFact(Atom("handempty"), 0.0 if holding else 1.0))
    for name in missing:
        if name != holding:
            facts.append(GroundedFact(Atom("on-table", (name,)), 0.0))  # not seen: no support believed
    believed = [f for f in facts if f.confidence >= threshold]
    uncertain = tuple(f for f in facts if f.confidence < threshold and f.atom.predicate not in ("handempty",)
                      and not (f.atom.predicate == "clear" and f.confidence < 1e-3))
    objects = _scene_objects(named, region_list, scene, holding, missing, held_xyz)
    scene_out = _believed_scene(objects, [f.atom for f in believed], scene)
    state = WorldState(scene=scene_out, facts=tuple(facts), uncertain=uncertain, source="perception")
    unmatched = [blocks[i] for i in unmatched_idx]
    return GroundingResult(state, names_by_track, unmatched, [m for m in missing if m != holding])


def _sized_as_known(det: Detection3D, obj: SceneObject | None) -> Detection3D:
    """A named block takes its known edge length, hanging from the top the camera sees: same-coloured
    blocks of several sizes are told apart by name only after lifting, and the skills place a held
    block by its centre."""
    if obj is None or obj.size is None or abs(float(obj.size) - det.size_xyz[0]) < 1e-3:
        return det
    edge = float(obj.size)
    top = det.top_z
    attributes = dict(det.attributes, bottom_z=top - edge)
    if "low_z" in attributes:
        attributes["height_excess"] = float(top - attributes["low_z"] - edge)
    return Detection3D(det.hypotheses, (det.center_xyz[0], det.center_xyz[1], top - edge / 2), (edge, edge, edge),
                       det.tracking_id, attributes)


def _support_hypotheses(name: str, det: Detection3D, named: Mapping[str, Detection3D],
                        regions: Sequence[Region], config: GroundingConfig) -> list[tuple[Atom, float]]:
    score = min(1.0, det.score / FULL_SCORE)  # detections above FULL_SCORE count fully
    tilt = _tilt_factor(det, config)
    bottom = det.bottom_z
    xy = det.center_xyz[:2]
    hyps: list[tuple[Atom, float]] = []
    # a hidden top face makes heights lower bounds: allow that much slack one way
    low_slack = 0.0 if det.attributes.get("top_visible", True) else HIDDEN_TOP_SLACK_M

    def agree(dz: float, high_slack: float = 0.0) -> float:
        if -low_slack <= dz <= high_slack:
            return 1.0
        return _gauss(dz + low_slack if dz < 0 else dz - high_slack, config.z_sigma_m)

    inside_any = max((r.inside(xy) for r in regions), default=0.0)
    hyps.append((Atom("on-table", (name,)),
                 score * tilt * agree(bottom - config.table_z) * (1.0 - inside_any)))
    for region in regions:
        hyps.append((Atom("in", (name, region.name)),
                     score * tilt * agree(bottom - region.floor_z) * region.inside(xy)))
    for other, odet in named.items():
        if other == name:
            continue
        overlap = _footprint_overlap(det, odet)
        if overlap <= 0:
            continue
        ofactor = min(1.0, overlap / config.overlap_min) ** 2
        high_slack = 0.0 if odet.attributes.get("top_visible", True) else HIDDEN_TOP_SLACK_M
        hyps.append((Atom("on", (name, other)),
                     score * tilt * agree(bottom - odet.top_z, high_slack) * ofactor))
    return hyps


def _disambiguate(blocks: Sequence[Detection3D], index_names: dict[int, str], scene: Scene,
                  regions: Sequence[Region], config: GroundingConfig, previous: Mapping[str, str],
                  held: str | None, held_xyz: Sequence[float] | None, max_combinations: int = 720) -> dict[int, str]:
    """Same-coloured blocks look alike: choose their names so that the gripper's block keeps the
    name proprioception gives it, and, on a first look, so that the facts agree best with the
    known scene."""
    import itertools

    index_names = dict(index_names)
    # the block at the grasp point carries the held name
    if held is not None and held_xyz is not None and held in scene.objects:
        colour = normalize_color(scene.objects[held].color)
        near = [i for i in index_names if normalize_color(blocks[i].class_name) == colour
                and math.dist(blocks[i].center_xyz, held_xyz) < 0.06]
        if near:
            i = min(near, key=lambda k: math.dist(blocks[k].center_xyz, held_xyz))
            j = next((k for k, n in index_names.items() if n == held), None)
            if j is None:
                index_names[i] = held
            elif j != i:
                index_names[i], index_names[j] = index_names[j], index_names[i]
    groups: dict[str, list[int]] = {}
    for i, name in index_names.items():
        if blocks[i].tracking_id in previous:
            continue  # tracked: its name stands
        groups.setdefault(blocks[i].class_name, []).append(i)
    groups = {c: idx for c, idx in groups.items() if len(idx) > 1}
    if not groups:
        return index_names
    by_index = {str(i): d for i, d in enumerate(blocks) if i in index_names}
    support = {}
    for key, det in by_index.items():
        atom, _ = max(_support_hypotheses(key, det, by_index, regions, config), key=lambda h: h[1])
        support[int(key)] = atom
    options = [list(itertools.permutations([index_names[i] for i in idx])) for idx in groups.values()]
    best, best_score = None, -1
    for n, combo in enumerate(itertools.product(*options)):
        if n >= max_combinations:
            break
        names = dict(index_names)
        for idx, perm in zip(groups.values(), combo):
            names.update(zip(idx, perm))
        score = 0
        for i, atom in support.items():
            args = tuple(names.get(int(a), a) if a.isdigit() else a for a in atom.args)
            score += Atom(atom.predicate, args) in scene.facts
        if score > best_score:
            best, best_score = names, score
    return best or index_names


def plausible_tray(det: Detection3D, table_z: float = TABLE_HEIGHT) -> bool:
    """Whether a detected tray's 3-D box can be a tray on the table: low (walls, not a block or an
    arm), its footprint tray-sized, standing clear of the robot's base (whose round white top, seen
    past a held block, the detector may call a tray)."""
    sx, sy, _ = det.size_xyz
    return (math.hypot(*det.center_xyz[:2]) - max(sx, sy) / 2 >= TRAY_BASE_CLEARANCE_M
            and det.top_z - table_z <= TRAY_MAX_HEIGHT_M
            and TRAY_MIN_SIDE_M <= min(sx, sy) and max(sx, sy) <= TRAY_MAX_SIDE_M)


def _regions_from_detections(dets: Sequence[Detection3D], config: GroundingConfig) -> list[Region]:
    """Regions from detected trays with no known layout; phantom ones (:func:`plausible_tray`) dropped."""
    out = []
    dets = [d for d in dets if plausible_tray(d, config.table_z)]
    for k, det in enumerate(sorted(dets, key=lambda d: -d.score)):
        name = det.class_name if k == 0 else f"{det.class_name}_{k + 1}"
        inner = (max(0.0, det.size_xyz[0] - 0.016), max(0.0, det.size_xyz[1] - 0.016))
        out.append(Region(name, tuple(det.center_xyz[:2]), inner, config.table_z + 0.004, det.class_name))
    return out


def _scene_objects(named: Mapping[str, Detection3D], regions: Sequence[Region], scene: Scene | None,
                   holding: str | None, missing: Sequence[str],
                   held_xyz: Sequence[float] | None = None) -> dict[str, SceneObject]:
    """Objects with the attributes the skills read: blocks ``pose`` (centre, metres) and ``yaw``
    (radians, folded into a quarter turn); regions ``pose``, ``inner``, ``floor_z``, ``wall_height``."""
    objects: dict[str, SceneObject] = {}
    known = scene.objects if scene is not None else {}
    for name, det in sorted(named.items()):
        base = known.get(name)
        attrs = dict(base.attributes) if base is not None else {}
        attrs.update({"pose": [round(float(v), 4) for v in det.center_xyz],
                      "yaw": round(float(det.attributes.get("yaw", 0.0)), 4),
                      "tracking_id": det.tracking_id, "score": round(det.score, 4)})
        if det.attributes.get("remembered"):  # not seen now: its last confident place (see Grounder)
            attrs.update({"occluded": True, "hidden_by": str(det.attributes.get("hidden_by", ""))})
        size = base.size if base is not None and base.size is not None else round(float(det.size_xyz[0]), 3)
        objects[name] = SceneObject(name, "block", det.class_name, base.kind if base else None, size, attrs)
    for name in missing:
        objects[name] = known[name]
    if holding is not None and holding not in named and holding in known:
        attrs = dict(known[holding].attributes)
        if held_xyz is not None:  # unseen in the gripper: it is where the fingers are
            attrs.update({"pose": [round(float(v), 4) for v in held_xyz], "yaw": 0.0})
        base = known[holding]
        objects[holding] = SceneObject(base.name, base.type, base.color, base.kind, base.size, attrs)
    for region in regions:
        base = known.get(region.name)
        attrs = dict(base.attributes) if base is not None else {}
        attrs.update({"pose": [round(region.center_xy[0], 4), round(region.center_xy[1], 4), 0.0],
                      "inner": [round(region.inner_xy[0], 4), round(region.inner_xy[1], 4)],
                      "floor_z": round(region.floor_z, 4), "wall_height": round(region.wall_height, 4)})
        if base is not None:
            objects[region.name] = SceneObject(base.name, base.type, base.color, base.kind, base.size, attrs)
        else:
            objects[region.name] = SceneObject(region.name, "region", region.color, region.kind,
                                               round(region.inner_xy[0], 4), attrs)
    return objects


def _believed_scene(objects: dict[str, SceneObject], atoms: list[Atom], scene: Scene | None) -> Scene:
    """A Scene of the confident facts; checked when complete, else built as is."""
    name = scene.name if scene is not None else "perceived"
    base = [a for a in atoms if a.predicate not in ("clear", "handempty")]
    try:
        return Scene(objects, complete_facts(objects, base), name)
    except SceneError:
        # some block has no confident support: keep what is believed, derive clear/handempty by hand
        facts = set(a for a in atoms)
        return Scene(objects, frozenset(facts), name)


# -- memory: bridging occlusion ----------------------------------------------------------------

REMEMBERED_SHARE = 0.5      # a remembered support keeps this share of its margin above the threshold
ARM_RADIUS_M = 0.09         # half the thickness of the arm and hand, for line-of-sight occlusion, metres
NEAR_ARM_M = 0.25           # with no camera pose known: an arm point this close (horizontally) may hide a block
MAX_BRIDGED_FRAMES = 100    # frames one belief may be carried through an occlusion before it is dropped
SAME_PLACE_M = 0.03         # a seen-but-unplaceable block this close to its remembered place has not moved
SUPPORTS = ("on", "on-table", "in")
SETTLE_FRAMES = 10          # frames after a release during which a block may still be settling


@dataclass
class Belief:
    """The last confident sighting of a block.

    Attributes:
        detection: where it was seen (3-D box, score, tracking id).
        confidence: the confidence of its support fact then.
        bridged: consecutive frames it has since been carried through an occlusion.
    """

    detection: Detection3D
    confidence: float
    bridged: int = 0


def unplaced_blocks(state: WorldState, blocks: Iterable[str]) -> list[str]:
    """Blocks whose believed facts do not give them exactly one place: one support, or held."""
    out = []
    for name in blocks:
        places = [a for a in state.state
                  if a.args[:1] == (name,) and (a.predicate in SUPPORTS or a.predicate == "holding")]
        if len(places) != 1:
            out.append(name)
    return out


def _segment_distance(a: np.ndarray, b: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(distance from p to the segment a-b, where along it: 0 at a, 1 at b)."""
    ab = b - a
    t = float(np.clip(np.dot(p - a, ab) / max(1e-12, float(np.dot(ab, ab))), 0.0, 1.0))
    return float(np.linalg.norm(a + t * ab - p)), t


def could_be_hidden(det: Detection3D, others: Sequence[Detection3D], eyes: Sequence[Sequence[float]] = (),
                    arm: Sequence[Sequence[float]] = (), arm_radius_m: float = ARM_RADIUS_M) -> str | None:
    """Why a camera may not see the block ``det`` now, or None when nothing could hide it.

    With camera positions (``eyes``), the block is hidden when, in every view, the line of sight to its
    centre or to its top passes through the arm (points along it, ``arm_radius_m`` thick) or another
    block (``others``). Without them, the arm within ``NEAR_ARM_M`` of it, or a block standing on it,
    may hide it.
    """
    centre = np.asarray(det.center_xyz, dtype=float)
    half = float(det.size_xyz[0]) / 2
    occluders = [(np.asarray(p, dtype=float), arm_radius_m + half, "the arm") for p in arm]
    occluders += [(np.asarray(o.center_xyz, dtype=float), float(o.size_xyz[0]) / 2 + half, f"the {o.class_name} block")
                  for o in others if is_block_class(o.class_name) and math.dist(o.center_xyz, det.center_xyz) > half]
    if eyes:
        why = None
        for eye in eyes:
            eye = np.asarray(eye, dtype=float)
            seen_by = None
            for target in (centre, centre + [0.0, 0.0, half]):
                for point, radius, what in occluders:
                    dist, t = _segment_distance(eye, target, point)
                    if dist < radius and t < 1.0 and np.linalg.norm(point - target) > half:
                        seen_by = what
                        break
                if seen_by:
                    break
            if seen_by is None:
                return None  # this view sees it unobstructed
            why = seen_by
        return why
    for point, _, what in occluders:
        if what == "the arm" and math.dist(point[:2], centre[:2]) < NEAR_ARM_M:
            return what
        if what != "the arm" and math.dist(point[:2], centre[:2]) < 2 * half and point[2] > centre[2]:
            return what
    return None


class Grounder:
    """:func:`ground` with a memory: a known block the camera cannot place now (not found, or no
    confident support) while something could hide it (the arm, another block; see
    :func:`could_be_hidden`) keeps its last confident sighting, with a lower confidence and
    ``occluded``/``remembered`` attributes, so the believed scene stays whole. Only occlusion is
    bridged, and for at most ``max_bridged_frames`` frames: a block that is gone (or moved) where
    nothing could hide it is reported as such. A block the gripper still holds stays held.

    Args:
        regions: known regions (see :func:`ground`).
        scene: the known scene (names, colours); memory needs it.
        threshold: facts below this confidence are uncertain.
        config: tolerances.
        max_bridged_frames: frames a block may be carried through an occlusion.
    """

    def __init__(self, regions, scene: Scene | None = None, threshold: float = 0.5,
                 config: GroundingConfig | None = None, max_bridged_frames: int = MAX_BRIDGED_FRAMES):
        self.regions = regions
        self.scene = scene
        self.threshold = threshold
        self.config = config
        self.max_bridged_frames = max_bridged_frames
        self.names: dict[str, str] = {}
        self.beliefs: dict[str, Belief] = {}
        self.held: str | None = None
        self.bridged: dict[str, str] = {}  # block -> what hides it, in the last update
        self.released: dict[str, int] = {}  # block -> frames since the gripper let it go

    def _ground(self, detections, held, held_xyz) -> GroundingResult:
        return ground(detections, self.regions, threshold=self.threshold, scene=self.scene, held=held,
                      held_xyz=held_xyz, previous_names=self.names, config=self.config)

    def update(self, detections: Iterable[Detection3D], held: str | None = None,
               held_xyz: Sequence[float] | None = None, eyes: Sequence[Sequence[float]] = (),
               arm: Sequence[Sequence[float]] = ()) -> GroundingResult:
        """Ground one frame's detections.

        Args:
            detections: this frame's 3-D detections (tracked ones keep their names).
            held: the grasped object's name, any other string when the gripper holds something
                unnamed, None when it holds nothing.
            held_xyz: the grasp point.
            eyes: camera positions (robot base frame), for line-of-sight occlusion.
            arm: points along the arm and hand now (robot base frame).
        """
        dets = [d if d.tracking_id else d.with_id(f"det#{i}") for i, d in enumerate(detections)]
        scene = self.scene
        self.released = {n: k + 1 for n, k in self.released.items() if k + 1 <= SETTLE_FRAMES}
        if held is None:
            if self.held is not None:
                self.released[self.held] = 0
            self.held = None
        elif scene is not None and held not in scene.objects and self.held is not None:
            held = self.held  # the gripper has not let go: it still holds what it held
        result = self._ground(dets, held, held_xyz)
        self.bridged = {}
        if scene is not None:
            for _ in range(3):  # a bridged block may give the one above it its support back
                more = self._bridge(result, dets, eyes, arm)
                if not more:
                    break
                dets = more
                result = self._ground(dets, held, held_xyz)
            result = self._settling(result)
            self._remember(result, dets)
        self.names.update(result.names)
        return result

    def _bridge(self, result: GroundingResult, dets: list[Detection3D], eyes, arm) -> list[Detection3D] | None:
        """Detections with remembered ones in place of hidden, unplaceable blocks; None if none applies."""
        bad = [n for n in unplaced_blocks(result.state, self.scene.blocks) if n not in self.bridged]
        if not bad:
            return None
        by_name = {result.names.get(d.tracking_id): d for d in dets}
        out = list(dets)
        changed = False
        for name in bad:
            belief = self.beliefs.get(name)
            if belief is None or belief.bridged >= self.max_bridged_frames:
                continue
            now = by_name.get(name)
            if now is not None and math.dist(now.center_xyz, belief.detection.center_xyz) > SAME_PLACE_M:
                continue  # seen elsewhere: it moved, memory says nothing
            others = [d for d in dets if d is not now]
            why = could_be_hidden(belief.detection, others, eyes, arm)
            if why is None:
                continue  # nothing could hide it: what the camera says stands
            old = belief.detection
            target = self.threshold + (belief.confidence - self.threshold) * REMEMBERED_SHARE
            score = FULL_SCORE * min(1.0, target / max(belief.confidence, 1e-6))
            tid = now.tracking_id if now is not None else old.tracking_id
            remembered = Detection3D(((old.class_name, score),), old.center_xyz, old.size_xyz, tid,
                                     dict(old.attributes, occluded=True, remembered=True, hidden_by=why))
            if now is not None:
                out.remove(now)
            out.append(remembered)
            self.names.setdefault(tid, name)
            self.bridged[name] = why
            changed = True
        return out if changed else None

    def _settling(self, result: GroundingResult) -> GroundingResult:
        """A block the gripper has just let go of and that is seen but not yet at rest keeps its most
        likely support in the believed scene, still listed as uncertain (as the ground-truth observer
        does): it is falling onto it."""
        state = result.state
        add = []
        for name in unplaced_blocks(state, self.scene.blocks):
            if name not in self.released or name in result.missing:
                continue
            hyps = [f for f in state.facts if f.atom.predicate in SUPPORTS and f.atom.args[0] == name]
            if hyps:
                add.append(max(hyps, key=lambda f: f.confidence).atom)
        if not add:
            return result
        atoms = [a for a in state.state if a.predicate not in ("clear", "handempty")] + add
        try:
            scene = Scene(state.scene.objects, complete_facts(state.scene.objects, atoms), state.scene.name)
        except SceneError:
            return result
        from dataclasses import replace

        return replace(result, state=replace(state, scene=scene))

    def _remember(self, result: GroundingResult, dets: list[Detection3D]) -> None:
        state = result.state
        holding = next((a.args[0] for a in state.state if a.predicate == "holding"), None)
        if holding is not None:
            self.held = holding
            self.beliefs.pop(holding, None)  # it moves with the gripper: its old place says nothing
        confidence = {f.atom: f.confidence for f in state.facts}
        by_name = {result.names.get(d.tracking_id): d for d in dets}
        for name in self.scene.blocks:
            if name in self.bridged:
                self.beliefs[name].bridged += 1
                continue
            support = next((a for a in state.state if a.predicate in SUPPORTS and a.args[0] == name), None)
            det = by_name.get(name)
            sure = confidence.get(support, 1.0) >= self.threshold if support is not None else False
            if sure and det is not None and not det.attributes.get("remembered"):
                self.beliefs[name] = Belief(det, confidence.get(support, 1.0))
