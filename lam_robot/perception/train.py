"""Train the block detector: ultralytics YOLO from its yaml (no pretrained weights).

Writes the best weights and a JSON record of how they were made (command,
seed, images, epochs, image size, held-out metrics) next to each other, the
form in which they ship under ``lam_robot/models/``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import LamError

os.environ.setdefault("YOLO_OFFLINE", "1")  # never reach for the network (no downloads, no telemetry)


@dataclass
class TrainResult:
    """Where the weights went and how good they are on the validation split."""

    weights: Path
    record: Path
    metrics: dict
    seconds: float


def pick_device(device: str | None = None) -> str:
    """``cuda:0`` when a GPU is there, else ``cpu`` (an explicit choice wins)."""
    if device:
        return device
    try:
        import torch

        return "0" if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover - torch comes with ultralytics
        return "cpu"


def train(data: str | Path, out: str | Path, model: str = "yolo11n.yaml", epochs: int = 40, imgsz: int = 320,
          batch: int = 16, seed: int = 0, device: str | None = None, hours: float | None = None,
          workers: int = 2, command: str = "", extra_record: dict | None = None, optimizer: str = "auto",
          lr0: float = 0.01) -> TrainResult:
    """Train and write ``out`` (weights, .pt) plus ``out`` with ``.json`` (the record).

    Args:
        data: a dataset folder from ``make-dataset`` (or its ``data.yaml``).
        out: where the weights go, e.g. ``lam_robot/models/blocks_yolo.pt``.
        model: an ultralytics model yaml (trained from scratch) or a .pt to go on
            training (e.g. an earlier run of this function: its record is kept
            as ``init`` in the new one, so the lineage stays reproducible).
        epochs: training epochs (an upper bound when ``hours`` is given).
        imgsz: training image size, pixels.
        batch: images per batch.
        seed: training seed.
        device: ``cpu``, ``0``...; default: the GPU when there is one.
        hours: wall-clock budget; ultralytics fits its schedule into it.
        workers: data loader processes.
        command: the command line that ran this, for the record.
        optimizer: ultralytics optimiser (``auto``, ``SGD``, ``AdamW``...); ``auto``
            picks AdamW with a small rate on short runs, which is slow from scratch.
        lr0: initial learning rate (ignored by ``auto``).
        extra_record: more fields for the JSON record (e.g. the dataset command).

    Raises:
        LamError: when the dataset is missing or ultralytics is not installed.
    """
    data = Path(data)
    yaml_path = data / "data.yaml" if data.is_dir() else data
    if not yaml_path.exists():
        raise LamError(f"no dataset at {data}: run 'lam-robot perception make-dataset' first")
    try:
        from ultralytics import YOLO
    except ImportError:
        raise LamError("ultralytics is not installed: pip install -r requirements/perception.txt") from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    device = pick_device(device)
    start = time.time()
    init_record = None
    if str(model).endswith(".pt"):
        init_json = Path(model).with_suffix(".json")
        if init_json.exists():
            init_record = json.loads(init_json.read_text())
    yolo = YOLO(model)
    project = Path(os.environ.get("LAM_ROBOT_RUNS", "/tmp/lam_robot_runs")).resolve()
    kwargs = dict(data=str(yaml_path), epochs=epochs, imgsz=imgsz, batch=batch, seed=seed, deterministic=False,
                  device=device, workers=workers, plots=False, project=str(project), name="blocks",
                  exist_ok=True, verbose=True, amp=device != "cpu", patience=1000, cache=True,
                  optimizer=optimizer, lr0=lr0,
                  fliplr=0.5, mosaic=1.0, close_mosaic=max(1, epochs // 10), hsv_h=0.0, hsv_s=0.3, hsv_v=0.3)
    if hours:
        kwargs["time"] = hours
    yolo.train(**kwargs)
    best = project / "blocks" / "weights" / "best.pt"
    if not best.exists():
        best = project / "blocks" / "weights" / "last.pt"
    # strip the optimiser state: the shipped file only needs the model
    from ultralytics.utils.torch_utils import strip_optimizer

    shutil.copy(best, out)
    strip_optimizer(str(out))
    trained = YOLO(str(out))
    val = trained.val(data=str(yaml_path), imgsz=imgsz, batch=batch, device=device, plots=False,
                      project=str(project), name="blocks_val", exist_ok=True, verbose=False)
    metrics = {"split": "val", "map50": float(val.box.map50), "map50_95": float(val.box.map),
               "precision": float(val.box.mp), "recall": float(val.box.mr)}
    dataset_info = {}
    if (yaml_path.parent / "dataset.json").exists():
        dataset_info = json.loads((yaml_path.parent / "dataset.json").read_text())
    record = {
        "weights": out.name,
        "model": model,
        "pretrained": False,  # never weights from outside: from a yaml, or from an earlier run of this script
        "init": init_record,
        "optimizer": optimizer,
        "lr0": lr0,
        "classes": list(trained.names.values()) if isinstance(trained.names, dict) else list(trained.names),
        "imgsz": imgsz,
        "epochs_requested": epochs,
        "epochs_run": _epochs_run(project / "blocks"),
        "time_budget_h": hours,
        "batch": batch,
        "seed": seed,
        "device": device,
        "train_seconds": round(time.time() - start, 1),
        "dataset": dataset_info,
        "metrics": metrics,
        "command": command,
        "dataset_command": dataset_info.get("command", ""),
        "ultralytics": _version("ultralytics"),
        "torch": _version("torch"),
        "machine": f"{platform.machine()} {os.cpu_count()} cpus",
        "size_bytes": out.stat().st_size,
    }
    record.update(extra_record or {})
    record_path = out.with_suffix(".json")
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    return TrainResult(out, record_path, metrics, time.time() - start)


def _epochs_run(run_dir: Path) -> int | None:
    results = run_dir / "results.csv"
    if not results.exists():
        return None
    return max(0, len(results.read_text().strip().splitlines()) - 1)


def _version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - informational only
        return "unknown"
