"""Record the graph's topics as MCAP with ROS 2 (CDR) message encoding, for Foxglove.

The recorder subscribes with ``raw=True`` and writes the serialized CDR bytes
unchanged, exactly as ``ros2 bag record -s mcap`` does: schema encoding
``ros2msg`` (the ``.msg`` text with its dependencies), message encoding
``cdr``. Files open in Foxglove Studio and read back with
``mcap_ros2.reader.read_ros2_messages``.

The message-definition helpers (:func:`message_definition`) import no rclpy;
:class:`Recorder` does.

Example:
    >>> rclpy.init()
    >>> node = make_recorder("run.mcap", namespace="robot1")
    >>> rclpy.spin(node)  # then node.close() to finish the file
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Iterable

from .errors import LamError
from .graph import NODES, TOPICS

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
    datatype = _normal(datatype)
    main = _msg_file(datatype).read_text()
    parts = [main]
    seen = {datatype}
    queue = _dependencies(main, datatype.split("/")[0])
    while queue:
        dep = _normal(queue.pop(0))
        if dep in seen:
            continue
        seen.add(dep)
        text = _msg_file(dep).read_text()
        parts.append("=" * 80 + f"\nMSG: {dep}\n" + text)
        queue.extend(_dependencies(text, dep.split("/")[0]))
    return "\n".join(parts)


def _normal(datatype: str) -> str:
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


def _import_type(datatype: str):
    import importlib

    pkg, name = _normal(datatype).split("/")
    return getattr(importlib.import_module(f"{pkg}.msg"), name)


def make_recorder(path: str | os.PathLike, namespace: str = "", topics: Iterable[str] | None = None, **kwargs):
    """A :class:`Recorder` node (requires ``rclpy.init`` first)."""
    return _recorder_class()(path, namespace, topics, **kwargs)


def _recorder_class():
    from mcap.writer import CompressionType, Writer
    from rclpy.node import Node
    from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

    class Recorder(Node):
        """Subscribes to the graph's topics under ``namespace`` and writes them to MCAP.

        Subscriptions are best effort + volatile for sensor topics and reliable +
        transient local for the rest, so latched state recorded at start is kept.
        """

        def __init__(self, path, namespace: str = "", topics=None, **kwargs):
            super().__init__("recorder", namespace=("/" + namespace.strip("/")) if namespace else "/", **kwargs)
            self.path = Path(path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "wb")
            self.writer = Writer(self._file, compression=CompressionType.ZSTD)
            self.writer.start(profile="ros2", library="lam_robot")
            self.counts: dict[str, int] = {}
            types = topic_types()
            wanted = [TOPICS[k] for k in DEFAULT_TOPICS] if topics is None else list(topics)
            sensor = {t.name for s in NODES.values() for t in s.publishes if t.qos == "sensor"}
            schemas: dict[str, int] = {}
            for rel in wanted:
                datatype = types.get(rel)
                if datatype is None:
                    self.get_logger().warning(f"no known type for topic {rel}; not recorded")
                    continue
                if datatype not in schemas:
                    schemas[datatype] = self.writer.register_schema(
                        _normal(datatype).replace("/", "/msg/"), "ros2msg", message_definition(datatype).encode())
                full = self.resolve_topic_name(rel)
                channel = self.writer.register_channel(full, "cdr", schemas[datatype])
                if rel in sensor:
                    qos = QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT,
                                     durability=DurabilityPolicy.VOLATILE)
                else:
                    # volatile publishers (commands, status) stay compatible with a volatile request
                    latched = any(t.name == rel and t.qos in ("state", "events")
                                  for s in NODES.values() for t in s.publishes)
                    qos = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                                     durability=DurabilityPolicy.TRANSIENT_LOCAL if latched
                                     else DurabilityPolicy.VOLATILE)
                self.counts[full] = 0
                self.create_subscription(_import_type(datatype), rel, self._writer_for(full, channel), qos, raw=True)
            self.get_logger().info(f"recording {len(self.counts)} topics to {self.path}")

        def _writer_for(self, topic: str, channel: int):
            def write(data: bytes) -> None:
                now = time.time_ns()
                self.writer.add_message(channel, log_time=now, data=data, publish_time=now,
                                        sequence=self.counts[topic])
                self.counts[topic] += 1
            return write

        def close(self) -> None:
            """Finish the MCAP file (idempotent)."""
            if not self._file.closed:
                self.writer.finish()
                self._file.close()

    return Recorder


def read_counts(path: str | os.PathLike) -> dict[str, int]:
    """Topic -> number of messages in an MCAP file (decoding each one as a check)."""
    from mcap_ros2.reader import read_ros2_messages

    counts: dict[str, int] = {}
    for msg in read_ros2_messages(str(path)):
        counts[msg.channel.topic] = counts.get(msg.channel.topic, 0) + 1
    return counts


def record(path: str | os.PathLike, namespace: str = "", duration_s: float = 0.0,
           topics: Iterable[str] | None = None, args=None) -> dict[str, int]:
    """Record until ``duration_s`` passes (0: until Ctrl-C / SIGTERM); returns message counts."""
    import rclpy
    from rclpy.executors import ExternalShutdownException

    counts: dict[str, int] = {}
    rclpy.init(args=args)  # not ``with``: rclpy.init is no context manager before Kilted
    try:
        node = make_recorder(path, namespace, topics)
        try:
            end = time.monotonic() + duration_s if duration_s > 0 else None
            while rclpy.ok() and (end is None or time.monotonic() < end):
                rclpy.spin_once(node, timeout_sec=0.1)
        except (KeyboardInterrupt, ExternalShutdownException):
            pass
        finally:
            node.close()
            counts = dict(node.counts)
            node.destroy_node()
    finally:
        rclpy.try_shutdown()
    return counts


def main(argv=None) -> int:
    """``python -m lam_robot.recording OUT.mcap [--ns NAME] [--duration S]`` (what ``lam-robot record`` runs)."""
    import argparse

    parser = argparse.ArgumentParser(prog="lam_robot.recording", description=main.__doc__)
    parser.add_argument("out")
    parser.add_argument("--ns", default="")
    parser.add_argument("--duration", type=float, default=0.0, help="seconds; 0 records until interrupted")
    parser.add_argument("--topics", nargs="*", default=None, help="relative topic names (default: all)")
    args, ros_args = parser.parse_known_args(argv)
    counts = record(args.out, args.ns, args.duration, args.topics, args=ros_args or None)
    for topic, n in sorted(counts.items()):
        print(f"{n:7d}  {topic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
