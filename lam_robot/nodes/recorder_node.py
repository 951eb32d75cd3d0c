"""The MCAP recorder node: subscribes to the graph's topics and writes raw CDR.

The recorder subscribes with ``raw=True`` and writes the serialized bytes
unchanged, as ``ros2 bag record -s mcap`` does; the ROS-free helpers it uses
(message definitions, topic table, reader) live in :mod:`lam_robot.recording`.

Example:
    >>> rclpy.init()
    >>> node = make_recorder("run.mcap", namespace="robot1")
    >>> rclpy.spin(node)  # then node.close() to finish the file
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Iterable

from ..graph import NODES, TOPICS
from ..recording import DEFAULT_TOPICS, message_definition, normalize_datatype, topic_types


def _import_type(datatype: str):
    import importlib

    pkg, name = normalize_datatype(datatype).split("/")
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
                    schema_name = normalize_datatype(datatype).replace("/", "/msg/")
                    schemas[datatype] = self.writer.register_schema(
                        schema_name, "ros2msg", message_definition(datatype).encode())
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
    """``python -m lam_robot.nodes.recorder_node OUT.mcap [--ns NAME] [--duration S]``.

    This is what ``lam-robot record`` and ``--record`` run.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="recorder_node", description=main.__doc__)
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
