"""What every lam_robot node shares: QoS profiles, parameters, JSON on String, status, main().

Nodes stay thin: a constructor that declares parameters (from
:mod:`lam_robot.graph`) and creates topics, and short callbacks that convert
messages and call the core. Anything a message can contain is handled: bad
JSON, oversized text, unknown objects become a refusal on the ``status`` topic
and a log line, never an exception out of a callback.
"""

from __future__ import annotations

import json
import time
import traceback
from typing import Any, Callable

import rclpy
from rcl_interfaces.msg import (FloatingPointRange, IntegerRange, ParameterDescriptor,
                                SetParametersResult)
from rclpy.executors import ExternalShutdownException
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy
from std_msgs.msg import String

from ..errors import LamError
from ..graph import TOPICS, NodeSpec, ParamSpec

#: Sensor data: newest wins, a lost frame is not retransmitted.
SENSOR_QOS = QoSProfile(history=HistoryPolicy.KEEP_LAST, depth=5,
                        reliability=ReliabilityPolicy.BEST_EFFORT, durability=DurabilityPolicy.VOLATILE)
#: Latched state: a late joiner gets the latest world state / plan at once.
STATE_QOS = QoSProfile(history=HistoryPolicy.KEEP_LAST, depth=1,
                       reliability=ReliabilityPolicy.RELIABLE, durability=DurabilityPolicy.TRANSIENT_LOCAL)
#: Commands: every one delivered, none replayed to a node that starts later.
COMMAND_QOS = QoSProfile(history=HistoryPolicy.KEEP_LAST, depth=10,
                         reliability=ReliabilityPolicy.RELIABLE, durability=DurabilityPolicy.VOLATILE)
#: Status and refusals: reliable and, like /rosout, transient local: a monitor that
#: matches late (DDS discovery is not symmetric) still gets the last 100 lines.
EVENTS_QOS = QoSProfile(history=HistoryPolicy.KEEP_LAST, depth=100,
                        reliability=ReliabilityPolicy.RELIABLE, durability=DurabilityPolicy.TRANSIENT_LOCAL)
QOS = {"sensor": SENSOR_QOS, "state": STATE_QOS, "command": COMMAND_QOS, "events": EVENTS_QOS}


class BadMessage(LamError, ValueError):
    """A message a node cannot use (bad JSON, too large, wrong shape)."""


def parse_json_text(text: str, max_bytes: int, what: str = "message") -> Any:
    """Parse JSON text from a String message.

    Raises:
        BadMessage: empty, larger than ``max_bytes`` or not JSON.
    """
    if not isinstance(text, str) or not text.strip():
        raise BadMessage(f"empty {what}")
    size = len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        raise BadMessage(f"{what} of {size} bytes exceeds max_message_bytes={max_bytes}")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadMessage(f"{what} is not JSON: {str(exc)[:120]}") from None


