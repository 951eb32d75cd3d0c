"""ROS graph benchmark: instruction -> first trajectory latency and topic rates, over real DDS.

Starts sim_node, translator_node, planner_node and executor_node as separate
processes in a fresh ROS domain (the rclpy wheels, FastDDS on this machine),
then repeats: publish an instruction, time the goal, the plan and the first
``JointTrajectory`` as this process receives them, emergency-stop the arm,
re-arm. Message rates per topic are counted over the whole run.

    python bench/graph.py [--trials 20] [--translator rules] [--state-rate 10]

Prints a table, writes bench/results/graph.json. Goal: instruction -> first
trajectory under 300 ms at p95 with the rules translator.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
INSTRUCTION = "put the green block on the blue one"


def _percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def start_nodes(env, translator: str, state_rate_hz: float, log_dir: Path):
    from lam_robot.graph import EXECUTOR, PLANNER, SIM, TRANSLATOR, LaunchNode, command_line

    nodes = [LaunchNode(SIM, {"camera_rate_hz": 0.0, "real_time_factor": 1.0,
                              "ground_truth_rate_hz": float(state_rate_hz)}),
             LaunchNode(TRANSLATOR, {"backend": translator}), LaunchNode(PLANNER), LaunchNode(EXECUTOR)]
    procs = []
    for node in nodes:
        log = open(log_dir / f"{node.spec.name}.log", "wb")
        procs.append((node.spec.name, subprocess.Popen(command_line(node), env=env, stdout=log,
                                                       stderr=subprocess.STDOUT, start_new_session=True), log))
    return procs


def stop_nodes(procs) -> None:
    for _, proc, _ in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
    for _, proc, log in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def run(trials: int, translator: str, state_rate_hz: float, domain_id: int) -> dict:
    env = dict(os.environ, ROS_DOMAIN_ID=str(domain_id), ROS_AUTOMATIC_DISCOVERY_RANGE="LOCALHOST",
               PYTHONUNBUFFERED="1")
    os.environ.update(ROS_AUTOMATIC_DISCOVERY_RANGE="LOCALHOST")
    import rclpy
    from rclpy.context import Context
    from rclpy.executors import SingleThreadedExecutor
    from sensor_msgs.msg import JointState
    from std_msgs.msg import Bool, String
    from trajectory_msgs.msg import JointTrajectory

    from lam_robot.graph import TOPICS
    from lam_robot.nodes.common import QOS

    log_dir = Path(tempfile.mkdtemp(prefix="lam_bench_graph_"))
    procs = start_nodes(env, translator, state_rate_hz, log_dir)
    ctx = Context()
    rclpy.init(context=ctx, domain_id=domain_id)
    node = rclpy.create_node("bench_graph", context=ctx)
    ex = SingleThreadedExecutor(context=ctx)
    ex.add_node(node)
    arrivals: dict[str, list[float]] = {}
    statuses: list[dict] = []

    def counter(topic, keep=None):
        def cb(msg):
            arrivals.setdefault(topic, []).append(time.perf_counter())
            if keep is not None:
                keep(msg)
        return cb
    node.create_subscription(String, TOPICS["goal"], counter("goal"), QOS["command"])
    node.create_subscription(String, TOPICS["plan"], counter("plan"), QOS["state"])
    node.create_subscription(String, TOPICS["world_state"], counter("world_state"), QOS["state"])
    node.create_subscription(JointState, TOPICS["joint_states"], counter("joint_states"), QOS["sensor"])
    node.create_subscription(JointTrajectory, TOPICS["trajectory"], counter("trajectory"), QOS["command"])
    node.create_subscription(String, TOPICS["status"],
                             counter("status", lambda m: statuses.append(json.loads(m.data))), QOS["events"])
    instruction = node.create_publisher(String, TOPICS["instruction"], QOS["command"])
    estop = node.create_publisher(Bool, "executor/estop", QOS["command"])

    def spin_until(pred, timeout_s, what):
        deadline = time.monotonic() + timeout_s
        while not pred():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}; logs in {log_dir}")
            if any(p.poll() is not None for _, p, _ in procs):
                raise RuntimeError(f"a node exited; logs in {log_dir}")
            ex.spin_once(timeout_sec=0.01)

    rows = []
    try:
        spin_until(lambda: instruction.get_subscription_count() >= 1 and estop.get_subscription_count() >= 1
                   and node.count_publishers(TOPICS["trajectory"]) >= 1, 60.0, "the graph")
        spin_until(lambda: len(arrivals.get("world_state", [])) > 3, 30.0, "world states")
        run_start = time.perf_counter()
        for trial in range(trials):
            n_goal, n_plan, n_traj = (len(arrivals.get(k, [])) for k in ("goal", "plan", "trajectory"))
            done_before = sum(1 for s in statuses if s.get("event") == "done")
            t0 = time.perf_counter()
            instruction.publish(String(data=json.dumps({"text": INSTRUCTION, "id": f"bench{trial}"})))
            spin_until(lambda: len(arrivals.get("trajectory", [])) > n_traj, 30.0, "the first trajectory")
            t_goal = arrivals["goal"][n_goal] if len(arrivals.get("goal", [])) > n_goal else float("nan")
            t_plan = arrivals["plan"][n_plan] if len(arrivals.get("plan", [])) > n_plan else float("nan")
            t_traj = arrivals["trajectory"][n_traj]
            rows.append({"trial": trial, "to_goal_ms": (t_goal - t0) * 1e3, "to_plan_ms": (t_plan - t0) * 1e3,
                         "to_first_trajectory_ms": (t_traj - t0) * 1e3})
            estop.publish(Bool(data=True))
            spin_until(lambda: sum(1 for s in statuses if s.get("event") == "done") > done_before, 30.0,
                       "the stopped task to end")
            estop.publish(Bool(data=False))
            spin_until(lambda: any(s.get("event") == "estop_cleared" for s in statuses[-5:]), 10.0, "re-arm")
            t_rest = time.perf_counter() + 0.3
            spin_until(lambda: time.perf_counter() > t_rest, 5.0, "a pause")
        window_s = time.perf_counter() - run_start
    finally:
        ex.shutdown(timeout_sec=1.0)
        node.destroy_node()
        rclpy.shutdown(context=ctx)
        stop_nodes(procs)
    lat = [r["to_first_trajectory_ms"] for r in rows]
    summary = {
        "trials": trials, "translator": translator, "state_rate_hz": state_rate_hz,
        "instruction_to_first_trajectory_ms": {"p50": _percentile(lat, 0.5), "p95": _percentile(lat, 0.95),
                                               "max": max(lat), "mean": statistics.fmean(lat)},
        "instruction_to_goal_ms": {"p50": _percentile([r["to_goal_ms"] for r in rows], 0.5),
                                   "p95": _percentile([r["to_goal_ms"] for r in rows], 0.95)},
        "instruction_to_plan_ms": {"p50": _percentile([r["to_plan_ms"] for r in rows], 0.5),
                                   "p95": _percentile([r["to_plan_ms"] for r in rows], 0.95)},
        "rates_hz": {k: round(len([t for t in v if t >= run_start]) / window_s, 2) for k, v in arrivals.items()},
        "goal_p95_ms": 300.0,
        "rows": rows,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
    }
    summary["meets_goal"] = summary["instruction_to_first_trajectory_ms"]["p95"] < 300.0
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--translator", default="rules")
    parser.add_argument("--state-rate", type=float, default=10.0, help="world-state rate of the simulator, Hz")
    parser.add_argument("--domain-id", type=int, default=150 + os.getpid() % 50)
    args = parser.parse_args(argv)
    result = run(args.trials, args.translator, args.state_rate, args.domain_id)
    print(f"instruction -> first JointTrajectory over DDS ({args.trials} trials, {args.translator} translator, "
          f"world state at {args.state_rate:g} Hz)")
    print(f"{'stage':<34}{'p50 ms':>10}{'p95 ms':>10}")
    for key in ("instruction_to_goal_ms", "instruction_to_plan_ms", "instruction_to_first_trajectory_ms"):
        print(f"{key:<34}{result[key]['p50']:>10.1f}{result[key]['p95']:>10.1f}")
    print(f"goal: p95 < 300 ms -> {'met' if result['meets_goal'] else 'NOT met'}")
    print(f"\n{'topic':<20}{'rate Hz':>10}")
    for topic, rate in sorted(result["rates_hz"].items()):
        print(f"{topic:<20}{rate:>10.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "graph.json").write_text(json.dumps(result, indent=2))
    print(f"\nwrote {RESULTS / 'graph.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
