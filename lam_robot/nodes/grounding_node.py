"""``grounding_node``: 3-D detections -> world state (facts with confidences), latched.

Subscribes:
    ``detections`` (std_msgs/String): from ``perception_node``.
    ``joint_states`` (sensor_msgs/JointState): the gripper's opening and the
        arm's pose tell which block is held (proprioception) and where the arm
        stands (what it may hide from the camera).
    ``camera/pose`` (geometry_msgs/PoseStamped, latched): where the camera looks
        from; a known block the arm or another block hides keeps its last
        confident place (lower confidence, ``occluded``) instead of losing its
        support (:class:`lam_robot.perception.grounding.Grounder`).
Publishes:
    ``world_state`` (std_msgs/String, latched): ``WorldState.to_dict()`` JSON,
        stamped with the image time; uncertain facts listed, never made true.
    ``world_state/markers`` (visualization_msgs/MarkerArray): blocks and facts.
    ``status``: detections that cannot be grounded.

The known layout (object names, colours, trays) comes from ``scenario``; the
core does the grounding (:func:`lam_robot.perception.grounding.ground`).
"""

from __future__ import annotations

from geometry_msgs.msg import PoseStamped
from sensor_msgs.msg import JointState
from std_msgs.msg import String
from visualization_msgs.msg import MarkerArray

from ..graph import ARM_JOINTS, FINGER_JOINTS, GROUNDING, TOPICS
from ..perception.grounding import Grounder, Region
from ..perception.types import Detection3D
from ..resources import find_resource
from ..scene import load_scene
from ..symbolic.domain import load_domain
from .common import QOS, BadMessage, LamNode, run_node, to_json_msg
from .markers import world_markers

HOLD_MIN_M, HOLD_MAX_M = 0.015, 0.075  # finger gap (sum of both) that means "something is held"


def detection_from_dict(data: dict) -> Detection3D:
    try:
        hyps = tuple((str(c), float(s)) for c, s in data["hypotheses"])
        center = tuple(float(v) for v in data["center_xyz"])
        size = tuple(float(v) for v in data["size_xyz"])
    except (KeyError, TypeError, ValueError):
        raise BadMessage("a detection needs hypotheses [[class, score]], center_xyz and size_xyz") from None
    if not hyps or len(center) != 3 or len(size) != 3:
        raise BadMessage("a detection needs at least one hypothesis and 3-D centre and size")
    attrs = data.get("attributes") if isinstance(data.get("attributes"), dict) else {}
    return Detection3D(hyps, center, size, str(data.get("tracking_id", "")), attrs)


class GroundingNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(GROUNDING, **kwargs)
        from ..execution.motion import MotionPlanner
        from ..sim.world import SimWorld

        self.domain = load_domain(self.p["domain"] or None)
        self.scene = load_scene(find_resource(self.p["scenario"]), self.domain)
        with SimWorld.from_scene(self.scene, visual=False) as layout:  # where the scene's trays stand
            self.regions = {
                name: Region(name, tuple(geo.center), tuple(geo.inner), float(geo.floor_z),
                             self.scene.objects[name].kind or "tray", self.scene.objects[name].color)
                for name, geo in layout.regions.items()}
        self.kinematics = MotionPlanner()
        self.grounder = Grounder(self.regions, self.scene, threshold=float(self.p["min_confidence"]))
        self.grasp_xyz = None  # where the closed fingers are, when they hold something
        self.arm_q = None  # the arm's joint angles, last read
        self.eye = None  # the camera's position, robot base frame
        self.count = 0
        self.state_pub = self.create_publisher(String, TOPICS["world_state"], QOS["state"])
        self.marker_pub = self.create_publisher(MarkerArray, TOPICS["world_markers"], QOS["state"])
        self.create_subscription(String, TOPICS["detections"], self.guarded("detections", self.on_detections),
                                 QOS["sensor"])
        self.create_subscription(JointState, TOPICS["joint_states"], self.guarded("joint_states", self.on_joints),
                                 QOS["sensor"])
        self.create_subscription(PoseStamped, TOPICS["camera_pose"], self.guarded("camera_pose", self.on_camera_pose),
                                 QOS["state"])
        self.get_logger().info(f"grounding ready: expecting {', '.join(self.scene.objects)}")

    def on_joints(self, msg: JointState) -> None:
        pos = dict(zip(msg.name, msg.position))
        if not all(j in pos for j in ARM_JOINTS + FINGER_JOINTS):
            return
        gap = pos[FINGER_JOINTS[0]] + pos[FINGER_JOINTS[1]]
        self.arm_q = [pos[j] for j in ARM_JOINTS]
        if HOLD_MIN_M < gap < HOLD_MAX_M:
            self.grasp_xyz = tuple(float(v) for v in self.kinematics.fk([pos[j] for j in ARM_JOINTS])[0])
        else:
            self.grasp_xyz = None

    def on_detections(self, msg: String) -> None:
        data = self.parse_json(msg, "detections")
        if not isinstance(data, dict) or not isinstance(data.get("detections"), list):
            raise BadMessage("detections JSON needs a 'detections' list")
        dets = [detection_from_dict(d) for d in data["detections"] if isinstance(d, dict)]
        held = "gripper" if self.grasp_xyz is not None else None  # names no object: found near the fingers
        self.grounder.threshold = float(self.p["min_confidence"])
        result = self.grounder.update(dets, held=held, held_xyz=self.grasp_xyz,
                                      eyes=[self.eye] if self.eye is not None else [], arm=self.arm_points())
        state = result.state.to_dict()
        stamp = data.get("stamp")
        if isinstance(stamp, (int, float)):
            state["stamp"] = float(stamp)  # the image time, not the time grounding finished
        state["missing"] = result.missing
        self.state_pub.publish(to_json_msg(state))
        self.count += 1
        if self.count % 5 == 1:
            self.marker_pub.publish(world_markers(state, self.get_clock().now().to_msg()))

    def on_camera_pose(self, msg: PoseStamped) -> None:
        pos = msg.pose.position
        self.eye = (float(pos.x), float(pos.y), float(pos.z))

    def arm_points(self) -> list:
        """Points along the arm at its last joint angles (none before the first joint state)."""
        if self.arm_q is None:
            return []
        from ..perception import PerceptionObserver

        self.kinematics.fk(self.arm_q)  # poses the kinematic model
        return PerceptionObserver.arm_points(self.kinematics.robot, self.kinematics.client)

    def destroy_node(self):
        self.kinematics.close()
        return super().destroy_node()


def main(args=None) -> int:
    return run_node(GroundingNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