def check_text(text: str, max_bytes: int, what: str = "message") -> str:
    """A non-empty, not oversized text; raises :class:`BadMessage` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise BadMessage(f"empty {what}")
    size = len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        raise BadMessage(f"{what} of {size} bytes exceeds max_message_bytes={max_bytes}")
    return text.strip()


def to_json_msg(data: Any) -> String:
    return String(data=json.dumps(data, default=str))


def _descriptor(spec: ParamSpec) -> ParameterDescriptor:
    extra = f"one of: {', '.join(map(str, spec.choices))}" if spec.choices else ""
    desc = ParameterDescriptor(description=spec.description, read_only=spec.read_only,
                               additional_constraints=extra)
    if spec.min_value is not None and not isinstance(spec.default, bool):
        if isinstance(spec.default, float):
            desc.floating_point_range = [FloatingPointRange(
                from_value=float(spec.min_value), to_value=float(spec.max_value), step=0.0)]
        elif isinstance(spec.default, int):
            desc.integer_range = [IntegerRange(
                from_value=int(spec.min_value), to_value=int(spec.max_value), step=1)]
    return desc


class LamNode(Node):
    """A node whose parameters come from its :class:`~lam_robot.graph.NodeSpec`.

    Provides ``self.p`` (current parameter values), ``self.status(...)`` and
    :meth:`guarded` to wrap callbacks so that no input ends the process.
    """

    def __init__(self, spec: NodeSpec, **kwargs):
        super().__init__(spec.name, **kwargs)
        self.spec = spec
        self.p: dict[str, Any] = {}
        for ps in spec.params:
            value = self.declare_parameter(ps.name, ps.default, _descriptor(ps)).value
            problem = ps.check(value)
            if problem:
                self.get_logger().warning(f"{problem}; using the default {ps.default!r}")
                value = ps.default
            self.p[ps.name] = value
        self.add_on_set_parameters_callback(self._on_set_parameters)
        self._status_pub = self.create_publisher(String, TOPICS["status"], QOS["events"])

    # -- parameters -------------------------------------------------------
    def _on_set_parameters(self, params) -> SetParametersResult:
        specs = {s.name: s for s in self.spec.params}
        for param in params:
            spec = specs.get(param.name)
            if spec is None:
                continue
            problem = spec.check(param.value)
            if problem:
                return SetParametersResult(successful=False, reason=problem)
        for param in params:  # accepted: callbacks read self.p from now on (Humble has no post-set hook)
            if param.name in self.p:
                self.p[param.name] = param.value
                self.get_logger().info(f"parameter {param.name} = {param.value!r}")
        return SetParametersResult(successful=True)

    # -- status -----------------------------------------------------------
    def status(self, level: str, event: str, reason: str = "", **fields) -> None:
        """Publish a status line and log it. ``level``: info, refused, warning, error."""
        data = {"node": self.spec.name, "level": level, "event": event, "reason": reason,
                "stamp": time.time(), **fields}
        log = self.get_logger()
        text = f"{event}: {reason}" if reason else event
        if level == "error":  # one call site per severity (rclpy requires it)
            log.error(text)
        elif level in ("warning", "refused"):
            log.warning(text)
        else:
            log.info(text)
        self._status_pub.publish(to_json_msg(data))

    def refuse(self, event: str, reason: str, **fields) -> None:
        self.status("refused", event, reason, **fields)

    def guarded(self, event: str, callback: Callable[..., None]) -> Callable[..., None]:
        """Wrap a subscription callback: expected problems become refusals, bugs become errors."""
        def wrapper(*msg):  # subscriptions pass a message, timers nothing
            try:
                callback(*msg)
            except LamError as exc:
                self.refuse(event, str(exc))
            except Exception as exc:  # noqa: BLE001 - a node must survive any input
                self.get_logger().error(traceback.format_exc())
                self.status("error", event, f"internal error: {type(exc).__name__}: {exc}"[:500])
        return wrapper

    def parse_json(self, msg: String, what: str) -> Any:
        return parse_json_text(msg.data, int(self.p.get("max_message_bytes", 1_000_000)), what)


def run_node(factory: Callable[[], Node], args=None) -> int:
    """``main(args=None)`` body shared by every node: init, spin, clean shutdown.

    Written out instead of ``with rclpy.init(args=args):`` because that form
    needs rclpy >= 8 (Kilted); on Humble and Jazzy ``rclpy.init`` returns None
    (ros2/demos#808) and the launch files must run there too.

    Returns the exit code: 0, or 1 when the node cannot start (a missing
    model, an unreadable scenario), reported in one line instead of a traceback.
    """
    node = None
    try:
        rclpy.init(args=args)
        try:
            node = factory()
        except LamError as exc:
            rclpy.logging.get_logger(getattr(factory, "__name__", "node")).fatal(f"cannot start: {exc}")
            return 1
        rclpy.spin(node)
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    finally:
        if node is not None:
            node.destroy_node()
        rclpy.try_shutdown()
    return 0


class WaitingRequests:
    """Requests (goals, instructions) that arrived before the first world state.

    They are answered when a state arrives, or refused after ``wait_s``.
    """

    def __init__(self, limit: int = 10):
        self.limit = limit
        self.items: list[tuple[dict, float]] = []

    def add(self, request: dict) -> None:
        self.items.append((request, time.monotonic()))
        del self.items[:-self.limit]

    def take_all(self) -> list[dict]:
        items, self.items = self.items, []
        return [r for r, _ in items]

    def expired(self, wait_s: float) -> list[dict]:
        now = time.monotonic()
        old = [r for r, t in self.items if now - t > wait_s]
        self.items = [(r, t) for r, t in self.items if now - t <= wait_s]
        return old


def request_from_text(text: str, max_bytes: int, key: str, what: str) -> dict:
    """``{key: text, "id": ...}`` from plain text, or the JSON object ``{key: ..., "id": ...}``.

    Raises:
        BadMessage: empty, oversized, or JSON without a ``key`` string.
    """
    import uuid

    text = check_text(text, max_bytes, what)
    if text.startswith("{"):
        data = parse_json_text(text, max_bytes, what)
        if not isinstance(data, dict):
            raise BadMessage(f"{what} JSON must be an object")
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise BadMessage(f"{what} JSON has no {key!r} string")
        request = dict(data)
    else:
        request = {key: text}
    request["id"] = str(request.get("id") or uuid.uuid4().hex[:8])
    return request
