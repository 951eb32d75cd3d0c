"""Perception benchmark: detector accuracy, predicate accuracy, detection speed.

1. mAP50 and mAP50-95 of the shipped detector on a held-out synthetic set
   rendered with another seed than its training data (goal: mAP50 >= 0.95).
2. Predicate precision, recall and F1 of the perception observer against the
   simulator's truth on random scenes (one block per colour, stacks up to 4,
   trays, blocks occluding each other; goal: F1 >= 0.99). Facts compared:
   ``on``, ``on-table``, ``in``, ``clear``; an uncertain fact counts as not
   asserted.
3. Detection speed on this machine's CPU at 320 and 640 pixels, for both
   runtimes (onnxruntime, the CPU default, and ultralytics/torch): one image at
   a time (latency) and batches of 16 (throughput) (goal: >= 60 FPS at 320).
   The load average is recorded with it: other work on a 2-core machine shows.

    python bench/perception.py [--scenes 200] [--heldout 300] [--data DIR] [--fps-images 64] [--weights W.pt]

Prints a table, writes bench/results/perception.json and perception.png.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

os.environ.setdefault("YOLO_OFFLINE", "1")

from lam_robot.perception import make_observer  # noqa: E402
from lam_robot.perception.dataset import CLASS_NAMES, make_dataset, random_scene  # noqa: E402
from lam_robot.perception.detector import DEFAULT_WEIGHTS, YoloDetector  # noqa: E402
from lam_robot.sim.world import SimError, SimWorld  # noqa: E402
from lam_robot.symbolic.domain import load_domain  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
PREDICATES = ("on", "on-table", "in", "clear")
GOALS = {"map50": 0.95, "predicate_f1": 0.99, "fps_320": 60.0}


def heldout_metrics(data: Path, n: int, seed: int, imgsz: int, weights: Path) -> dict:
    from ultralytics import YOLO

    if not (data / "data.yaml").exists():
        make_dataset(n, data, seed=seed, val_fraction=1.0)
    model = YOLO(str(weights), task="detect")
    val = model.val(data=str(data / "data.yaml"), imgsz=imgsz, batch=16, device="cpu", plots=False,
                    verbose=False, project="/tmp/lam_robot_runs", name="bench_val", exist_ok=True)
    per_class = {}
    for i, cls in enumerate(val.box.ap_class_index):
        per_class[model.names[int(cls)]] = {"ap50": float(val.box.all_ap[i, 0]),
                                            "ap50_95": float(val.box.all_ap[i].mean())}
    images = len(list((data / "images" / "val").glob("*.png")))
    return {"images": images, "seed": seed, "imgsz": imgsz, "map50": float(val.box.map50),
            "map50_95": float(val.box.map), "precision": float(val.box.mp), "recall": float(val.box.mr),
            "per_class": per_class}


def predicate_scores(n_scenes: int, seed: int, detector) -> dict:
    domain = load_domain()
    rng = np.random.default_rng(seed)
    counts = {p: {"tp": 0, "fp": 0, "fn": 0} for p in PREDICATES}
    uncertain = 0
    exact = 0
    failures = []
    done = 0
    bar = tqdm(total=n_scenes, desc="scenes", unit="scene")
    attempt = 0
    while done < n_scenes:
        attempt += 1
        scene, _ = random_scene(rng, unique_colours=True, allow_tilt=False, sizes=(0.045, 0.055))
        try:
            world = SimWorld.from_scene(scene, seed=attempt)
        except SimError:
            continue
        try:
            if not world.wait_settled(1.0):
                continue
            state = make_observer(world, domain, detector=detector).observe()
        finally:
            world.close()
        truth = {a for a in scene.facts if a.predicate in PREDICATES}
        believed = {a for a in state.state if a.predicate in PREDICATES}
        for pred in PREDICATES:
            t = {a for a in truth if a.predicate == pred}
            b = {a for a in believed if a.predicate == pred}
            counts[pred]["tp"] += len(t & b)
            counts[pred]["fp"] += len(b - t)
            counts[pred]["fn"] += len(t - b)
        uncertain += len(state.uncertain)
        if truth == believed:
            exact += 1
        elif len(failures) < 10:
            failures.append({"scene": attempt, "missed": sorted(map(str, truth - believed)),
                             "wrong": sorted(map(str, believed - truth))})
        done += 1
        bar.update(1)
    bar.close()
    out = {}
    total = {"tp": 0, "fp": 0, "fn": 0}
    for pred, c in counts.items():
        out[pred] = _prf(c)
        for k in total:
            total[k] += c[k]
    out["all"] = _prf(total)
    return {"scenes": n_scenes, "seed": seed, "per_predicate": out, "scenes_exact": exact,
            "uncertain_facts": uncertain, "failures": failures}


def _prf(c: dict) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {**c, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def fps(images: list[np.ndarray], imgsz: int, weights: Path, runtime: str, repeats: int = 1) -> dict:
    det = YoloDetector(weights, imgsz=imgsz, device="cpu", runtime=runtime)
    det.detect(images[0])  # warm up
    t0 = time.perf_counter()
    for _ in range(repeats):
        for img in images:
            det.detect(img)
    single = len(images) * repeats / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(repeats):
        for i in range(0, len(images), 16):
            det.detect_batch(images[i:i + 16])
    batched = len(images) * repeats / (time.perf_counter() - t0)
    return {"imgsz": imgsz, "runtime": runtime, "fps_single": round(single, 1), "fps_batch16": round(batched, 1),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--heldout", type=int, default=300, help="held-out images")
    parser.add_argument("--heldout-seed", type=int, default=1)
    parser.add_argument("--data", default="/tmp/lam_robot_heldout_v2_s1", help="held-out set folder (made if missing)")
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS), help="detector .pt (default: the shipped one)")
    parser.add_argument("--fps-images", type=int, default=64)
    parser.add_argument("--skip", nargs="*", default=(), choices=("map", "predicates", "fps"))
    args = parser.parse_args(argv)
    import cv2
    import torch

    weights = Path(args.weights)
    record = json.loads(weights.with_suffix(".json").read_text())
    results: dict = {"weights": weights.name, "weights_record": {k: record.get(k) for k in (
        "model", "imgsz", "epochs_run", "train_seconds", "seed", "command", "dataset_command")},
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus, torch threads "
                   f"{torch.get_num_threads()}", "goals": GOALS}
    data = Path(args.data)
    if "map" not in args.skip:
        results["heldout"] = heldout_metrics(data, args.heldout, args.heldout_seed, record.get("imgsz", 320),
                                             weights)
    if "predicates" not in args.skip:
        detector = YoloDetector(weights, device="cpu")
        results["predicates"] = predicate_scores(args.scenes, 2, detector)
    if "fps" not in args.skip:
        files = sorted((data / "images" / "val").glob("*.png"))[:args.fps_images]
        if not files:
            make_dataset(args.fps_images, data, seed=args.heldout_seed, val_fraction=1.0)
            files = sorted((data / "images" / "val").glob("*.png"))[:args.fps_images]
        small = [cv2.imread(str(f))[:, :, ::-1].copy() for f in files]
        large = [cv2.resize(img, (640, 480), interpolation=cv2.INTER_LINEAR) for img in small]
        results["fps"] = [fps(large, size, weights, runtime) for runtime in ("onnxruntime", "ultralytics")
                          for size in (320, 640)]
    print_table(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "perception.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / "perception.png")
    return 0


def print_table(results: dict) -> None:
    rows = []
    if "heldout" in results:
        h = results["heldout"]
        rows.append(("mAP50 (held-out, %d images)" % h["images"], f"{h['map50']:.3f}", ">= 0.95",
                     "yes" if h["map50"] >= 0.95 else "NO"))
        rows.append(("mAP50-95 (held-out)", f"{h['map50_95']:.3f}", "", ""))
    if "predicates" in results:
        pr = results["predicates"]
        for pred, s in pr["per_predicate"].items():
            verdict = ("yes" if s["f1"] >= 0.99 else "NO") if pred == "all" else ""
            rows.append((f"predicate {pred}: P / R / F1", f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}",
                         ">= 0.99" if pred == "all" else "", verdict))
        rows.append(("scenes fully right", f"{pr['scenes_exact']}/{pr['scenes']}", "", ""))
    for f in results.get("fps", []):
        goal = ">= 60" if f["imgsz"] == 320 else ""
        rows.append((f"FPS at {f['imgsz']}, {f.get('runtime', 'ultralytics')} (single / batch 16)",
                     f"{f['fps_single']} / {f['fps_batch16']}", goal,
                     ("yes" if f["fps_single"] >= 60 else "NO") if goal else ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':<24} {'goal':<8} met")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:<24} {r[2]:<8} {r[3]}")
    print(f"machine: {results['machine']}")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    if "heldout" in results:
        pc = results["heldout"]["per_class"]
        names = [c for c in CLASS_NAMES if c in pc]
        axes[0].bar(names, [pc[c]["ap50"] for c in names], color="tab:blue", label="AP50")
        axes[0].bar(names, [pc[c]["ap50_95"] for c in names], color="tab:orange", width=0.5, label="AP50-95")
        axes[0].axhline(0.95, color="k", ls="--", lw=1)
        axes[0].set_ylim(0, 1.02)
        axes[0].set_title("held-out AP per class")
        axes[0].tick_params(axis="x", rotation=45)
        axes[0].legend(loc="lower left")
    if "predicates" in results:
        pp = results["predicates"]["per_predicate"]
        keys = list(pp)
        x = np.arange(len(keys))
        for k, (metric, colour) in enumerate((("precision", "tab:green"), ("recall", "tab:red"), ("f1", "tab:purple"))):
            axes[1].bar(x + (k - 1) * 0.25, [pp[p][metric] for p in keys], 0.25, label=metric, color=colour)
        axes[1].set_xticks(x, keys)
        axes[1].set_ylim(0.8, 1.005)
        axes[1].axhline(0.99, color="k", ls="--", lw=1)
        axes[1].set_title(f"predicates vs simulator truth ({results['predicates']['scenes']} scenes)")
        axes[1].legend(loc="lower left")
    if "fps" in results:
        f = results["fps"]
        x = np.arange(len(f))
        axes[2].bar(x - 0.2, [r["fps_single"] for r in f], 0.4, label="one image")
        axes[2].bar(x + 0.2, [r["fps_batch16"] for r in f], 0.4, label="batch 16")
        axes[2].set_xticks(x, [f"{r.get('runtime', 'ultralytics')}\n{r['imgsz']}" for r in f])
        axes[2].axhline(60, color="k", ls="--", lw=1)
        axes[2].set_title("detection FPS on CPU")
        axes[2].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)


if __name__ == "__main__":
    sys.exit(main())
