"""Object detectors behind one interface; the default is the shipped YOLO model.

:class:`YoloDetector` runs any ultralytics model (``.pt``, or ``.onnx`` when
``onnxruntime`` is installed): on a GPU through the ultralytics API, batched,
in half precision; on the CPU through onnxruntime (:mod:`.onnx_yolo`, about
three times faster there), the ``.pt`` exported once into a local cache. With
no arguments it loads the weights that ship in the package
(``lam_robot/models/blocks_yolo.pt``), so a fresh machine detects out of the
box. Ultralytics is put in offline mode before it is imported: it never tries
to download anything.

Images are RGB ``uint8`` arrays (HxWx3), as :class:`~lam_robot.perception.camera.Frame`
carries them; the detector converts to the BGR order ultralytics expects.
"""

from __future__ import annotations

import importlib.util
import json
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..errors import LamError, ResourceNotFoundError
from .types import Detection2D

os.environ.setdefault("YOLO_OFFLINE", "1")  # no downloads, no telemetry
os.environ.setdefault("YOLO_VERBOSE", "False")

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_WEIGHTS = MODELS_DIR / "blocks_yolo.pt"
#: how a YOLO model can be run
RUNTIMES = ("auto", "ultralytics", "onnxruntime")


class DetectorError(LamError, RuntimeError):
    """A detector cannot be built (missing weights, missing runtime, bad class map)."""


class Detector(ABC):
    """Finds objects in RGB images.

    ``detect``/``detect_batch`` check the input, then call ``_detect_batch``.
    """

    #: class names the detector can output (after the class map)
    class_names: tuple[str, ...] = ()

    def detect(self, rgb: np.ndarray) -> list[Detection2D]:
        """Detections in one RGB image (HxWx3 uint8)."""
        return self.detect_batch([rgb])[0]

    def detect_batch(self, images: Sequence[np.ndarray]) -> list[list[Detection2D]]:
        """Detections for each image of a batch.

        Raises:
            DetectorError: for an image that is not HxWx3 uint8.
        """
        for img in images:
            if not isinstance(img, np.ndarray) or img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8:
                raise DetectorError("images must be HxWx3 uint8 RGB arrays, got "
                                    f"{getattr(img, 'shape', type(img))} {getattr(img, 'dtype', '')}")
        if not images:
            return []
        return self._detect_batch(list(images))

    @abstractmethod
    def _detect_batch(self, images: list[np.ndarray]) -> list[list[Detection2D]]:
        ...


def load_class_map(class_map: str | Path | Mapping | None) -> dict[str, str]:
    """A ``{model class name: scene word}`` mapping from a dict or a JSON file.

    Values are colour words for blocks (``red``) or ``tray``; classes mapped to
    ``""`` or ``null`` are dropped.
    """
    if class_map is None:
        return {}
    if isinstance(class_map, Mapping):
        return {str(k): ("" if v is None else str(v)) for k, v in class_map.items()}
    path = Path(class_map)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise DetectorError(f"cannot read class map {path}: {exc}") from None
    if not isinstance(data, Mapping):
        raise DetectorError(f"class map {path} must be a JSON object {{model class: scene word}}")
    return load_class_map(data)


