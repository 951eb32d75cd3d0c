"""Test harness for lam_robot nodes over real DDS (the rclpy PyPI wheels).

Nodes run as their own processes (``python -m lam_robot.nodes.X``), in a ROS
domain of their own per test (so other test runs on this machine never see
them); the test talks to them from its own rclpy context (:class:`Probe`).
Every wait has a deadline; every process is stopped in ``finally`` (the
``ros`` fixture), and a failed wait prints the nodes' logs.

Usage (with the ``ros`` fixture defined from :func:`ros_graph`)::

    def test_x(ros):
        ros.start("planner")                       # a node from lam_robot.graph
        pub = ros.probe.publisher("goal")
        plans = ros.probe.subscribe("plan", qos="state")
        ros.probe.wait_for_subscribers(pub)
        pub.publish(String(data="(on red blue)"))
        ros.probe.spin_until(lambda: plans, 10.0, "a plan")
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parent.parent
_DOMAIN_IDS = itertools.count()


def fresh_domain_id() -> int:
    """A ROS domain id unlikely to be shared with another test run on this machine (1..200)."""
    return 1 + (os.getpid() * 7 + next(_DOMAIN_IDS) * 13) % 200


def ros_env(domain_id: int) -> dict:
    env = dict(os.environ)
    env.update({
        "ROS_DOMAIN_ID": str(domain_id),
        "ROS_AUTOMATIC_DISCOVERY_RANGE": "LOCALHOST",
        "RMW_IMPLEMENTATION": "rmw_fastrtps_cpp",
        "PYTHONUNBUFFERED": "1",
        "RCUTILS_COLORIZED_OUTPUT": "0",
    })
    env.pop("ROS_STATIC_PEERS", None)
    return env


class NodeProcess:
    """One node started as a process; its output goes to a log file."""

    def __init__(self, cmd: list[str], env: dict, log_path: Path, name: str):
        self.name = name
        self.cmd = cmd
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.stopped = False  # set when the test stops (or kills) it on purpose
        self.namespace, self.is_node = "", False
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     cwd=str(REPO), start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout_s: float = 5.0) -> int | None:
        """SIGINT (a clean rclpy shutdown), then SIGKILL after ``timeout_s``."""
        self.stopped = True
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
                self.proc.wait(timeout=timeout_s)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                self.kill()
        self._log.close()
        return self.proc.returncode

    def kill(self) -> None:
        self.stopped = True
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                pass


class Probe:
    """The test's own rclpy node, in its own context, on the test's domain."""

    def __init__(self, domain_id: int, namespace: str = ""):
        import rclpy
        from rclpy.context import Context
        from rclpy.executors import SingleThreadedExecutor

        self.rclpy = rclpy
        self.context = Context()
        rclpy.init(context=self.context, domain_id=domain_id)
        self.node = rclpy.create_node("test_probe", namespace=namespace or "/", context=self.context)
        self.executor = SingleThreadedExecutor(context=self.context)
        self.executor.add_node(self.node)
        self.watch: Callable[[], None] | None = None  # raises when a node died unexpectedly
        self.subscriptions: dict = {}

    def _qos(self, qos):
        from lam_robot.nodes.common import QOS
        return QOS[qos] if isinstance(qos, str) else qos

    def publisher(self, topic: str, msg_type=None, qos: Any = "command"):
        from std_msgs.msg import String
        return self.node.create_publisher(msg_type or String, topic, self._qos(qos))

    def subscribe(self, topic: str, msg_type=None, qos: Any = "events", json_data: bool | None = None) -> list:
        """Collect messages on ``topic``; String messages are decoded from JSON when they parse."""
        from std_msgs.msg import String
        msg_type = msg_type or String
        received: list = []
        decode = msg_type is String if json_data is None else json_data

        def on_msg(msg):
            if decode:
                try:
                    received.append(json.loads(msg.data))
                except ValueError:
                    received.append(msg.data)
            else:
                received.append(msg)
        self.subscriptions[topic] = self.node.create_subscription(msg_type, topic, on_msg, self._qos(qos))
        return received

    def wait_for_matched(self, topic: str, count: int = 1, timeout_s: float = 30.0, on_fail=None) -> None:
        """Wait until ``count`` publishers are matched with our subscription on ``topic``
        (discovered and QoS-compatible: from then on nothing they publish is missed)."""
        sub = self.subscriptions[topic]
        self.spin_until(lambda: sub.get_publisher_count() >= count, timeout_s,
                        f"{count} publisher(s) matched on {topic}", on_fail)

    def spin_for(self, duration_s: float) -> None:
        end = time.monotonic() + duration_s
        while time.monotonic() < end:
            self.executor.spin_once(timeout_sec=min(0.05, max(0.0, end - time.monotonic())))

    def spin_until(self, predicate: Callable[[], Any], timeout_s: float, what: str,
                   on_fail: Callable[[], str] | None = None) -> Any:
        """Spin until ``predicate()`` is truthy; fail the test after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self.watch is not None:
                self.watch()
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                detail = on_fail() if on_fail else ""
                pytest.fail(f"timed out after {timeout_s} s waiting for {what}\n{detail}")
            self.executor.spin_once(timeout_sec=0.05)

    def wait_for_subscribers(self, pub, count: int = 1, timeout_s: float = 15.0, on_fail=None) -> None:
        self.spin_until(lambda: pub.get_subscription_count() >= count, timeout_s,
                        f"{count} subscriber(s) on {pub.topic_name}", on_fail)

    def wait_for_publishers(self, topic: str, count: int = 1, timeout_s: float = 15.0, on_fail=None) -> None:
        self.spin_until(lambda: self.node.count_publishers(topic) >= count, timeout_s,
                        f"{count} publisher(s) on {topic}", on_fail)

    def close(self) -> None:
        try:
            self.executor.shutdown(timeout_sec=1.0)
            self.node.destroy_node()
        finally:
            if self.context.ok():
                self.rclpy.shutdown(context=self.context)


