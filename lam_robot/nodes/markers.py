"""RViz markers (``visualization_msgs/MarkerArray``) for blocks, facts, detections and the next grasp.

Inputs are the JSON dictionaries that travel on the topics (world state,
plan, detections), so any node can draw what it publishes. Frame: the robot
base (``world``), metres.
"""

from __future__ import annotations

from geometry_msgs.msg import Point
from visualization_msgs.msg import Marker, MarkerArray

from ..sim.appearance import DEFAULT_BLOCK_SIZE, color_rgba

FRAME_ID = "world"
_GREY = (0.6, 0.6, 0.6, 1.0)


def _rgba(marker: Marker, rgba) -> None:
    marker.color.r, marker.color.g, marker.color.b = (float(v) for v in rgba[:3])
    marker.color.a = float(rgba[3]) if len(rgba) > 3 else 1.0


def _marker(ns: str, mid: int, kind: int, stamp, frame_id: str) -> Marker:
    m = Marker()
    m.header.frame_id = frame_id
    if stamp is not None:
        m.header.stamp = stamp
    m.ns, m.id, m.type, m.action = ns, mid, kind, Marker.ADD
    m.pose.orientation.w = 1.0
    return m


def _clear(ns: str, frame_id: str) -> Marker:
    m = Marker()
    m.header.frame_id = frame_id
    m.ns, m.action = ns, Marker.DELETEALL
    return m


def world_markers(state: dict, stamp=None, frame_id: str = FRAME_ID) -> MarkerArray:
    """A cube per block at its pose in its colour, and the believed facts as text above it."""
    out = MarkerArray(markers=[_clear("blocks", frame_id), _clear("facts", frame_id)])
    objects = state.get("objects") or {}
    facts = [str(f) for f in state.get("init") or []]
    for i, (name, obj) in enumerate(sorted(objects.items())):
        if not isinstance(obj, dict) or obj.get("type") != "block":
            continue
        pose = obj.get("pose")
        if not (isinstance(pose, (list, tuple)) and len(pose) == 3):
            continue
        size = float(obj.get("size") or DEFAULT_BLOCK_SIZE)
        cube = _marker("blocks", i, Marker.CUBE, stamp, frame_id)
        cube.pose.position.x, cube.pose.position.y, cube.pose.position.z = (float(v) for v in pose)
        cube.scale.x = cube.scale.y = cube.scale.z = size
        _rgba(cube, color_rgba(obj.get("color"), _GREY))
        text = _marker("facts", i, Marker.TEXT_VIEW_FACING, stamp, frame_id)
        text.pose.position.x, text.pose.position.y = float(pose[0]), float(pose[1])
        text.pose.position.z = float(pose[2]) + size
        text.scale.z = 0.02
        text.text = " ".join(f for f in facts if f" {name}" in f or f"({name}" in f) or name
        _rgba(text, (1.0, 1.0, 1.0, 1.0))
        out.markers += [cube, text]
    return out


def grasp_marker(plan: dict, state: dict | None, stamp=None, frame_id: str = FRAME_ID) -> MarkerArray:
    """An arrow down onto the block the plan picks first, labelled with the step and its reason."""
    out = MarkerArray(markers=[_clear("next_grasp", frame_id)])
    steps = plan.get("plan") or []
    pick = next((s for s in steps if s.startswith("(pick")), None)
    if pick is None or not state:
        return out
    block = pick.strip("()").split()[1]
    obj = (state.get("objects") or {}).get(block) or {}
    pose = obj.get("pose")
    if not (isinstance(pose, (list, tuple)) and len(pose) == 3):
        return out
    arrow = _marker("next_grasp", 0, Marker.ARROW, stamp, frame_id)
    top = float(pose[2]) + float(obj.get("size") or DEFAULT_BLOCK_SIZE) / 2
    arrow.points = [Point(x=float(pose[0]), y=float(pose[1]), z=top + 0.15),
                    Point(x=float(pose[0]), y=float(pose[1]), z=top + 0.01)]
    arrow.scale.x, arrow.scale.y, arrow.scale.z = 0.01, 0.02, 0.03
    _rgba(arrow, (1.0, 0.85, 0.0, 1.0))
    label = _marker("next_grasp", 1, Marker.TEXT_VIEW_FACING, stamp, frame_id)
    label.pose.position.x, label.pose.position.y, label.pose.position.z = float(pose[0]), float(pose[1]), top + 0.18
    label.scale.z = 0.02
    reasons = plan.get("explanation") or []
    label.text = f"{pick}: {reasons[steps.index(pick)]}" if len(reasons) > steps.index(pick) else pick
    _rgba(label, (1.0, 0.85, 0.0, 1.0))
    out.markers += [arrow, label]
    return out


def detection_markers(detections: list[dict], stamp=None, frame_id: str = FRAME_ID) -> MarkerArray:
    """A translucent box per 3-D detection, coloured by its class, with class and score."""
    out = MarkerArray(markers=[_clear("detections", frame_id)])
    for i, det in enumerate(detections):
        try:
            (cls, score), center, size = det["hypotheses"][0], det["center_xyz"], det["size_xyz"]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        box = _marker("detections", 2 * i, Marker.CUBE, stamp, frame_id)
        box.pose.position.x, box.pose.position.y, box.pose.position.z = (float(v) for v in center)
        box.scale.x, box.scale.y, box.scale.z = (max(0.005, float(v)) for v in size)
        _rgba(box, tuple(color_rgba(cls, _GREY)[:3]) + (0.5,))
        label = _marker("detections", 2 * i + 1, Marker.TEXT_VIEW_FACING, stamp, frame_id)
        label.pose.position.x, label.pose.position.y = float(center[0]), float(center[1])
        label.pose.position.z = float(center[2]) + float(size[2]) / 2 + 0.02
        label.scale.z = 0.015
        label.text = f"{cls} {float(score):.2f} {det.get('tracking_id', '')}".strip()
        _rgba(label, (1.0, 1.0, 1.0, 1.0))
        out.markers += [box, label]
    return out
