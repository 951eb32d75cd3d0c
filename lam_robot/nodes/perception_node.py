"""``perception_node``: colour + depth images -> 3-D detections.

Subscribes:
    ``camera/color/image_raw`` (sensor_msgs/Image, rgb8 or bgr8),
    ``camera/depth/image_raw`` (sensor_msgs/Image, 32FC1 metres or 16UC1 millimetres),
    ``camera/color/camera_info`` (sensor_msgs/CameraInfo),
    ``camera/pose`` (geometry_msgs/PoseStamped, latched): the optical frame in the robot base frame.
Publishes:
    ``detections`` (std_msgs/String): JSON ``{"stamp", "frame_id", "detections": [...]}``,
        each detection laid out like ``vision_msgs/Detection3D`` (hypotheses with
        scores, centre and size of a 3-D box in metres, tracking id) plus its evidence.
    ``detections/markers`` (visualization_msgs/MarkerArray): a box per detection.
    ``status``: frames that cannot be used.

The core does the work: :mod:`lam_robot.perception` (detector, lifting, tracking).
"""

from __future__ import annotations

import time

import numpy as np
from geometry_msgs.msg import PoseStamped
from sensor_msgs.msg import CameraInfo, Image
from std_msgs.msg import String
from visualization_msgs.msg import MarkerArray

from ..graph import PERCEPTION, TOPICS
from ..perception.camera import CameraInfo as CoreCameraInfo
from ..perception.camera import Frame
from ..perception.lifting import LiftConfig, lift_all
from ..perception.tracking import Tracker
from .common import QOS, BadMessage, LamNode, run_node, to_json_msg
from .markers import detection_markers

MAX_STAMP_SKEW_S = 0.05  # colour and depth further apart than this are not one frame


def image_array(msg: Image) -> np.ndarray:
    """An Image as an array: HxWx3 uint8 RGB for colour, HxW float32 metres for depth.

    Raises:
        BadMessage: an unsupported encoding or a size that does not match.
    """
    h, w, step = int(msg.height), int(msg.width), int(msg.step)
    layouts = {"rgb8": (np.uint8, 3), "bgr8": (np.uint8, 3), "32FC1": (np.dtype("<f4"), 1),
               "16UC1": (np.dtype("<u2"), 1)}
    if msg.encoding not in layouts:
        raise BadMessage(f"unsupported image encoding {msg.encoding!r}; use rgb8, bgr8, 32FC1 or 16UC1")
    dtype, channels = layouts[msg.encoding]
    row = w * channels * np.dtype(dtype).itemsize
    if h <= 0 or w <= 0 or step < row or len(msg.data) < step * h:
        raise BadMessage(f"image {w}x{h} ({msg.encoding}) does not match its {len(msg.data)} bytes")
    raw = np.frombuffer(bytes(msg.data), dtype=np.uint8)[:step * h].reshape(h, step)[:, :row]
    arr = np.ascontiguousarray(raw).view(dtype).reshape(h, w, channels) if channels > 1 else \
        np.ascontiguousarray(raw).view(dtype).reshape(h, w)
    if msg.encoding == "bgr8":
        arr = arr[:, :, ::-1]
    if msg.encoding == "16UC1":
        arr = arr.astype(np.float32) / 1000.0
    return np.ascontiguousarray(arr)