class RosTestGraph:
    """Node processes plus a probe, all in one fresh ROS domain."""

    def __init__(self, tmp_path: Path, domain_id: int | None = None):
        self.domain_id = domain_id if domain_id is not None else fresh_domain_id()
        self.env = ros_env(self.domain_id)
        self.tmp_path = tmp_path
        self.procs: list[NodeProcess] = []
        self._probe: Probe | None = None

    @property
    def probe(self) -> Probe:
        if self._probe is None:
            os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"
            self._probe = Probe(self.domain_id)
            self._probe.watch = self.check_alive
        return self._probe

    def check_alive(self) -> None:
        """Fail the test at once when a node it started exited without being stopped."""
        for p in self.procs:
            if not p.alive() and not p.stopped:
                pytest.fail(f"{p.name} exited with {p.proc.returncode}\n{self.logs()}")

    def start(self, node: str, namespace: str = "", params: dict | None = None,
              remaps: dict | None = None) -> NodeProcess:
        """Start a node from :data:`lam_robot.graph.NODES` as its own process."""
        from lam_robot.graph import NODES, LaunchNode, command_line

        spec = NODES[node]
        cmd = command_line(LaunchNode(spec, params or {}, remaps or {}), namespace, sys.executable)
        log = self.tmp_path / f"{namespace.strip('/') or 'root'}_{node}_{len(self.procs)}.log"
        proc = NodeProcess(cmd, self.env, log, node)
        proc.namespace, proc.is_node = namespace.strip("/"), True
        self.procs.append(proc)
        return proc

    def wait_status_matched(self, topic: str = "status", namespace: str = "", timeout_s: float = 30.0) -> None:
        """Wait until every running node of ``namespace`` is matched with the probe's ``topic`` subscription."""
        count = sum(1 for p in self.procs if p.is_node and p.namespace == namespace.strip("/") and p.alive())
        self.probe.wait_for_matched(topic, count, timeout_s, self.logs)

    def start_cmd(self, cmd: list[str], name: str) -> NodeProcess:
        log = self.tmp_path / f"{name}_{len(self.procs)}.log"
        proc = NodeProcess(cmd, self.env, log, name)
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        parts = []
        for p in self.procs:
            state = "running" if p.alive() else f"exited {p.proc.returncode}"
            parts.append(f"----- {p.name} ({state}) -----\n{p.log()[-4000:]}")
        return "\n".join(parts)

    def close(self) -> None:
        try:
            for p in self.procs:
                p.stop()
        finally:
            for p in self.procs:
                p.kill()
            if self._probe is not None:
                self._probe.close()


def ros_graph(tmp_path):
    """Generator for a ``ros`` fixture: a :class:`RosTestGraph`, every process stopped afterwards.

    In a test module::

        @pytest.fixture
        def ros(tmp_path):
            yield from ros_graph(tmp_path)
    """
    graph = RosTestGraph(tmp_path)
    try:
        yield graph
    finally:
        graph.close()
