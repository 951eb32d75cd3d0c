"""A YOLO (v8/11 detection head) run by onnxruntime, with numpy pre- and post-processing.

Why: on a small CPU the ultralytics/torch path spends most of a 320-pixel frame
in framework overhead; the same network exported to ONNX and run by
onnxruntime is about three times faster (``bench/perception.py`` measures
both). The shipped weights stay a ``.pt`` (what ultralytics trains and what a
GPU runs); :func:`export_onnx` converts them locally, once, into a cache
(nothing is downloaded), keyed by the weights' hash and the input size.

The exported graph has a fixed input shape: one RGB image letterboxed to
``H x W`` (``1x3xHxW`` float, 0-1), where the long side is ``imgsz`` and the
short side the image's own, rounded up to the network stride (as ultralytics
does for a rectangular image: a 4:3 camera at 320 gives 256 x 320). It returns
``1 x (4 + classes) x anchors``: box centre/size in input pixels, then
per-class scores already through the sigmoid.
"""

from __future__ import annotations

import ast
import hashlib
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..errors import LamError

PAD_VALUE = 114  # ultralytics' letterbox grey
STRIDE = 32      # the network's largest stride: input sides are multiples of it


def input_shape(image_hw: tuple[int, int], imgsz: int) -> tuple[int, int]:
    """(H, W) of the network input for an image of ``image_hw`` at long side ``imgsz``."""
    h, w = image_hw
    scale = imgsz / max(h, w)
    return tuple(int(math.ceil(side * scale / STRIDE) * STRIDE) for side in (h, w))


def cache_dir() -> Path:
    """Where exported models go: ``$LAM_ROBOT_CACHE`` or ``~/.cache/lam_robot``."""
    root = os.environ.get("LAM_ROBOT_CACHE") or Path.home() / ".cache" / "lam_robot"
    return Path(root) / "onnx"


def export_onnx(weights: str | Path, shape: tuple[int, int] = (320, 320)) -> Path:
    """The ONNX twin of an ultralytics ``.pt`` file (exported on first use, then cached).

    Raises:
        LamError: when ``onnx`` is missing or the export fails.
    """
    weights = Path(weights)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
    shape = (int(shape[0]), int(shape[1]))
    target = cache_dir() / f"{weights.stem}-{digest}-{shape[0]}x{shape[1]}.onnx"
    if target.exists():
        return target
    try:
        import onnx  # noqa: F401
        from ultralytics import YOLO
    except ImportError as exc:
        raise LamError(f"cannot export {weights} to ONNX ({exc}): pip install -r requirements/perception.txt") \
            from None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        copy = Path(tmp) / weights.name
        shutil.copy(weights, copy)  # ultralytics writes the .onnx beside its input
        try:
            model = YOLO(str(copy), task="detect")
            exported = model.export(format="onnx", imgsz=list(shape), dynamic=False, simplify=False, opset=17,
                                    verbose=False)
        except Exception as exc:  # noqa: BLE001 - any exporter failure becomes one clear error
            raise LamError(f"exporting {weights} to ONNX failed: {exc}") from None
        os.replace(exported, target)  # atomic: concurrent nodes never read half a file
    return target


def letterbox(rgb: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, float, tuple[int, int]]:
    """Resize keeping the aspect ratio, pad to ``shape`` (H, W). Returns (image, scale, (pad_x, pad_y))."""
    import cv2

    h, w = rgb.shape[:2]
    size_h, size_w = shape
    scale = min(size_h / h, size_w / w)
    nh, nw = int(round(h * scale)), int(round(w * scale))
    resized = cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_LINEAR) if (nh, nw) != (h, w) else rgb
    pad_x, pad_y = (size_w - nw) / 2, (size_h - nh) / 2
    top, left = int(round(pad_y - 0.1)), int(round(pad_x - 0.1))
    out = np.full((size_h, size_w, 3), PAD_VALUE, dtype=np.uint8)
    out[top:top + nh, left:left + nw] = resized
    return out, scale, (left, top)


class OnnxYolo:
    """One exported YOLO model in an onnxruntime session.

    Args:
        path: the ``.onnx`` file (ultralytics export: fixed input shape).
        threads: intra-op threads (default: all cores).
    """

    def __init__(self, path: str | Path, threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = int(threads)
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        self.shape = (int(inp.shape[2]), int(inp.shape[3]))
        meta = self.session.get_modelmeta().custom_metadata_map
        names = ast.literal_eval(meta["names"]) if "names" in meta else {}
        self.names: dict[int, str] = {int(k): str(v) for k, v in dict(names).items()}

    def predict(self, rgb: np.ndarray, conf: float = 0.25, iou: float = 0.5, max_det: int = 300) -> tuple:
        """Boxes (xyxy, original pixels), scores and class indices for one RGB image."""
        img, scale, (left, top) = letterbox(rgb, self.shape)
        x = np.ascontiguousarray(img.transpose(2, 0, 1)[None], dtype=np.float32) / 255.0
        raw = self.session.run(None, {self.input_name: x})[0][0].T    # anchors x (4 + classes)
        scores_all = raw[:, 4:]
        cls = scores_all.argmax(1)
        scores = scores_all[np.arange(len(cls)), cls]
        keep = scores >= conf
        boxes, scores, cls = raw[keep, :4], scores[keep], cls[keep]
        if not len(scores):
            return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros(0, int)
        xyxy = np.concatenate([boxes[:, :2] - boxes[:, 2:] / 2, boxes[:, :2] + boxes[:, 2:] / 2], axis=1)
        chosen = nms_per_class(xyxy, scores, cls, iou)[:max_det]
        xyxy = xyxy[chosen]
        xyxy[:, [0, 2]] = (xyxy[:, [0, 2]] - left) / scale
        xyxy[:, [1, 3]] = (xyxy[:, [1, 3]] - top) / scale
        h, w = rgb.shape[:2]
        xyxy[:, [0, 2]] = xyxy[:, [0, 2]].clip(0, w)
        xyxy[:, [1, 3]] = xyxy[:, [1, 3]].clip(0, h)
        return xyxy, scores[chosen], cls[chosen]


def nms_per_class(xyxy: np.ndarray, scores: np.ndarray, cls: np.ndarray, iou: float) -> np.ndarray:
    """Indices kept by greedy non-maximum suppression within each class, best score first."""
    offset = xyxy + (cls[:, None] * 4096.0)  # boxes of different classes never overlap
    order = np.argsort(-scores)
    keep = []
    x1, y1, x2, y2 = offset.T
    area = (x2 - x1).clip(0) * (y2 - y1).clip(0)
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        w = (np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest])).clip(0)
        h = (np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest])).clip(0)
        inter = w * h
        overlap = inter / (area[i] + area[rest] - inter + 1e-9)
        order = rest[overlap <= iou]
    return np.asarray(keep, dtype=int)
