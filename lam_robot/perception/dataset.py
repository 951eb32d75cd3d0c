"""Synthetic training data: randomised tabletop scenes, labelled from segmentation.

Each sample is a random :class:`lam_robot.scene.Scene` (blocks of the shared
colours, stacks up to four high, trays) built by the simulator's own
:class:`lam_robot.sim.world.SimWorld`, so training images look like the
worlds perception later runs in (table, Panda arm in view and occluding).
On top of that the generator randomises what the symbolic scene does not fix:

* block colour shade and size (4-6 cm), yaw and sloppy stacking offsets,
* lighting (direction, colour, ambient/diffuse/specular, shadows),
* table colour and texture (procedural noise, stripes, checks),
* distractor objects (spheres, cylinders, capsules, also in block colours),
* arm pose (random configurations over the workspace, a block in the gripper),
* blocks tilted on tray edges, camera pose and field of view jitter.

Boxes come from the segmentation mask (visible pixels only, so occluded
blocks in stacks get the box of their visible part). Output is the ultralytics
YOLO dataset layout::

    DIR/data.yaml
    DIR/images/{train,val}/000123.png
    DIR/labels/{train,val}/000123.txt   # class cx cy w h, normalised
"""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..scene import SceneObject, scene_from_dict
from ..sim.appearance import COLORS, TRAY_SIZE
from .camera import Lighting, RgbdCamera

#: Detector classes, in index order: block colours, then trays.
CLASS_NAMES: tuple[str, ...] = tuple(COLORS) + ("tray",)
BLOCK_CLASSES: tuple[str, ...] = tuple(COLORS)

MIN_BOX_PIXELS = 24          # visible pixels (at output resolution) for a labelled object
MIN_BOX_SIDE_PX = 3


@dataclass
class DatasetReport:
    """What :func:`make_dataset` wrote."""

    out: Path
    images: int
    boxes: int
    per_class: dict
    seconds: float

    def to_dict(self) -> dict:
        return {"out": str(self.out), "images": self.images, "boxes": self.boxes,
                "per_class": self.per_class, "seconds": round(self.seconds, 1)}


def random_scene(rng: np.random.Generator, max_blocks: int = 8, max_stack: int = 4,
                 unique_colours: bool = False, allow_tilt: bool = True, sizes: tuple[float, float] = (0.04, 0.06)):
    """A random consistent scene: blocks by colour, stacks, trays, positions pinned.

    Args:
        rng: the random generator.
        max_blocks: most blocks (at most the number of colours when ``unique_colours``).
        max_stack: tallest stack.
        unique_colours: one block per colour (names are then plain colour words).
        allow_tilt: may add a block to be tilted on a tray edge (dataset only).
        sizes: range of block edge lengths, metres.

    Returns:
        (scene, tilted): the scene and names of blocks the caller may tilt on a tray edge.
    """
    n_trays = int(rng.choice([0, 1, 1, 2, 2]))
    colours = list(BLOCK_CLASSES)
    if unique_colours:
        max_blocks = min(max_blocks, len(colours))
    n_blocks = int(rng.integers(1, max_blocks + 1))
    pool = list(rng.permutation(colours))
    counts: dict[str, int] = {}
    objects: dict[str, dict] = {}
    names = []
    for _ in range(n_blocks):
        colour = str(pool.pop()) if unique_colours else str(rng.choice(colours))
        counts[colour] = counts.get(colour, 0) + 1
        name = colour if counts[colour] == 1 else f"{colour}_{counts[colour]}"
        objects[name] = {"type": "block", "color": colour, "size": round(float(rng.uniform(*sizes)), 4)}
        names.append(name)
    tray_names = []
    taken: list[tuple[float, float, float]] = []  # x, y, radius
    for t in range(n_trays):
        # trays and bins come in every block colour too ("the blue tray"), and in other sizes
        inner = float(rng.uniform(0.12, 0.26)) if rng.random() < 0.4 else None
        radius = 0.13 if inner is None else 0.75 * inner + 0.02
        for _ in range(50):
            xy = (float(rng.uniform(0.30, 0.75)), float(rng.uniform(-0.40, 0.40)))
            if all(math.dist(xy, q[:2]) > radius + q[2] for q in taken):
                break
        else:
            continue
        taken.append((xy[0], xy[1], radius))
        tray_color = None if rng.random() < 0.4 else str(rng.choice(list(COLORS)))
        spec = {"type": str(rng.choice(["tray", "tray", "bin"])), "position": [round(xy[0], 3), round(xy[1], 3)]}
        if inner is not None:
            spec["size"] = round(inner, 3)
        if tray_color is not None:
            spec["color"] = tray_color
        objects[f"tray{t}"] = spec
        tray_names.append(f"tray{t}")
    init = []
    order = list(rng.permutation(names))
    tilted = []
    i = 0
    tray_load = {t: 0 for t in tray_names}
    while i < len(order):
        height = int(rng.integers(1, max_stack + 1))
        stack = order[i:i + height]
        i += height
        base = stack[0]
        free_trays = [t for t in tray_names if tray_load[t] < 4]
        if free_trays and rng.random() < 0.4:
            tray = str(rng.choice(free_trays))
            tray_load[tray] += 1
            init.append(f"(in {base} {tray})")
            stack = stack[:2]
            i -= height - len(stack)
        else:
            for _ in range(80):
                xy = (float(rng.uniform(0.28, 0.75)), float(rng.uniform(-0.38, 0.38)))
                if all(math.dist(xy, q[:2]) > 0.075 + q[2] for q in taken):
                    break
            else:
                i -= height - 1  # no room: drop the rest of this stack back into the queue
                stack = stack[:1]
                xy = None
            if xy is None:
                order.remove(base)
                i -= 1
                del objects[base]
                continue
            taken.append((xy[0], xy[1], 0.0))
            objects[base]["position"] = [round(xy[0], 3), round(xy[1], 3)]
            init.append(f"(on-table {base})")
        for below, above in zip(stack, stack[1:]):
            init.append(f"(on {above} {below})")
    if allow_tilt and tray_names and rng.random() < 0.3:
        # one more block, to be tilted on a tray edge after the build
        colour = str(rng.choice(colours))
        name = f"tilt_{colour}"
        objects[name] = {"type": "block", "color": colour, "size": 0.05, "position": [0.9, 0.6]}
        init.append(f"(on-table {name})")
        tilted.append(name)
    return scene_from_dict({"objects": objects, "init": init}, name="random"), tilted


