"""``lam-robot perception ...``: make a synthetic dataset, train the detector, detect, observe.

    lam-robot perception make-dataset --n 2000 --out /work/data/blocks
    lam-robot perception train --data /work/data/blocks --out lam_robot/models/blocks_yolo.pt
    lam-robot perception detect --scene sim/scenes/tower3.yaml [--weights W.pt --class-map MAP.json]
"""

from __future__ import annotations

import json
import shlex
import sys

from . import EXIT_OK, EXIT_REFUSED


def register(sub) -> None:
    perception = sub.add_parser("perception", help="camera dataset, detector training, detection")
    psub = perception.add_subparsers(dest="perception_command", metavar="ACTION")

    make = psub.add_parser("make-dataset", help="render a labelled synthetic dataset (ultralytics YOLO layout)")
    make.add_argument("--n", type=int, default=2000, help="number of images")
    make.add_argument("--out", required=True, help="output folder (keep it outside the repository)")
    make.add_argument("--seed", type=int, default=0)
    make.add_argument("--val-fraction", type=float, default=0.1, help="share of images for validation (1: a test set)")
    make.add_argument("--width", type=int, default=320, help="stored image width, pixels")
    make.add_argument("--height", type=int, default=240, help="stored image height, pixels")
    make.set_defaults(func=run_make_dataset)

    train = psub.add_parser("train", help="train YOLO from its yaml on a dataset; GPU when there is one")
    train.add_argument("--data", required=True, help="dataset folder from make-dataset")
    train.add_argument("--out", default="lam_robot/models/blocks_yolo.pt", help="weights file to write (+ .json)")
    train.add_argument("--model", default="yolo11n.yaml",
                       help="ultralytics model yaml (yolo11n.yaml, yolov8n.yaml), or a .pt of an earlier run to go on")
    train.add_argument("--epochs", type=int, default=40)
    train.add_argument("--imgsz", type=int, default=320)
    train.add_argument("--batch", type=int, default=16)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default=None, help="cpu, 0, ... (default: GPU if available)")
    train.add_argument("--hours", type=float, default=None, help="wall-clock budget; the schedule fits into it")
    train.add_argument("--workers", type=int, default=2)
    train.add_argument("--optimizer", default="auto", help="auto, SGD, AdamW... (auto: AdamW, small rate)")
    train.add_argument("--lr0", type=float, default=0.01, help="initial learning rate (not used by --optimizer auto)")
    train.set_defaults(func=run_train)

    detect = psub.add_parser("detect", help="build a scene in the simulator, render it and print what is seen")
    detect.add_argument("--scene", default="sim/scenes/tower3.yaml", help="scene YAML")
    detect.add_argument("--weights", default=None, help="ultralytics .pt or .onnx (default: shipped weights)")
    detect.add_argument("--class-map", default=None, help="JSON {model class: scene colour/type} for --weights")
    detect.add_argument("--seed", type=int, default=0)
    detect.add_argument("--json", action="store_true")
    detect.set_defaults(func=run_detect)

    perception.set_defaults(func=lambda args: (perception.print_help(), EXIT_REFUSED)[1])


def run_make_dataset(args) -> int:
    from ..perception.dataset import make_dataset

    if args.n < 1:
        print("error: --n must be at least 1", file=sys.stderr)
        return EXIT_REFUSED
    report = make_dataset(args.n, args.out, seed=args.seed, val_fraction=args.val_fraction,
                          out_size=(args.width, args.height))
    info_path = report.out / "dataset.json"
    info = json.loads(info_path.read_text())
    info["command"] = "lam-robot perception make-dataset " + " ".join(shlex.quote(a) for a in sys.argv[3:]) \
        if len(sys.argv) > 2 and sys.argv[2] == "make-dataset" else ""
    info_path.write_text(json.dumps(info, indent=2))
    print(json.dumps(report.to_dict(), indent=2))
    return EXIT_OK


def run_train(args) -> int:
    from ..perception.train import train

    command = "lam-robot perception train " + " ".join(shlex.quote(a) for a in sys.argv[3:]) \
        if len(sys.argv) > 2 and sys.argv[2] == "train" else ""
    result = train(args.data, args.out, model=args.model, epochs=args.epochs, imgsz=args.imgsz,
                   batch=args.batch, seed=args.seed, device=args.device, hours=args.hours,
                   workers=args.workers, command=command, optimizer=args.optimizer, lr0=args.lr0)
    print(json.dumps({"weights": str(result.weights), "record": str(result.record), "metrics": result.metrics,
                      "seconds": round(result.seconds, 1)}, indent=2))
    return EXIT_OK


def run_detect(args) -> int:
    from ..perception import make_observer
    from ..resources import find_resource
    from ..scene import load_scene
    from ..sim.world import SimWorld
    from ..symbolic.domain import load_domain

    domain = load_domain()
    scene = load_scene(find_resource(args.scene), domain)
    options = {}
    if args.weights:
        options["weights"] = args.weights
    if args.class_map:
        options["class_map"] = args.class_map
    with SimWorld.from_scene(scene, seed=args.seed) as world:
        observer = make_observer(world, domain, **options)
        state = observer.observe()
    if args.json:
        print(json.dumps(state.to_dict(), indent=2))
        return EXIT_OK
    for det in observer.last_detections:
        cls, score = det.hypotheses[0]
        x, y, z = det.center_xyz
        print(f"{det.tracking_id:<10} {cls:<8} {score:.2f}  at ({x:.3f}, {y:.3f}, {z:.3f}) m")
    print("believed: " + " ".join(str(a) for a in sorted(state.state)))
    for fact in state.uncertain:
        print(f"uncertain: {fact.atom} ({fact.confidence:.2f})")
    return EXIT_OK
