"""Record the graph's topics as MCAP with ROS 2 (CDR) message encoding, for Foxglove.

The recorder subscribes with ``raw=True`` and writes the serialized CDR bytes
unchanged, exactly as ``ros2 bag record -s mcap`` does: schema encoding
``ros2msg`` (the ``.msg`` text with its dependencies), message encoding
``cdr``. Files open in Foxglove Studio and read back with
``mcap_ros2.reader.read_ros2_messages``.

This module imports no rclpy: it holds the message definitions, the topic
table and the MCAP reader. The recording node itself is
:mod:`lam_robot.nodes.recorder_node` (``python -m lam_robot.nodes.recorder_node
OUT.mcap``, what ``lam-robot record`` runs).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .errors import LamError
from .graph import NODES

#: Topics recorded by default (keys of :data:`lam_robot.graph.TOPICS`).
DEFAULT_TOPICS = ("color", "depth", "camera_info", "joint_states", "trajectory", "gripper_trajectory", "detections",
                  "detection_markers", "world_state", "world_markers", "instruction", "goal", "plan",
                  "plan_markers", "status", "sim_state", "audio_path")

_PRIMITIVES = {"bool", "byte", "char", "float32", "float64", "int8", "uint8", "int16", "uint16", "int32",
               "uint32", "int64", "uint64", "string", "wstring"}


class RecordingError(LamError, RuntimeError):
    """A recording cannot be written (unknown message type, unwritable file)."""


def _msg_search_roots() -> list[Path]:
    roots = [Path(sys.prefix) / "share"]
    for prefix in os.environ.get("AMENT_PREFIX_PATH", "").split(os.pathsep):
        if prefix:
            roots.append(Path(prefix) / "share")
    return roots


def _msg_file(datatype: str) -> Path:
    pkg, _, name = datatype.partition("/")
    name = name.split("/")[-1]  # "pkg/msg/Type" or "pkg/Type"
    for root in _msg_search_roots():
        path = root / pkg / "msg" / f"{name}.msg"
        if path.exists():
            return path
    raise RecordingError(f"no .msg file for {datatype} under " + ", ".join(map(str, _msg_search_roots())))


def _dependencies(text: str, pkg: str) -> list[str]:
    deps = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" in line:
            continue  # a constant
        field_type = line.split()[0]
        base = re.sub(r"\[.*\]$", "", field_type)
        base = re.sub(r"<=\d+$", "", base)
        if base in _PRIMITIVES or base.startswith("string<") or base.startswith("wstring<"):
            continue
        if base == "Header":
            deps.append("std_msgs/Header")
        elif "/" in base:
            deps.append(base)
        else:
            deps.append(f"{pkg}/{base}")
    return deps


def message_definition(datatype: str) -> str:
    """The ``ros2msg`` schema text of ``pkg/Type``: its ``.msg`` then every dependency.

    Raises:
        RecordingError: when a ``.msg`` file cannot be found.
    """
    datatype = normalize_datatype(datatype)
    main = _msg_file(datatype).read_text()
    parts = [main]
    seen = {datatype}
    queue = _dependencies(main, datatype.split("/")[0])
    while queue:
        dep = normalize_datatype(queue.pop(0))
        if dep in seen:
            continue
        seen.add(dep)
        text = _msg_file(dep).read_text()
        parts.append("=" * 80 + f"\nMSG: {dep}\n" + text)
        queue.extend(_dependencies(text, dep.split("/")[0]))
    return "\n".join(parts)


def normalize_datatype(datatype: str) -> str:
    pkg, *rest = datatype.split("/")
    return f"{pkg}/{rest[-1]}"


def topic_types() -> dict[str, str]:
    """Relative topic name -> ``pkg/Type`` for every topic in the graph."""
    types = {}
    for spec in NODES.values():
        for topic in spec.publishes + spec.subscribes:
            if not topic.name.startswith("~"):
                types[topic.name] = topic.msg_type
    return types


def read_counts(path: str | os.PathLike) -> dict[str, int]:
    """Topic -> number of messages in an MCAP file (decoding each one as a check)."""
    from mcap_ros2.reader import read_ros2_messages

    counts: dict[str, int] = {}
    for msg in read_ros2_messages(str(path)):
        counts[msg.channel.topic] = counts.get(msg.channel.topic, 0) + 1
    return counts