def _textures(client, folder: Path, rng: np.random.Generator) -> list[int]:
    """Procedural table textures loaded into the client: noise, stripes, checks."""
    import cv2
    import pybullet as p

    ids = []
    for k in range(6):
        base = rng.uniform(0.2, 0.9, size=3)
        size = 128
        if k % 3 == 0:
            img = base + rng.normal(0, 0.08, size=(size, size, 3))
        elif k % 3 == 1:
            stripes = (np.sin(np.linspace(0, rng.uniform(6, 40), size)) * 0.08)[None, :, None]
            img = base + stripes + rng.normal(0, 0.03, size=(size, size, 3))
        else:
            grid = ((np.arange(size)[:, None] // 16 + np.arange(size)[None, :] // 16) % 2)[..., None]
            img = base * (0.85 + 0.15 * grid)
        img = (np.clip(img, 0, 1) * 255).astype(np.uint8)
        path = folder / f"tex{k}.png"
        cv2.imwrite(str(path), img)
        ids.append(p.loadTexture(str(path), physicsClientId=client))
    return ids


def _randomise_world(world, rng: np.random.Generator, tilted: list[str], tex_folder: Path) -> list[int]:
    """Appearance and clutter the scene does not fix. Returns distractor body ids."""
    import pybullet as p

    from ..sim.world import HOME_CONFIG

    c = world.client
    # table colour / texture
    table_rgba = list(np.clip(np.array([0.62, 0.48, 0.33]) + rng.normal(0, 0.15, 3), 0.05, 0.95)) + [1.0]
    p.changeVisualShape(world.table, -1, rgbaColor=table_rgba, physicsClientId=c)
    if rng.random() < 0.4:
        tex = _textures(c, tex_folder, rng)
        p.changeVisualShape(world.table, -1, textureUniqueId=int(rng.choice(tex)), rgbaColor=[1, 1, 1, 1],
                            physicsClientId=c)
    # block shades, yaw, sloppy stacking
    for name in world.blocks:
        obj = world.scene.objects[name]
        rgba = np.array(COLORS[obj.color])
        rgba[:3] = np.clip(rgba[:3] + rng.normal(0, 0.04, 3), 0, 1)
        body = world.body_of(name)
        p.changeVisualShape(body, -1, rgbaColor=rgba.tolist(), physicsClientId=c)
        pos, _ = world.object_pose(name)
        if name in tilted:
            continue
        jitter = rng.normal(0, 0.006, 2) if world.scene.support_of(name) not in ("table",) else (0, 0)
        quat = p.getQuaternionFromEuler([0, 0, float(rng.uniform(-0.6, 0.6))])
        p.resetBasePositionAndOrientation(body, [pos[0] + jitter[0], pos[1] + jitter[1], pos[2]], quat,
                                          physicsClientId=c)
    # tilted blocks resting on a tray wall
    for name in tilted:
        tray = world.regions[next(iter(world.regions))]
        side = float(rng.choice([-1, 1]))
        x = tray.center[0] + side * (tray.inner[0] / 2 + 0.01)
        y = tray.center[1] + float(rng.uniform(-0.05, 0.05))
        angle = side * float(rng.uniform(0.35, 0.8))
        quat = p.getQuaternionFromEuler([0, angle, float(rng.uniform(-0.3, 0.3))])
        p.resetBasePositionAndOrientation(world.body_of(name), [x, y, 0.035], quat, physicsClientId=c)
    # arm pose
    config = np.array(HOME_CONFIG) + rng.normal(0, 0.45, 7) * np.array([1.5, 1, 1, 1, 1, 1, 1])
    config[3] = min(config[3], -0.3)
    world.reset_arm(config.tolist(), float(rng.uniform(0.0, 0.04)))
    if world.blocks and rng.random() < 0.2:
        # a block in the gripper
        held = str(rng.choice(world.blocks))
        if held not in tilted and not any(f.predicate == "on" and f.args[1] == held for f in world.scene.facts):
            ee, quat = world.ee_pose()
            p.resetBasePositionAndOrientation(world.body_of(held), ee.tolist(), quat.tolist(), physicsClientId=c)
    # distractors
    bodies = []
    for _ in range(int(rng.integers(0, 4))):
        shape = int(rng.choice([p.GEOM_SPHERE, p.GEOM_CYLINDER, p.GEOM_CAPSULE]))
        radius = float(rng.uniform(0.015, 0.04))
        length = float(rng.uniform(0.03, 0.1))
        if rng.random() < 0.5:
            rgba = list(COLORS[str(rng.choice(BLOCK_CLASSES))])
        else:
            rgba = list(rng.uniform(0, 1, 3)) + [1.0]
        vis = p.createVisualShape(shape, radius=radius, length=length, rgbaColor=rgba, physicsClientId=c)
        xy = (float(rng.uniform(0.2, 0.85)), float(rng.uniform(-0.45, 0.45)))
        z = radius if shape == p.GEOM_SPHERE else (length / 2 if shape == p.GEOM_CYLINDER else radius + length / 2)
        bodies.append(p.createMultiBody(0, -1, vis, [xy[0], xy[1], z], physicsClientId=c))
    return bodies


def random_camera(rng: np.random.Generator, width: int = 640, height: int = 480) -> RgbdCamera:
    """A camera around the default viewpoint: azimuth, elevation, distance, aim and FOV jittered."""
    target = np.array([0.5, 0.0, 0.02]) + rng.normal(0, [0.06, 0.08, 0.01])
    azimuth = float(rng.normal(0.0, 0.5))           # radians from looking along -x (facing the robot)
    if rng.random() < 0.2:
        azimuth = float(rng.uniform(-math.pi, math.pi))
    elevation = float(rng.uniform(math.radians(30), math.radians(70)))
    distance = float(rng.uniform(0.65, 1.2))
    eye = target + distance * np.array([math.cos(elevation) * math.cos(azimuth),
                                        math.cos(elevation) * math.sin(azimuth), math.sin(elevation)])
    light_dir = rng.normal(0, 1, 3)
    light_dir[2] = abs(light_dir[2]) + 0.5
    lighting = Lighting(direction=tuple(light_dir), color=tuple(rng.uniform(0.8, 1.0, 3)),
                        ambient=float(rng.uniform(0.35, 0.8)), diffuse=float(rng.uniform(0.2, 0.7)),
                        specular=float(rng.uniform(0.0, 0.3)), shadow=bool(rng.random() < 0.7))
    return RgbdCamera.look_at(eye, target, width=width, height=height,
                              fov_deg=float(rng.uniform(40, 62)), lighting=lighting)


def label_boxes(segmentation: np.ndarray, bodies: dict[int, str], scale: float = 1.0) -> list[tuple[str, tuple]]:
    """(class, (x0, y0, x1, y1) in output pixels) for each visible labelled body."""
    out = []
    for body, cls in bodies.items():
        ys, xs = np.nonzero(segmentation == body)
        if len(xs) * scale * scale < MIN_BOX_PIXELS:
            continue
        x0, x1 = xs.min() * scale, (xs.max() + 1) * scale
        y0, y1 = ys.min() * scale, (ys.max() + 1) * scale
        if x1 - x0 < MIN_BOX_SIDE_PX or y1 - y0 < MIN_BOX_SIDE_PX:
            continue
        out.append((cls, (float(x0), float(y0), float(x1), float(y1))))
    return out


def make_dataset(n: int, out: str | Path, seed: int = 0, val_fraction: float = 0.1,
                 out_size: tuple[int, int] = (320, 240), views_per_scene: int = 2,
                 progress: bool = True) -> DatasetReport:
    """Render ``n`` labelled images into ``out`` in the ultralytics YOLO layout.

    Args:
        n: number of images.
        out: output folder (created).
        seed: master seed; the same seed gives the same dataset.
        val_fraction: share of images written to the ``val`` split (1.0: a test set).
        out_size: (width, height) of the stored images; renders at twice that and
            downsamples by area, as the detector's letterbox does with a 640x480 camera.
        views_per_scene: camera poses rendered per random world.
        progress: show a tqdm progress bar.
    """
    import time

    import cv2
    from tqdm import tqdm

    from ..sim.world import SimError, SimWorld

    start = time.time()
    out = Path(out)
    for split in ("train", "val"):
        (out / "images" / split).mkdir(parents=True, exist_ok=True)
        (out / "labels" / split).mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    class_index = {c: i for i, c in enumerate(CLASS_NAMES)}
    per_class = {c: 0 for c in CLASS_NAMES}
    boxes_total = 0
    n_val = int(round(n * val_fraction))
    written = 0
    bar = tqdm(total=n, desc="rendering", unit="img", disable=not progress)
    with tempfile.TemporaryDirectory() as tmp:
        while written < n:
            scene, tilted = random_scene(rng)
            try:
                world = SimWorld.from_scene(scene, seed=int(rng.integers(1 << 30)), settle_s=0.05)
            except SimError:
                continue
            try:
                _randomise_world(world, rng, tilted, Path(tmp))
                labelled = {world.body_of(b): world.scene.objects[b].color for b in world.blocks}
                labelled.update({world.body_of(r): "tray" for r in world.regions})
                for _ in range(views_per_scene):
                    if written >= n:
                        break
                    cam = random_camera(rng, width=out_size[0] * 2, height=out_size[1] * 2)
                    frame = cam.render(world.client)
                    rgb = cv2.resize(frame.rgb, out_size, interpolation=cv2.INTER_AREA)
                    boxes = label_boxes(frame.segmentation, labelled, scale=0.5)
                    split = "val" if written < n_val else "train"
                    stem = f"{seed:03d}_{written:06d}"
                    cv2.imwrite(str(out / "images" / split / f"{stem}.png"), rgb[:, :, ::-1])
                    lines = []
                    w, h = out_size
                    for cls, (x0, y0, x1, y1) in boxes:
                        lines.append(f"{class_index[cls]} {(x0 + x1) / 2 / w:.6f} {(y0 + y1) / 2 / h:.6f} "
                                     f"{(x1 - x0) / w:.6f} {(y1 - y0) / h:.6f}")
                        per_class[cls] += 1
                    boxes_total += len(boxes)
                    (out / "labels" / split / f"{stem}.txt").write_text("\n".join(lines) + ("\n" if lines else ""))
                    written += 1
                    bar.update(1)
            finally:
                world.close()
    bar.close()
    names = "\n".join(f"  {i}: {c}" for i, c in enumerate(CLASS_NAMES))
    (out / "data.yaml").write_text(f"path: {out.resolve()}\ntrain: images/train\nval: images/val\nnames:\n{names}\n")
    report = DatasetReport(out, written, boxes_total, per_class, time.time() - start)
    (out / "dataset.json").write_text(json.dumps({**report.to_dict(), "seed": seed, "n": n,
                                                  "val_fraction": val_fraction, "classes": list(CLASS_NAMES)},
                                                 indent=2))
    return report


__all__ = ["CLASS_NAMES", "BLOCK_CLASSES", "make_dataset", "random_scene", "random_camera", "SceneObject",
           "TRAY_SIZE"]