def pose_matrix(msg: PoseStamped) -> np.ndarray:
    """4x4 transform from a PoseStamped."""
    q = msg.pose.orientation
    x, y, z, w = q.x, q.y, q.z, q.w
    n = (x * x + y * y + z * z + w * w) ** 0.5
    if n < 1e-9:
        raise BadMessage("camera pose has a zero quaternion")
    x, y, z, w = x / n, y / n, z / n, w / n
    m = np.eye(4)
    m[:3, :3] = [[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                 [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                 [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]]
    m[:3, 3] = [msg.pose.position.x, msg.pose.position.y, msg.pose.position.z]
    return m


def _stamp(msg) -> float:
    return msg.header.stamp.sec + msg.header.stamp.nanosec * 1e-9


def _jsonable(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


class PerceptionNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(PERCEPTION, **kwargs)
        from ..perception.detector import make_detector

        self.detector = make_detector(self.p["detector"], weights=self.p["weights"] or None,
                                      device=self.p["device"], conf=float(self.p["min_confidence"]),
                                      runtime=self.p["runtime"])
        self.tracker = Tracker()
        self.depth: Image | None = None
        self.color: Image | None = None
        self.done: Image | None = None  # the colour image last processed
        self.info: CameraInfo | None = None
        self.world_from_optical: np.ndarray | None = None
        self.last_run = 0.0
        self.det_pub = self.create_publisher(String, TOPICS["detections"], QOS["sensor"])
        self.marker_pub = self.create_publisher(MarkerArray, TOPICS["detection_markers"], QOS["sensor"])
        self.create_subscription(Image, TOPICS["color"], self.guarded("color", self.on_color), QOS["sensor"])
        self.create_subscription(Image, TOPICS["depth"], self.guarded("depth", self.on_depth), QOS["sensor"])
        self.create_subscription(CameraInfo, TOPICS["camera_info"], self.guarded("camera_info", self.on_info),
                                 QOS["sensor"])
        self.create_subscription(PoseStamped, TOPICS["camera_pose"], self.guarded("camera_pose", self.on_pose),
                                 QOS["state"])
        self.get_logger().info(f"perception ready (detector {self.p['detector']})")

    def on_depth(self, msg: Image) -> None:
        self.depth = msg
        self.process()

    def on_info(self, msg: CameraInfo) -> None:
        if len(msg.k) != 9 or msg.k[0] <= 0:
            raise BadMessage("camera_info without intrinsics")
        self.info = msg

    def on_pose(self, msg: PoseStamped) -> None:
        self.world_from_optical = pose_matrix(msg)

    def on_color(self, msg: Image) -> None:
        self.color = msg
        self.process()

    def process(self) -> None:
        """Detect once per matching colour + depth pair (whichever arrives second triggers it)."""
        msg = self.color
        if msg is None or msg is self.done:
            return
        now = time.monotonic()
        if now - self.last_run < 1.0 / float(self.p["max_rate_hz"]):
            return
        missing = [n for n, v in (("depth", self.depth), ("camera_info", self.info),
                                  ("camera/pose", self.world_from_optical)) if v is None]
        if missing:
            self.get_logger().info(f"waiting for {', '.join(missing)}", throttle_duration_sec=5.0)
            return
        if abs(_stamp(msg) - _stamp(self.depth)) > MAX_STAMP_SKEW_S:
            return  # the matching depth image has not arrived yet
        self.last_run = now
        self.done = msg
        rgb, depth = image_array(msg), image_array(self.depth)
        if rgb.shape[:2] != depth.shape[:2]:
            raise BadMessage(f"colour {rgb.shape[:2]} and depth {depth.shape[:2]} differ in size")
        info = CoreCameraInfo(int(self.info.width), int(self.info.height), tuple(self.info.k), tuple(self.info.d),
                              tuple(self.info.r), tuple(self.info.p), msg.header.frame_id)
        frame = Frame(rgb, depth, np.full(depth.shape, -1, np.int32), info, self.world_from_optical, _stamp(msg))
        dets2d = self.detector.detect(rgb)
        tracked = self.tracker.update(lift_all(dets2d, frame, LiftConfig()))
        detections = []
        for det in tracked:
            data = det.to_dict()
            data["attributes"] = {k: _jsonable(v) for k, v in det.attributes.items()}
            detections.append(data)
        self.det_pub.publish(to_json_msg({"stamp": _stamp(msg), "frame_id": "world", "detections": detections}))
        self.marker_pub.publish(detection_markers(detections, msg.header.stamp))


def main(args=None) -> int:
    return run_node(PerceptionNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
