"""Simulated RGB-D cameras that publish what a real one would.

A :class:`RgbdCamera` renders colour, metric depth and a segmentation mask
with PyBullet's CPU renderer (``ER_TINY_RENDERER``; no GPU, no display) and
describes itself with :class:`CameraInfo`, which follows
``sensor_msgs/CameraInfo``: ``k`` (3x3 intrinsics), ``d`` (plumb-bob
distortion, all zero for a simulated pinhole), ``r`` (rectification,
identity), ``p`` (3x4 projection), ``width``, ``height`` and ``frame_id``.

Frames: the optical frame is the ROS convention (z forward, x right, y down,
pixel centres on integer coordinates). ``world_from_optical`` is the 4x4 pose
of that frame in the world (robot base) frame, the extrinsics a calibrated
camera would publish on ``/tf``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import LamError

#: Default viewpoint: in front of the robot and above, looking back at the workspace.
DEFAULT_EYE = (1.10, 0.0, 0.75)        # metres, world frame
DEFAULT_TARGET = (0.45, 0.0, 0.0)      # metres, world frame
DEFAULT_UP = (0.0, 0.0, 1.0)


@dataclass(frozen=True)
class CameraInfo:
    """Intrinsics as ``sensor_msgs/CameraInfo`` publishes them.

    Attributes:
        width: image width in pixels.
        height: image height in pixels.
        k: 3x3 intrinsic matrix, row-major (fx, 0, cx, 0, fy, cy, 0, 0, 1), pixels.
        d: distortion coefficients (plumb_bob: k1, k2, t1, t2, k3), all zero here.
        r: 3x3 rectification matrix (identity for a monocular camera).
        p: 3x4 projection matrix (K | 0 for a monocular camera).
        frame_id: the optical frame the image is expressed in.
        distortion_model: ``plumb_bob``.
    """

    width: int
    height: int
    k: tuple[float, ...]
    d: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0, 0.0)
    r: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)
    p: tuple[float, ...] = ()
    frame_id: str = "camera_color_optical_frame"
    distortion_model: str = "plumb_bob"

    @property
    def fx(self) -> float:
        return self.k[0]

    @property
    def fy(self) -> float:
        return self.k[4]

    @property
    def cx(self) -> float:
        return self.k[2]

    @property
    def cy(self) -> float:
        return self.k[5]

    @property
    def k_matrix(self) -> np.ndarray:
        return np.asarray(self.k, dtype=np.float64).reshape(3, 3)

    def to_dict(self) -> dict:
        return {"width": self.width, "height": self.height, "k": list(self.k), "d": list(self.d),
                "r": list(self.r), "p": list(self.p), "frame_id": self.frame_id,
                "distortion_model": self.distortion_model}


@dataclass
class Frame:
    """One RGB-D capture.

    Attributes:
        rgb: HxWx3 uint8, RGB order.
        depth_m: HxW float32, distance along the optical axis in metres.
        segmentation: HxW int32, PyBullet body id per pixel (-1: background).
            Ground truth: the dataset generator reads it, perception never does.
        info: the camera's intrinsics.
        world_from_optical: 4x4 pose of the optical frame in the world frame.
        stamp_s: simulated or wall time of the capture, seconds.
    """

    rgb: np.ndarray
    depth_m: np.ndarray
    segmentation: np.ndarray
    info: CameraInfo
    world_from_optical: np.ndarray
    stamp_s: float = 0.0


@dataclass
class Lighting:
    """Light for the CPU renderer (all optional; PyBullet's defaults otherwise)."""

    direction: tuple[float, float, float] = (0.4, -0.3, 1.0)
    color: tuple[float, float, float] = (1.0, 1.0, 1.0)
    ambient: float = 0.6
    diffuse: float = 0.45
    specular: float = 0.05
    shadow: bool = True

    def kwargs(self) -> dict:
        return {"lightDirection": list(self.direction), "lightColor": list(self.color),
                "lightAmbientCoeff": self.ambient, "lightDiffuseCoeff": self.diffuse,
                "lightSpecularCoeff": self.specular, "shadow": int(self.shadow)}


def _normalize(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if n < 1e-12:
        raise LamError("camera: degenerate direction (eye equals target, or up parallel to the view)")
    return v / n


@dataclass
class RgbdCamera:
    """A pinhole RGB-D camera posed in the world.

    Args:
        width: pixels.
        height: pixels.
        fov_deg: vertical field of view, degrees.
        eye: camera position in the world frame, metres.
        target: the point it looks at, metres.
        up: world direction that appears up in the image.
        near_m: near clipping plane, metres.
        far_m: far clipping plane, metres.
        frame_id: name of the optical frame.
        lighting: light for the renderer.

    Example:
        >>> cam = RgbdCamera.look_at((1.1, 0, 0.75), (0.45, 0, 0))
        >>> frame = cam.render(client)          # doctest: +SKIP
        >>> frame.info.k[0]                     # fx in pixels  # doctest: +SKIP
    """

    width: int = 640
    height: int = 480
    fov_deg: float = 45.0
    eye: tuple[float, float, float] = DEFAULT_EYE
    target: tuple[float, float, float] = DEFAULT_TARGET
    up: tuple[float, float, float] = DEFAULT_UP
    near_m: float = 0.05
    far_m: float = 4.0
    frame_id: str = "camera_color_optical_frame"
    lighting: Lighting = field(default_factory=Lighting)

    @classmethod
    def look_at(cls, eye, target, up=DEFAULT_UP, **kwargs) -> "RgbdCamera":
        """A camera at ``eye`` looking at ``target`` (world frame, metres)."""
        return cls(eye=tuple(float(x) for x in eye), target=tuple(float(x) for x in target),
                   up=tuple(float(x) for x in up), **kwargs)

    # -- intrinsics -------------------------------------------------------
    @property
    def info(self) -> CameraInfo:
        fy = (self.height / 2.0) / math.tan(math.radians(self.fov_deg) / 2.0)
        fx = fy  # square pixels: PyBullet's aspect is width / height
        cx = (self.width - 1) / 2.0
        cy = (self.height - 1) / 2.0
        k = (fx, 0.0, cx, 0.0, fy, cy, 0.0, 0.0, 1.0)
        p = (fx, 0.0, cx, 0.0, 0.0, fy, cy, 0.0, 0.0, 0.0, 1.0, 0.0)
        return CameraInfo(self.width, self.height, k, p=p, frame_id=self.frame_id)

    # -- extrinsics -------------------------------------------------------
    @property
    def world_from_optical(self) -> np.ndarray:
        """4x4 pose of the optical frame (z forward, x right, y down) in the world."""
        eye = np.asarray(self.eye, dtype=np.float64)
        forward = _normalize(np.asarray(self.target, dtype=np.float64) - eye)
        right = _normalize(np.cross(forward, np.asarray(self.up, dtype=np.float64)))
        down = np.cross(forward, right)
        pose = np.eye(4)
        pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, down, forward, eye
        return pose

    # -- capture ----------------------------------------------------------
    def render(self, client, stamp_s: float = 0.0) -> Frame:
        """Render one frame.

        Args:
            client: a PyBullet physics client id (``SimWorld.client``), a
                ``bullet_client.BulletClient``, or the ``pybullet`` module.
            stamp_s: time stamp to attach, seconds.

        Raises:
            LamError: when the server returns no image.
        """
        import pybullet

        api, extra = _api(client)
        view = api.computeViewMatrix(list(self.eye), list(self.target), list(self.up), **extra)
        proj = api.computeProjectionMatrixFOV(self.fov_deg, self.width / self.height,
                                              self.near_m, self.far_m, **extra)
        out = api.getCameraImage(self.width, self.height, view, proj,
                                 renderer=pybullet.ER_TINY_RENDERER, **self.lighting.kwargs(), **extra)
        if out is None or len(out) < 5:
            raise LamError("camera: the physics server returned no image")
        w, h = int(out[0]), int(out[1])
        rgba = np.asarray(out[2], dtype=np.uint8).reshape(h, w, 4)
        zbuf = np.asarray(out[3], dtype=np.float32).reshape(h, w)
        seg = np.asarray(out[4], dtype=np.int32).reshape(h, w)
        near, far = self.near_m, self.far_m
        depth = (far * near / (far - (far - near) * zbuf)).astype(np.float32)
        return Frame(np.ascontiguousarray(rgba[:, :, :3]), depth, seg, self.info,
                     self.world_from_optical, stamp_s)


def _api(client):
    """(module-like object, extra kwargs) for an int client id or a client object."""
    if isinstance(client, (int, np.integer)):
        import pybullet

        return pybullet, {"physicsClientId": int(client)}
    return client, {}


def project_points(points_world: np.ndarray, info: CameraInfo, world_from_optical: np.ndarray) -> np.ndarray:
    """Pixel coordinates (u, v) of world points, Nx3 -> Nx2 (ROS convention)."""
    pts = np.atleast_2d(np.asarray(points_world, dtype=np.float64))
    optical_from_world = np.linalg.inv(world_from_optical)
    cam = pts @ optical_from_world[:3, :3].T + optical_from_world[:3, 3]
    u = info.fx * cam[:, 0] / cam[:, 2] + info.cx
    v = info.fy * cam[:, 1] / cam[:, 2] + info.cy
    return np.stack([u, v], axis=1)


def backproject(us: np.ndarray, vs: np.ndarray, depth_m: np.ndarray, info: CameraInfo,
                world_from_optical: np.ndarray) -> np.ndarray:
    """World points (Nx3, metres) for pixel coordinates and their depths."""
    us, vs, z = np.broadcast_arrays(np.asarray(us, dtype=np.float64), np.asarray(vs, dtype=np.float64),
                                    np.asarray(depth_m, dtype=np.float64))
    x = (us - info.cx) * z / info.fx
    y = (vs - info.cy) * z / info.fy
    cam = np.stack([x, y, z], axis=-1)
    return cam @ world_from_optical[:3, :3].T + world_from_optical[:3, 3]