class YoloDetector(Detector):
    """An ultralytics YOLO model.

    Args:
        weights: ``.pt`` or ``.onnx`` path; default: the shipped block detector.
        class_map: ``{model class: scene word}`` (dict or JSON path) for a
            user-supplied model whose class names differ from the scene's.
        device: ``cpu``, ``0``/``cuda:0``...; default: the GPU when there is one.
        imgsz: inference size, pixels (the long side).
        conf: minimum score kept.
        iou: NMS IoU threshold.
        half: half precision; default: on a GPU only.
        runtime: ``ultralytics`` (torch), ``onnxruntime``, or ``auto``:
            onnxruntime on the CPU when it is installed, else ultralytics.

    Example:
        >>> det = YoloDetector()                       # shipped weights, CPU here
        >>> dets = det.detect(frame.rgb)               # doctest: +SKIP
        >>> [(d.class_name, round(d.score, 2)) for d in dets]  # doctest: +SKIP
    """

    def __init__(self, weights: str | Path | None = None, class_map: str | Path | Mapping | None = None,
                 device: str | None = None, imgsz: int = 320, conf: float = 0.25, iou: float = 0.5,
                 half: bool | None = None, runtime: str = "auto"):
        path = Path(weights) if weights is not None else DEFAULT_WEIGHTS
        if runtime not in RUNTIMES:
            raise DetectorError(f"unknown runtime {runtime!r}; known: {', '.join(RUNTIMES)}")
        if not path.exists():
            raise ResourceNotFoundError(f"detector weights not found: {path}"
                                        + ("" if weights else " (the package ships them; reinstall it)"))
        if path.suffix == ".onnx":
            try:
                import onnxruntime  # noqa: F401
            except ImportError:
                raise DetectorError(f"{path} is an ONNX model: install onnxruntime to run it") from None
        elif path.suffix not in (".pt", ".onnx"):
            raise DetectorError(f"unsupported weights {path}: give an ultralytics .pt or .onnx file")
        try:
            import torch
            from ultralytics import YOLO
        except ImportError:
            raise DetectorError("ultralytics is not installed: pip install -r requirements/perception.txt") from None
        if device is None:
            device = "0" if torch.cuda.is_available() else "cpu"
        self.device = device
        self.half = (device != "cpu") if half is None else bool(half)
        self.imgsz = int(imgsz)
        self.conf = float(conf)
        self.iou = float(iou)
        self.weights = path
        self.runtime = self._pick_runtime(runtime)
        self._sessions: dict[tuple[int, int], object] = {}  # onnxruntime: one per input shape
        if self.runtime == "onnxruntime":
            self.model = None
            self.model_names: dict[int, str] = dict(self._session((self.imgsz * 3 // 4, self.imgsz)).names)
        else:
            self.model = YOLO(str(path), task="detect")
            names = self.model.names
            self.model_names = dict(names) if isinstance(names, Mapping) else dict(enumerate(names))
        mapping = load_class_map(class_map)
        unknown = set(mapping) - set(self.model_names.values())
        if unknown:
            raise DetectorError(f"class map names classes the model does not have: {', '.join(sorted(unknown))}; "
                                f"it has: {', '.join(self.model_names.values())}")
        self.class_of = {i: mapping.get(n, n) for i, n in self.model_names.items()}
        self.class_names = tuple(sorted({c for c in self.class_of.values() if c}))

    def _pick_runtime(self, runtime: str) -> str:
        if runtime == "auto":
            if self.device != "cpu":
                return "ultralytics"
            needs = ["onnxruntime"] + (["onnx"] if self.weights.suffix == ".pt" else [])  # onnx: to export
            if any(importlib.util.find_spec(name) is None for name in needs):
                return "ultralytics"
            return "onnxruntime"
        if runtime == "onnxruntime" and importlib.util.find_spec("onnxruntime") is None:
            raise DetectorError("runtime onnxruntime: pip install onnxruntime")
        return runtime

    def _session(self, image_hw: tuple[int, int]):
        """The onnxruntime model for images of this size (exported once per input shape)."""
        from .onnx_yolo import OnnxYolo, export_onnx, input_shape

        if self.weights.suffix == ".onnx":
            shape = None  # a user's export: its own fixed shape
        else:
            shape = input_shape(image_hw, self.imgsz)
        if shape not in self._sessions:
            self._sessions[shape] = OnnxYolo(self.weights if shape is None else export_onnx(self.weights, shape))
        return self._sessions[shape]

    def _detect_batch(self, images: list[np.ndarray]) -> list[list[Detection2D]]:
        if self.runtime == "onnxruntime":
            raw = [self._session(img.shape[:2]).predict(img, conf=self.conf, iou=self.iou) for img in images]
        else:
            bgr = [np.ascontiguousarray(img[:, :, ::-1]) for img in images]
            results = self.model.predict(bgr, imgsz=self.imgsz, conf=self.conf, iou=self.iou, device=self.device,
                                         half=self.half, verbose=False, batch=len(bgr))
            raw = [(r.boxes.xyxy.cpu().numpy(), r.boxes.conf.cpu().numpy(), r.boxes.cls.cpu().numpy().astype(int))
                   for r in results]
        out = []
        for xyxy, conf, cls in raw:
            dets = []
            for box, score, k in zip(xyxy, conf, cls):
                name = self.class_of.get(int(k), "")
                if not name:
                    continue
                dets.append(Detection2D(name, float(score), tuple(float(v) for v in box),
                                        self.model_names.get(int(k), "")))
            out.append(dets)
        return out


#: detector backends by name
DETECTORS = {"yolo": YoloDetector}


def make_detector(name: str = "yolo", **options) -> Detector:
    """A detector backend by name.

    Raises:
        DetectorError: for an unknown name.
    """
    try:
        cls = DETECTORS[name]
    except KeyError:
        raise DetectorError(f"unknown detector {name!r}; known: {', '.join(DETECTORS)}") from None
    return cls(**options)
