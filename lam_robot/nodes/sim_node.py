"""``sim_node``: the PyBullet arm and table, looking like a real robot to the rest of the graph.

Subscribes:
    ``joint_trajectory_controller/joint_trajectory`` (trajectory_msgs/JointTrajectory):
        the topic a ros2_control ``joint_trajectory_controller`` listens on, with
        its semantics: a new trajectory replaces the running one, it starts from
        the current position when its first point is later than 0 s, an empty
        one stops the arm where it is. Arm joints (all 7) and finger joints
        may come in one message or in separate ones.
Publishes:
    ``camera/color/image_raw``, ``camera/depth/image_raw`` (sensor_msgs/Image),
    ``camera/color/camera_info`` (sensor_msgs/CameraInfo), ``camera/pose``
        (geometry_msgs/PoseStamped, latched extrinsics);
    ``joint_states`` (sensor_msgs/JointState);
    ``sim/ground_truth`` and, when ``publish_world_state``, ``world_state``
        (std_msgs/String, latched): the ground-truth world state;
    ``status``: rejected trajectories.

Physics advances with the wall clock times ``real_time_factor``; trajectory
times are simulated seconds.
"""

from __future__ import annotations

import math
import time

import numpy as np
from geometry_msgs.msg import PoseStamped
from sensor_msgs.msg import CameraInfo, Image, JointState
from std_msgs.msg import String
from trajectory_msgs.msg import JointTrajectory
from visualization_msgs.msg import MarkerArray

from ..errors import LamError
from ..execution.controller import JointTrajectoryData, JointTrajectoryPointData
from ..graph import SIM, TOPICS
from ..resources import find_resource
from ..scene import load_scene
from ..sim.ground_truth import GroundTruthObserver
from ..sim.world import FINGER_NAMES, JOINT_NAMES, TIME_STEP_S, SimWorld
from ..symbolic.domain import load_domain
from .common import QOS, BadMessage, LamNode, run_node, to_json_msg
from .markers import world_markers

PHYSICS_TICK_S = 0.02  # wall seconds between physics updates
MAX_SIM_PER_TICK_S = 0.5  # catch up after a slow camera render, but never more than this at once


def trajectory_from_msg(msg: JointTrajectory) -> JointTrajectoryData:
    """Convert and check a JointTrajectory (finite values, one position per joint, increasing times).

    Raises:
        BadMessage: for anything a controller would reject.
    """
    names = tuple(msg.joint_names)
    if len(set(names)) != len(names):
        raise BadMessage(f"joint names repeat: {list(names)}")
    points = []
    last_t = -1.0
    for i, pt in enumerate(msg.points):
        positions = tuple(float(v) for v in pt.positions)
        velocities = tuple(float(v) for v in pt.velocities)
        t = pt.time_from_start.sec + pt.time_from_start.nanosec * 1e-9
        if len(positions) != len(names):
            raise BadMessage(f"point {i} has {len(positions)} positions for {len(names)} joints")
        if velocities and len(velocities) != len(names):
            raise BadMessage(f"point {i} has {len(velocities)} velocities for {len(names)} joints")
        if not all(math.isfinite(v) for v in positions + velocities):
            raise BadMessage(f"point {i} holds NaN or infinity")
        if t < last_t or t > 3600:
            raise BadMessage(f"point {i}: time_from_start {t:.3f} s is not increasing (or over an hour)")
        last_t = t
        points.append(JointTrajectoryPointData(positions, velocities, t))
    return JointTrajectoryData(names, tuple(points))


class _Running:
    """A trajectory being followed: joint order of the group, start on the sim clock."""

    def __init__(self, trajectory: JointTrajectoryData, start_s: float):
        self.trajectory = trajectory
        self.start_s = start_s


class SimNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(SIM, **kwargs)
        self.domain = load_domain()
        scene = load_scene(find_resource(self.p["scenario"]), self.domain)
        self.world = SimWorld.from_scene(scene, seed=0)
        self.observer = GroundTruthObserver(self.world, self.domain)
        self.camera = None
        self.arm: _Running | None = None
        self.finger_target = float(self.world.finger_positions()[0])
        self.arm_hold = self.world.arm_joints()
        self._last_tick = time.monotonic()
        self._observe_failures = 0

        self.joint_pub = self.create_publisher(JointState, TOPICS["joint_states"], QOS["sensor"])
        self.truth_pub = self.create_publisher(String, TOPICS["sim_state"], QOS["state"])
        self.state_pub = (self.create_publisher(String, TOPICS["world_state"], QOS["state"])
                          if self.p["publish_world_state"] else None)
        self.marker_pub = (self.create_publisher(MarkerArray, TOPICS["world_markers"], QOS["state"])
                           if self.p["publish_world_state"] else None)
        self._truth_count = 0
        for key in ("trajectory", "gripper_trajectory"):  # one arm controller, or arm + gripper controllers
            self.create_subscription(JointTrajectory, TOPICS[key], self.guarded("trajectory", self.on_trajectory),
                                     QOS["command"])
        self.create_timer(PHYSICS_TICK_S, self.guarded("physics", self.on_physics))
        self.create_timer(1.0 / float(self.p["joint_state_rate_hz"]), self.guarded("joint_states", self.on_joints))
        if float(self.p["ground_truth_rate_hz"]) > 0:
            self.create_timer(1.0 / float(self.p["ground_truth_rate_hz"]), self.guarded("world_state", self.on_truth))
        if float(self.p["camera_rate_hz"]) > 0:
            from ..perception import default_cameras

            # the viewpoint the detector was trained from
            self.camera = default_cameras(int(self.p["image_width"]), int(self.p["image_height"]))[0]
            self.color_pub = self.create_publisher(Image, TOPICS["color"], QOS["sensor"])
            self.depth_pub = self.create_publisher(Image, TOPICS["depth"], QOS["sensor"])
            self.info_pub = self.create_publisher(CameraInfo, TOPICS["camera_info"], QOS["sensor"])
            self.pose_pub = self.create_publisher(PoseStamped, TOPICS["camera_pose"], QOS["state"])
            self.pose_pub.publish(self.camera_pose_msg())
            self.create_timer(1.0 / float(self.p["camera_rate_hz"]), self.guarded("camera", self.on_camera))
        self.on_truth()
        self.get_logger().info(f"sim ready: {scene.name} with {', '.join(scene.objects)}")

    # -- trajectories -------------------------------------------------------
    def on_trajectory(self, msg: JointTrajectory) -> None:
        traj = trajectory_from_msg(msg)
        unknown = [n for n in traj.joint_names if n not in JOINT_NAMES + FINGER_NAMES]
        if unknown:
            raise BadMessage(f"unknown joints {unknown}; this arm has {list(JOINT_NAMES + FINGER_NAMES)}")
        arm_idx = [i for i, n in enumerate(traj.joint_names) if n in JOINT_NAMES]
        finger_idx = [i for i, n in enumerate(traj.joint_names) if n in FINGER_NAMES]
        if arm_idx and len(arm_idx) != len(JOINT_NAMES):
            raise BadMessage(f"an arm trajectory must name all {len(JOINT_NAMES)} arm joints")
        if not traj.points:  # ros2_control: an empty trajectory stops the arm
            self.arm = None
            self.arm_hold = self.world.arm_joints()
            self.status("info", "trajectory", "empty trajectory: holding position")
            return
        if finger_idx:
            self.finger_target = float(np.clip(traj.points[-1].positions[finger_idx[0]], 0.0, 0.04))
        if arm_idx:
            order = [traj.joint_names.index(n) for n in JOINT_NAMES]
            points = [JointTrajectoryPointData(tuple(pt.positions[i] for i in order),
                                               tuple(pt.velocities[i] for i in order) if pt.velocities else (),
                                               pt.time_from_start_s) for pt in traj.points]
            if points[0].time_from_start_s > 0:  # start from where the arm is, as the JTC does
                points.insert(0, JointTrajectoryPointData(tuple(self.world.arm_joints()), (), 0.0))
            self.arm = _Running(JointTrajectoryData(JOINT_NAMES, tuple(points)), self.world.sim_time_s)

    def on_physics(self) -> None:
        now = time.monotonic()
        sim_s = min(MAX_SIM_PER_TICK_S, (now - self._last_tick) * float(self.p["real_time_factor"]))
        self._last_tick = now
        for _ in range(max(1, int(round(sim_s / TIME_STEP_S)))):
            qd = np.zeros(len(JOINT_NAMES))
            if self.arm is not None:
                t = self.world.sim_time_s - self.arm.start_s
                q, qd = self.arm.trajectory.sample(t)
                if t > self.arm.trajectory.duration_s:
                    self.arm_hold = q
                    self.arm = None
            else:
                q = self.arm_hold
            self._drive(q, qd)
            self.world.step_once()

    def _drive(self, q, qd) -> None:
        """Position targets with velocity feed-forward, the gains PyBulletArmController uses."""
        import pybullet as p

        from ..sim.world import ARM_JOINTS

        p.setJointMotorControlArray(self.world.robot, list(ARM_JOINTS), p.POSITION_CONTROL,
                                    targetPositions=[float(v) for v in q], targetVelocities=[float(v) for v in qd],
                                    forces=[87, 87, 87, 87, 12, 12, 12], positionGains=[0.3] * 7,
                                    velocityGains=[1.0] * 7, physicsClientId=self.world.client)
        self.world.command_fingers(self.finger_target)

    # -- publishing -------------------------------------------------------
    def on_joints(self) -> None:
        import pybullet as p

        from ..sim.world import ARM_JOINTS, FINGER_JOINTS

        states = p.getJointStates(self.world.robot, list(ARM_JOINTS + FINGER_JOINTS),
                                  physicsClientId=self.world.client)
        msg = JointState()
        msg.header.stamp = self.get_clock().now().to_msg()
        msg.name = list(JOINT_NAMES + FINGER_NAMES)
        msg.position = [float(s[0]) for s in states]
        msg.velocity = [float(s[1]) for s in states]
        msg.effort = [float(s[3]) for s in states]
        self.joint_pub.publish(msg)

    def on_truth(self) -> None:
        try:
            state = self.observer.observe()
        except LamError as exc:
            self._observe_failures += 1
            if self._observe_failures % 25 == 1:
                self.status("warning", "world_state", f"no consistent ground truth: {exc}")
            return
        data = state.to_dict()
        data["sim_time_s"] = round(self.world.sim_time_s, 4)
        data["ee_position"] = [round(float(v), 4) for v in self.world.ee_pose()[0]]
        msg = to_json_msg(data)
        self.truth_pub.publish(msg)
        if self.state_pub is not None:
            self.state_pub.publish(msg)
            self._truth_count += 1
            if self._truth_count % 5 == 1:  # markers at a fifth of the state rate
                self.marker_pub.publish(world_markers(data, self.get_clock().now().to_msg()))

    def camera_pose_msg(self) -> PoseStamped:
        pose = self.camera.world_from_optical
        msg = PoseStamped()
        msg.header.frame_id = "world"
        msg.header.stamp = self.get_clock().now().to_msg()
        msg.pose.position.x, msg.pose.position.y, msg.pose.position.z = (float(v) for v in pose[:3, 3])
        qx, qy, qz, qw = _quaternion(pose[:3, :3])
        msg.pose.orientation.x, msg.pose.orientation.y = qx, qy
        msg.pose.orientation.z, msg.pose.orientation.w = qz, qw
        return msg

    def on_camera(self) -> None:
        frame = self.camera.render(self.world.client, self.world.sim_time_s)
        stamp = self.get_clock().now().to_msg()
        frame_id = frame.info.frame_id
        color = Image(height=frame.rgb.shape[0], width=frame.rgb.shape[1], encoding="rgb8", is_bigendian=0,
                      step=frame.rgb.shape[1] * 3, data=frame.rgb.tobytes())
        depth = np.ascontiguousarray(frame.depth_m, dtype="<f4")
        depth_msg = Image(height=depth.shape[0], width=depth.shape[1], encoding="32FC1", is_bigendian=0,
                          step=depth.shape[1] * 4, data=depth.tobytes())
        info = CameraInfo(height=frame.info.height, width=frame.info.width,
                          distortion_model=frame.info.distortion_model, d=list(frame.info.d),
                          k=list(frame.info.k), r=list(frame.info.r), p=list(frame.info.p))
        for msg in (color, depth_msg, info):
            msg.header.stamp = stamp
            msg.header.frame_id = frame_id
        self.color_pub.publish(color)
        self.depth_pub.publish(depth_msg)
        self.info_pub.publish(info)

    def destroy_node(self):
        self.world.close()
        return super().destroy_node()


def _quaternion(rot: np.ndarray) -> tuple[float, float, float, float]:
    """(x, y, z, w) of a rotation matrix."""
    w = math.sqrt(max(0.0, 1.0 + rot[0, 0] + rot[1, 1] + rot[2, 2])) / 2.0
    x = math.copysign(math.sqrt(max(0.0, 1.0 + rot[0, 0] - rot[1, 1] - rot[2, 2])) / 2.0, rot[2, 1] - rot[1, 2])
    y = math.copysign(math.sqrt(max(0.0, 1.0 - rot[0, 0] + rot[1, 1] - rot[2, 2])) / 2.0, rot[0, 2] - rot[2, 0])
    z = math.copysign(math.sqrt(max(0.0, 1.0 - rot[0, 0] - rot[1, 1] + rot[2, 2])) / 2.0, rot[1, 0] - rot[0, 1])
    return x, y, z, w


def main(args=None) -> int:
    return run_node(SimNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
