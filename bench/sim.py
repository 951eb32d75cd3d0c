"""Simulation benchmark: every scenario, several seeds, judged from the physics.

Reported: success rate (feasible scenarios must succeed; infeasible ones must
be refused with zero motion), simulated time over wall-clock time (headless,
physics stepped without sleeping), CPU time of this process (the speed the
machine would give without other load), and simulated time per skill.

    python bench/sim.py [--seeds 5] [--only tower]

Prints a table, writes bench/results/sim.json and sim.png.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

from lam_robot.execution.motion import MotionPlanner
from lam_robot.sim.scenario import list_scenarios, load_scenario, run_scenario
from lam_robot.symbolic.domain import load_domain

RESULTS = Path(__file__).resolve().parent / "results"
SKILLS = ("approach", "grasp", "lift", "transport", "place", "release", "retreat", "home")


def run(seeds: int, only: str | None) -> dict:
    domain = load_domain()
    paths = [p for p in list_scenarios() if not only or only in p.stem]
    scenarios = [load_scenario(p, domain) for p in paths]
    motion_planner = MotionPlanner()
    runs = []
    try:
        jobs = [(s, seed) for s in scenarios for seed in range(seeds)]
        for scenario, seed in tqdm(jobs, desc="sim bench", unit="run", file=sys.stderr):
            cpu0 = time.process_time()
            report = run_scenario(scenario, seed=seed, domain=domain, motion_planner=motion_planner)
            cpu_s = time.process_time() - cpu0
            data = report.to_dict()
            runs.append({
                "scenario": scenario.name, "seed": seed, "expect": scenario.expect,
                "success": report.success, "refused": report.refused, "moved": report.moved,
                "steps": report.steps, "replans": report.replans,
                "sim_time_s": round(report.sim_time_s, 3), "wall_time_s": round(report.wall_time_s, 3),
                "cpu_time_s": round(cpu_s, 3), "skill_time_s": data["skill_time_s"],
                "reason": report.reason or None,
            })
    finally:
        motion_planner.close()
    return summarize(runs, seeds)


def summarize(runs: list[dict], seeds: int) -> dict:
    feasible = [r for r in runs if r["expect"] == "feasible"]
    infeasible = [r for r in runs if r["expect"] != "feasible"]
    moving = [r for r in feasible if r["sim_time_s"] > 0]
    sim = sum(r["sim_time_s"] for r in moving)
    wall = sum(r["wall_time_s"] for r in moving)
    cpu = sum(r["cpu_time_s"] for r in moving)
    skills: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for r in feasible:
        for name, t in r["skill_time_s"].items():
            skills.setdefault(name, []).append(t)
            counts[name] = counts.get(name, 0) + 1
    per_scenario = {}
    for r in runs:
        row = per_scenario.setdefault(r["scenario"], {"expect": r["expect"], "runs": 0, "succeeded": 0,
                                                      "replans": 0, "sim_time_s": [], "wall_time_s": []})
        row["runs"] += 1
        row["succeeded"] += int(r["success"])
        row["replans"] += r["replans"]
        row["sim_time_s"].append(r["sim_time_s"])
        row["wall_time_s"].append(r["wall_time_s"])
    for row in per_scenario.values():
        row["sim_time_s"] = round(statistics.mean(row["sim_time_s"]), 2)
        row["wall_time_s"] = round(statistics.mean(row["wall_time_s"]), 2)
    total_steps = sum(r["steps"] for r in feasible) or 1
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
        "seeds": seeds,
        "feasible_runs": len(feasible),
        "feasible_succeeded": sum(r["success"] for r in feasible),
        "feasible_success_rate": round(sum(r["success"] for r in feasible) / max(1, len(feasible)), 4),
        "infeasible_runs": len(infeasible),
        "infeasible_refused_without_motion": sum(r["refused"] and not r["moved"] for r in infeasible),
        "sim_time_s": round(sim, 2), "wall_time_s": round(wall, 2), "cpu_time_s": round(cpu, 2),
        "speedup_wall": round(sim / wall, 1) if wall else None,
        "speedup_cpu": round(sim / cpu, 1) if cpu else None,
        "skill_time_s_total": {k: round(sum(v), 2) for k, v in sorted(skills.items())},
        "skill_time_s_per_plan_step": {k: round(sum(v) / total_steps, 3) for k, v in sorted(skills.items())},
        "replans_total": sum(r["replans"] for r in runs),
        "per_scenario": per_scenario,
        "runs": runs,
    }


def print_table(result: dict) -> None:
    print(f"{'scenario':24s} {'expect':9s} {'ok':>7s} {'replans':>7s} {'sim s':>7s} {'wall s':>7s} {'x rt':>6s}")
    for name, row in result["per_scenario"].items():
        speed = row["sim_time_s"] / row["wall_time_s"] if row["wall_time_s"] else 0.0
        print(f"{name:24s} {row['expect']:9s} {row['succeeded']:3d}/{row['runs']:<3d} {row['replans']:7d} "
              f"{row['sim_time_s']:7.1f} {row['wall_time_s']:7.2f} {speed:6.1f}")
    for r in result["runs"]:
        if not r["success"]:
            print(f"  FAILED {r['scenario']} seed {r['seed']}: {r['reason']}")
    print(f"feasible: {result['feasible_succeeded']}/{result['feasible_runs']} succeeded "
          f"({100 * result['feasible_success_rate']:.1f} %); infeasible: "
          f"{result['infeasible_refused_without_motion']}/{result['infeasible_runs']} refused with zero motion")
    print(f"speed: {result['sim_time_s']:.0f} s simulated in {result['wall_time_s']:.0f} s wall "
          f"({result['speedup_wall']}x real time) and {result['cpu_time_s']:.0f} s CPU "
          f"({result['speedup_cpu']}x per CPU second); load average {result['machine']['load_avg_1m']} "
          f"on {result['machine']['cpus']} CPUs")
    print("simulated seconds per skill (total | per plan step): " + ", ".join(
        f"{k} {v:.0f} | {result['skill_time_s_per_plan_step'][k]:.2f}"
        for k, v in result["skill_time_s_total"].items()))


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    names = list(result["per_scenario"])
    rows = [result["per_scenario"][n] for n in names]
    rates = [r["succeeded"] / r["runs"] for r in rows]
    colors = ["tab:green" if r["expect"] == "feasible" else "tab:gray" for r in rows]
    ax1.barh(names, rates, color=colors)
    ax1.set_xlim(0, 1.05)
    ax1.set_xlabel(f"success rate over {result['seeds']} seeds (grey: must be refused)")
    ax1.invert_yaxis()
    ax1.tick_params(axis="y", labelsize=7)
    skills = [s for s in SKILLS if s in result["skill_time_s_per_plan_step"]]
    ax2.bar(skills, [result["skill_time_s_per_plan_step"][s] for s in skills], color="tab:blue")
    ax2.set_ylabel("simulated seconds per plan step")
    ax2.set_title(f"{result['speedup_wall']}x real time (wall), {result['speedup_cpu']}x (CPU)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", default=None, help="scenarios whose name contains this")
    parser.add_argument("--out", default=str(RESULTS / "sim.json"))
    args = parser.parse_args(argv)
    if args.seeds < 1:
        print("error: --seeds must be at least 1")
        return 2
    result = run(args.seeds, args.only)
    if not result["runs"]:
        print("error: no scenarios matched")
        return 2
    print_table(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out.with_suffix(".png"))
    print(f"wrote {out} and {out.with_suffix('.png')}")
    ok = result["feasible_success_rate"] == 1.0 and \
        result["infeasible_refused_without_motion"] == result["infeasible_runs"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
