"""Planning benchmark: N-block towers from a random table layout.

For each N, a random arrangement of stacks on the table and a random target
tower. Every planner gets the same problems and a per-run timeout; once a
planner times out at some N it is skipped for larger N. Reported per run:
time, plan length, length before post-processing, and the lower bound (two
steps for every block that is not already well placed).

    python bench/planning.py [--sizes 4 8 12 16 24 32 40] [--seeds 3] [--timeout 30] [--layout table|stacks]

Prints a table, writes bench/results/planning.json and planning.png.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

from lam_robot.planning import plan_request
from lam_robot.scene import scene_from_dict
from lam_robot.symbolic.domain import load_domain

RESULTS = Path(__file__).resolve().parent / "results"
PLANNERS = ("auto", "fd", "fd-opt", "pyperplan")


def random_problem(n: int, seed: int, layout: str = "table") -> tuple[dict, str, int]:
    """(scene data, goal text, lower bound on plan length).

    ``layout="table"``: every block starts on the table; ``"stacks"``: random
    stacks (30 % chance of starting a new one), which forces detours.
    """
    rng = random.Random(seed)
    new_stack = 1.0 if layout == "table" else 0.3
    blocks = [f"b{i}" for i in range(n)]
    order = blocks[:]
    rng.shuffle(order)
    init, below = [], None
    start_of = {}
    for block in order:
        if below is None or rng.random() < new_stack:
            init.append(f"(on-table {block})")
            start_of[block] = "table"
        else:
            init.append(f"(on {block} {below})")
            start_of[block] = below
        below = block
    tower = blocks[:]
    rng.shuffle(tower)
    goal_of = {tower[0]: "table"} | {tower[i]: tower[i - 1] for i in range(1, n)}
    goal = "(and (on-table {}) {})".format(tower[0], " ".join(
        f"(on {tower[i]} {tower[i - 1]})" for i in range(1, n)))
    well: dict[str, bool] = {}

    def well_placed(b: str) -> bool:
        if b not in well:
            s = start_of[b]
            well[b] = s == goal_of[b] and (s == "table" or well_placed(s))
        return well[b]

    misplaced = sum(not well_placed(b) for b in blocks)
    return {"objects": {b: "block" for b in blocks}, "init": init}, goal, 2 * misplaced


def run(sizes, seeds, timeout_s, planners, layout):
    domain = load_domain()
    rows, timed_out = [], set()
    jobs = [(n, s, p) for n in sizes for s in range(seeds) for p in planners]
    for n, seed, planner in tqdm(jobs, desc="planning", unit="run"):
        if (planner, n) in timed_out or any((planner, m) in timed_out for m in sizes if m < n):
            rows.append({"n": n, "seed": seed, "planner": planner, "status": "skipped"})
            continue
        data, goal, bound = random_problem(n, 1000 * n + seed, layout)
        scene = scene_from_dict(data, domain)
        start = time.perf_counter()
        result = plan_request(goal, scene, domain, planner, timeout_s)
        elapsed = time.perf_counter() - start
        row = {"n": n, "seed": seed, "planner": result.planner if planner == "auto" else planner,
               "requested": planner, "status": result.status.value, "time_s": round(elapsed, 4),
               "length": len(result.plan) if result.ok else None, "raw_length": result.raw_length,
               "lower_bound": bound,
               "ratio": round(len(result.plan) / bound, 4) if result.ok and bound else (1.0 if result.ok else None)}
        if result.status.value == "timeout" or (not result.ok and elapsed >= timeout_s * 0.95):
            timed_out.add((planner, n))
        rows.append(row)
    return rows


def summarise(rows, sizes, planners):
    table = []
    for planner in planners:
        for n in sizes:
            mine = [r for r in rows if r.get("requested", r["planner"]) == planner and r["n"] == n]
            solved = [r for r in mine if r["status"] == "solved"]
            table.append({
                "planner": planner, "n": n, "runs": len(mine), "solved": len(solved),
                "time_s_median": round(statistics.median(r["time_s"] for r in solved), 4) if solved else None,
                "time_s_max": round(max(r["time_s"] for r in solved), 4) if solved else None,
                "length_mean": round(statistics.mean(r["length"] for r in solved), 1) if solved else None,
                "raw_length_mean": round(statistics.mean(r["raw_length"] or 0 for r in solved), 1) if solved else None,
                "ratio_max": round(max(r["ratio"] for r in solved), 3) if solved else None,
                "status": "ok" if solved else (mine[0]["status"] if mine else "none"),
            })
    return table


def print_table(table):
    head = (f"{'planner':10} {'N':>3} {'solved':>7} {'t_med s':>9} {'t_max s':>9} {'len':>7} {'raw len':>8} "
            f"{'len/LB max':>10}")
    print(head)
    print("-" * len(head))
    for r in table:
        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"
        print(f"{r['planner']:10} {r['n']:>3} {r['solved']:>3}/{r['runs']:<3} {f(r['time_s_median'], '9.3f')} "
              f"{f(r['time_s_max'], '9.3f')} {f(r['length_mean'], '7.1f')} {f(r['raw_length_mean'], '8.1f')} "
              f"{f(r['ratio_max'], '10.3f')}  {'' if r['solved'] else r['status']}")


def plot(table, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_t, ax_r) = plt.subplots(1, 2, figsize=(11, 4))
    for planner in dict.fromkeys(r["planner"] for r in table):
        pts = [(r["n"], r["time_s_median"], r["ratio_max"]) for r in table
               if r["planner"] == planner and r["solved"]]
        if not pts:
            continue
        ax_t.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=planner)
        ax_r.plot([p[0] for p in pts], [p[2] for p in pts], marker="o", label=planner)
    ax_t.set(xlabel="blocks", ylabel="median time (s)", yscale="log", title="planning time")
    ax_r.axhline(1.25, color="grey", ls="--", lw=1)
    ax_r.set(xlabel="blocks", ylabel="plan length / lower bound (max)", title="plan quality")
    ax_t.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 8, 12, 16, 24, 32, 40])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--planners", nargs="+", default=list(PLANNERS))
    parser.add_argument("--layout", choices=["table", "stacks"], default="table",
                        help="blocks start all on the table (the issue's setting) or in random stacks")
    parser.add_argument("--out", type=Path, default=None, help="default bench/results/planning[_stacks].json")
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = RESULTS / ("planning.json" if args.layout == "table" else f"planning_{args.layout}.json")
    rows = run(args.sizes, args.seeds, args.timeout, args.planners, args.layout)
    table = summarise(rows, args.sizes, args.planners)
    print_table(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    record = {"layout": args.layout, "timeout_s": args.timeout, "seeds": args.seeds, "summary": table, "runs": rows}
    args.out.write_text(json.dumps(record, indent=1))
    plot(table, args.out.with_suffix(".png"))
    print(f"wrote {args.out} and {args.out.with_suffix('.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
