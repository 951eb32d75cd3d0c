"""``lam-robot up``, ``lam-robot record`` and ``lam-robot graph``: the ROS 2 graph without ``ros2 launch``.

``up`` starts the nodes of a profile from :mod:`lam_robot.graph` as separate
processes (the same list, parameters and remappings the launch files use),
optionally with a recorder, and stops them all on Ctrl-C, SIGTERM or after
``--duration`` seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from ..graph import PROFILE_ARGUMENTS, PROFILES, command_line, markdown_table, profile
from . import EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED


def register(sub) -> None:
    up = sub.add_parser("up", help="start the ROS 2 graph as processes (pip-only ros2 launch)")
    up.add_argument("profile", choices=PROFILES, help="sim: with the simulator; real_arm: no simulator")
    up.add_argument("--ns", default="", help="namespace for every node and topic (two robots, one domain)")
    up.add_argument("--record", default=None, metavar="FILE.mcap", help="record the graph's topics to MCAP")
    up.add_argument("--set", action="append", default=[], metavar="ARG=VALUE",
                    help="profile argument, e.g. controller_topic=/arm/joint_trajectory; see --list")
    up.add_argument("--duration", type=float, default=0.0, help="stop after this many seconds (0: run until Ctrl-C)")
    up.add_argument("--domain-id", type=int, default=None, help="ROS_DOMAIN_ID for every process")
    up.add_argument("--list", action="store_true", help="print the commands and profile arguments, start nothing")
    up.set_defaults(func=run_up)

    rec = sub.add_parser("record", help="record the graph's topics to an MCAP file (ROS 2 CDR encoding)")
    rec.add_argument("out", metavar="FILE.mcap")
    rec.add_argument("--ns", default="")
    rec.add_argument("--duration", type=float, default=0.0, help="seconds (0: until Ctrl-C)")
    rec.add_argument("--topics", nargs="*", default=None, help="relative topic names (default: all graph topics)")
    rec.set_defaults(func=run_record)

    table = sub.add_parser("graph", help="print the nodes, topics and parameters as Markdown")
    table.set_defaults(func=lambda args: print(markdown_table()) or EXIT_OK)


def _parse_sets(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set expects ARG=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def recorder_command(out: str, namespace: str = "", duration_s: float = 0.0) -> list[str]:
    cmd = [sys.executable, "-m", "lam_robot.nodes.recorder_node", out]
    if namespace:
        cmd += ["--ns", namespace]
    if duration_s:
        cmd += ["--duration", str(duration_s)]
    return cmd


def run_up(args) -> int:
    try:
        nodes = profile(args.profile, _parse_sets(args.set))
    except (KeyError, ValueError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_REFUSED
    commands = [(n.spec.name, command_line(n, args.ns)) for n in nodes]
    if args.record:
        commands.append(("recorder", recorder_command(args.record, args.ns)))
    if args.list:
        for key, (default, help_text) in PROFILE_ARGUMENTS[args.profile].items():
            print(f"# --set {key}=...  ({help_text}; default {default})")
        for name, cmd in commands:
            print(" ".join(cmd))
        return EXIT_OK
    env = dict(os.environ)
    if args.domain_id is not None:
        env["ROS_DOMAIN_ID"] = str(args.domain_id)
    return supervise(commands, env, args.duration)


def supervise(commands: list[tuple[str, list[str]]], env: dict, duration_s: float = 0.0) -> int:
    """Start every command, report any that exits, stop all on a signal or after ``duration_s``."""
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True
    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    procs: list[tuple[str, subprocess.Popen]] = []
    code = EXIT_OK
    try:
        for name, cmd in commands:
            procs.append((name, subprocess.Popen(cmd, env=env, start_new_session=True)))
            print(f"[lam-robot up] started {name} (pid {procs[-1][1].pid})", flush=True)
        end = time.monotonic() + duration_s if duration_s > 0 else None
        reported: set[str] = set()
        while not stop["now"] and (end is None or time.monotonic() < end):
            for name, proc in procs:
                if proc.poll() is not None and name not in reported:
                    reported.add(name)
                    print(f"[lam-robot up] {name} exited with {proc.returncode}", file=sys.stderr, flush=True)
                    code = EXIT_INTERNAL if proc.returncode else code
            if len(reported) == len(procs):
                break
            time.sleep(0.2)
    finally:
        for name, proc in reversed(procs):  # the recorder (last) finishes its file first
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10.0
        for name, proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5.0)
        for sig, handler in old.items():
            signal.signal(sig, handler)
    return code


def run_record(args) -> int:
    from ..nodes.recorder_node import record

    counts = record(args.out, args.ns, args.duration, args.topics)
    for topic, n in sorted(counts.items()):
        print(f"{n:7d}  {topic}")
    return EXIT_OK
