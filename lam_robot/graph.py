"""The ROS 2 graph, described without ROS: nodes, parameters, topics, profiles.

One source of truth for everything that starts the graph: the launch files
(``launch/sim.launch.py``, ``launch/real_arm.launch.py``) and the pip-only
``lam-robot up`` both read :func:`profile`; every node declares exactly the
parameters listed in its :class:`NodeSpec`; ``docs/ROS_GRAPH.md`` is the same
table for people. Nothing here imports ``rclpy``.

Topic names are relative, so a namespace (``--ns robot1`` or ``__ns:=/robot1``)
moves the whole graph; private names (``~/estop``) sit under the node name.

QoS classes (mapped onto rclpy profiles in :mod:`lam_robot.nodes.common`):

* ``sensor``  best effort, volatile, depth 5: images, camera info, joint states, detections.
* ``state``   reliable, transient local, depth 1: the latest world state, plan, markers.
* ``command`` reliable, volatile, depth 10: instructions, goals, trajectories, estop.
* ``events``  reliable, transient local, depth 100: status and refusals (like ``/rosout``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Mapping

#: QoS class names, see the module docstring.
QOS_CLASSES = ("sensor", "state", "command", "events")

#: Joint names of the simulated Panda (a real arm's names are a launch argument).
ARM_JOINTS = tuple(f"panda_joint{i}" for i in range(1, 8))
FINGER_JOINTS = ("panda_finger_joint1", "panda_finger_joint2")

#: Largest text message a node parses, in bytes (bigger ones are refused).
DEFAULT_MAX_MESSAGE_BYTES = 1_000_000

#: Topic names (relative; namespaced by ``--ns``).
TOPICS = {
    "color": "camera/color/image_raw",
    "depth": "camera/depth/image_raw",
    "camera_info": "camera/color/camera_info",
    "joint_states": "joint_states",
    "trajectory": "joint_trajectory_controller/joint_trajectory",
    "gripper_trajectory": "gripper_controller/joint_trajectory",
    "detections": "detections",
    "detection_markers": "detections/markers",
    "world_state": "world_state",
    "world_markers": "world_state/markers",
    "audio_path": "audio/path",
    "audio_samples": "audio/samples",
    "instruction": "instruction",
    "goal": "goal",
    "plan": "plan",
    "plan_markers": "plan/markers",
    "status": "status",
    "estop": "~/estop",
    "sim_state": "sim/ground_truth",
    "camera_pose": "camera/pose",
}


@dataclass(frozen=True)
class ParamSpec:
    """One declared ROS parameter.

    Attributes:
        name: the parameter name.
        default: its default; the type of the default is the parameter's type.
        description: one sentence, shown by ``ros2 param describe``.
        min_value, max_value: inclusive range for numbers.
        choices: allowed values for strings (empty: any).
        read_only: cannot be changed after start.
    """

    name: str
    default: Any
    description: str
    min_value: float | None = None
    max_value: float | None = None
    choices: tuple = ()
    read_only: bool = False

    def check(self, value: Any) -> str | None:
        """None when ``value`` is acceptable, else why not (ROS-free on-set validation)."""
        if isinstance(self.default, bool) != isinstance(value, bool):
            return f"{self.name} must be a {type(self.default).__name__}, got {value!r}"
        if isinstance(self.default, (int, float)) and not isinstance(self.default, bool):
            if not isinstance(value, (int, float)):
                return f"{self.name} must be a number, got {value!r}"
            if self.min_value is not None and value < self.min_value:
                return f"{self.name} must be >= {self.min_value}, got {value}"
            if self.max_value is not None and value > self.max_value:
                return f"{self.name} must be <= {self.max_value}, got {value}"
        if self.choices and value not in self.choices:
            return f"{self.name} must be one of {', '.join(map(str, self.choices))}, got {value!r}"
        return None


@dataclass(frozen=True)
class TopicSpec:
    """A topic a node publishes or subscribes to.

    Attributes:
        key: the entry in :data:`TOPICS` (the relative name).
        msg_type: ``package/Type``.
        qos: one of :data:`QOS_CLASSES`.
        description: what flows on it.
    """

    key: str
    msg_type: str
    qos: str
    description: str

    @property
    def name(self) -> str:
        return TOPICS[self.key]


@dataclass(frozen=True)
class NodeSpec:
    """One node of the graph.

    Attributes:
        name: node name (private topics live under it, e.g. ``executor/estop``).
        executable: the console script (``planner_node``).
        module: the Python module holding ``main``.
        description: one line.
        params: declared parameters.
        publishes, subscribes: topics.
    """

    name: str
    executable: str
    module: str
    description: str
    params: tuple[ParamSpec, ...] = ()
    publishes: tuple[TopicSpec, ...] = ()
    subscribes: tuple[TopicSpec, ...] = ()

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no parameter {name!r}")


def _common_params() -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("max_message_bytes", DEFAULT_MAX_MESSAGE_BYTES,
                  "largest text message parsed, in bytes; bigger ones are refused on the status topic",
                  1_000, 100_000_000),
    )


_STATUS = TopicSpec("status", "std_msgs/String", "events",
                    "JSON {node, level, event, reason, ...}: progress, refusals, errors")
_WORLD_STATE_IN = TopicSpec("world_state", "std_msgs/String", "state",
                            "JSON world state (Scene.to_dict / WorldState.to_dict), latched")
_WORLD_STATE_OUT = _WORLD_STATE_IN
_GOAL = TopicSpec("goal", "std_msgs/String", "command",
                  "JSON {goal, instruction, id} or bare PDDL goal text")
_PLAN = TopicSpec("plan", "std_msgs/String", "state",
                  "JSON PlanResult.to_dict() + id, goal_sentence, world-state stamp, latched")
_INSTRUCTION = TopicSpec("instruction", "std_msgs/String", "command", "instruction text (or JSON {text, id})")
_TRAJECTORY = TopicSpec("trajectory", "trajectory_msgs/JointTrajectory", "command",
                        "the joint_trajectory_controller command topic")
_GRIPPER_TRAJECTORY = TopicSpec("gripper_trajectory", "trajectory_msgs/JointTrajectory", "command",
                                "finger trajectories when the gripper has its own controller")
_JOINT_STATES = TopicSpec("joint_states", "sensor_msgs/JointState", "sensor", "arm and gripper joint positions")
_COLOR = TopicSpec("color", "sensor_msgs/Image", "sensor", "rgb8 colour image")
_DEPTH = TopicSpec("depth", "sensor_msgs/Image", "sensor", "32FC1 depth image, metres")
_CAMERA_INFO = TopicSpec("camera_info", "sensor_msgs/CameraInfo", "sensor", "pinhole intrinsics of the colour camera")
_CAMERA_POSE = TopicSpec("camera_pose", "geometry_msgs/PoseStamped", "state",
                         "pose of the colour camera's optical frame in the robot base frame (extrinsics), latched")
_DETECTIONS = TopicSpec("detections", "std_msgs/String", "sensor",
                        "JSON detections (vision_msgs/Detection3D-like: hypotheses, box, tracking id)")

PLANNER = NodeSpec(
    "planner", "planner_node", "lam_robot.nodes.planner_node",
    "goal + world state -> validated plan with a reason for every step",
    params=(
        ParamSpec("planner", "auto", "planning backend",
                  choices=("auto", "fd", "fd-opt", "pyperplan", "policy", "pddlstream")),
        ParamSpec("domain", "", "PDDL domain file; empty: the tabletop domain", read_only=True),
        ParamSpec("timeout_s", 30.0, "planning time limit, seconds", 0.1, 600.0),
        ParamSpec("max_state_age_s", 0.0,
                  "refuse to plan on a world state older than this, seconds; 0 disables the check", 0.0, 3600.0),
        ParamSpec("goal_wait_s", 10.0,
                  "how long a goal that arrived before any world state waits for one, seconds", 0.0, 600.0),
        *_common_params(),
    ),
    publishes=(_PLAN, _STATUS,
               TopicSpec("plan_markers", "visualization_msgs/MarkerArray", "state",
                         "the planned next grasp as an RViz marker")),
    subscribes=(_WORLD_STATE_IN, _GOAL),
)

TRANSLATOR = NodeSpec(
    "translator", "translator_node", "lam_robot.nodes.translator_node",
    "instruction + world state -> checked goal, refusal or clarifying question",
    params=(
        ParamSpec("backend", "rules", "translation backend name (lam_robot.language registry)"),
        ParamSpec("domain", "", "PDDL domain file; empty: the tabletop domain", read_only=True),
        ParamSpec("goal_wait_s", 10.0,
                  "how long an instruction that arrived before any world state waits for one, seconds",
                  0.0, 600.0),
        *_common_params(),
    ),
    publishes=(_GOAL, _STATUS),
    subscribes=(_INSTRUCTION, _WORLD_STATE_IN),
)

ASR = NodeSpec(
    "asr", "asr_node", "lam_robot.nodes.asr_node",
    "audio (a file path, or samples on a topic) -> instruction text",
    params=(
        ParamSpec("engine", "pocketsphinx", "speech engine (lam_robot.language.speech.SPEECH_ENGINES)"),
        ParamSpec("sample_rate_hz", 16000, "sample rate of audio/samples", 8000, 48000),
        ParamSpec("domain", "", "PDDL domain file; empty: the tabletop domain", read_only=True),
        *_common_params(),
    ),
    publishes=(_INSTRUCTION, _STATUS),
    subscribes=(TopicSpec("audio_path", "std_msgs/String", "command", "path of a WAV file to transcribe"),
                TopicSpec("audio_samples", "std_msgs/Float32MultiArray", "command",
                          "mono samples in [-1, 1] at sample_rate_hz"),
                _WORLD_STATE_IN),
)

SIM = NodeSpec(
    "sim", "sim_node", "lam_robot.nodes.sim_node",
    "PyBullet arm and table: camera images, joint states, executes JointTrajectory like a ros2_control arm",
    params=(
        ParamSpec("scenario", "sim/scenes/tower3.yaml", "scene or scenario YAML to load", read_only=True),
        ParamSpec("camera_rate_hz", 5.0, "colour/depth/camera_info publish rate", 0.0, 60.0),
        ParamSpec("joint_state_rate_hz", 50.0, "joint_states publish rate", 1.0, 500.0),
        ParamSpec("ground_truth_rate_hz", 10.0,
                  "rate of the ground-truth world state on sim/ground_truth (and on world_state when "
                  "publish_world_state is true)", 0.0, 60.0),
        ParamSpec("publish_world_state", True,
                  "publish the simulator's ground truth as the world state (no perception in the loop)"),
        ParamSpec("image_width", 320, "camera image width, pixels", 64, 1920),
        ParamSpec("image_height", 240, "camera image height, pixels", 48, 1080),
        ParamSpec("real_time_factor", 1.0, "simulated seconds per wall second", 0.1, 20.0),
        *_common_params(),
    ),
    publishes=(_COLOR, _DEPTH, _CAMERA_INFO, _JOINT_STATES, _WORLD_STATE_OUT,
               TopicSpec("sim_state", "std_msgs/String", "state", "the simulator's ground truth (tests, rehearsal)"),
               TopicSpec("world_markers", "visualization_msgs/MarkerArray", "state",
                         "blocks and their facts for RViz (when publish_world_state)"),
               _CAMERA_POSE, _STATUS),
    subscribes=(_TRAJECTORY, _GRIPPER_TRAJECTORY),
)

PERCEPTION = NodeSpec(
    "perception", "perception_node", "lam_robot.nodes.perception_node",
    "colour + depth images -> 3-D detections",
    params=(
        ParamSpec("detector", "yolo", "detector backend (lam_robot.perception.detector.DETECTORS)"),
        ParamSpec("weights", "", "detector weights (.pt/.onnx); empty: the shipped block detector", read_only=True),
        ParamSpec("device", "cpu", "inference device: cpu, 0, cuda:0...", read_only=True),
        ParamSpec("runtime", "auto", "how YOLO runs: auto (onnxruntime on a CPU), ultralytics, onnxruntime",
                  read_only=True, choices=("auto", "ultralytics", "onnxruntime")),
        ParamSpec("min_confidence", 0.3, "drop detections below this score", 0.0, 1.0),
        ParamSpec("max_rate_hz", 5.0, "process at most this many frames per second", 0.1, 60.0),
        *_common_params(),
    ),
    publishes=(_DETECTIONS,
               TopicSpec("detection_markers", "visualization_msgs/MarkerArray", "sensor",
                         "one box per detection for RViz"),
               _STATUS),
    subscribes=(_COLOR, _DEPTH, _CAMERA_INFO, _CAMERA_POSE),
)

GROUNDING = NodeSpec(
    "grounding", "grounding_node", "lam_robot.nodes.grounding_node",
    "detections -> world state: facts with confidences, latched",
    params=(
        ParamSpec("min_confidence", 0.5, "facts below this confidence are reported as uncertain", 0.0, 1.0),
        ParamSpec("scenario", "sim/scenes/tower3.yaml",
                  "scene YAML naming the objects to expect (their colours and types)", read_only=True),
        ParamSpec("domain", "", "PDDL domain file; empty: the tabletop domain", read_only=True),
        *_common_params(),
    ),
    publishes=(_WORLD_STATE_OUT,
               TopicSpec("world_markers", "visualization_msgs/MarkerArray", "state",
                         "blocks and their facts for RViz"),
               _STATUS),
    subscribes=(_DETECTIONS, _JOINT_STATES, _CAMERA_POSE),
)

EXECUTOR = NodeSpec(
    "executor", "executor_node", "lam_robot.nodes.executor_node",
    "plan -> joint trajectories, effect monitoring, replanning, estop, status with step and reason",
    params=(
        ParamSpec("joint_names", [*ARM_JOINTS, *FINGER_JOINTS],
                  "the 7 arm joint names then the 2 finger joint names, as the arm's controller calls them"),
        ParamSpec("max_state_age_s", 3.0,
                  "pause (no motion) while the newest world state is older than this, seconds", 0.1, 600.0),
        ParamSpec("separate_gripper_controller", False,
                  "send finger trajectories to gripper_controller/joint_trajectory instead of the arm's topic"),
        ParamSpec("rehearse", False,
                  "rehearse every plan in a PyBullet twin of the perceived scene before moving the arm"),
        ParamSpec("max_replans", 4, "replans after a failed effect check before giving up", 0, 20),
        ParamSpec("stale_timeout_s", 120.0,
                  "give the task up after pausing this long for a fresh world state, seconds", 1.0, 3600.0),
        ParamSpec("joint_state_timeout_s", 10.0,
                  "wait this long for the first joint state before refusing a plan, seconds", 0.5, 600.0),
        ParamSpec("tolerance_rad", 0.01,
                  "a motion is done when every joint is this close to its target, radians", 0.001, 0.2),
        ParamSpec("planner", "auto", "planning backend for replans",
                  choices=("auto", "fd", "fd-opt", "pyperplan", "policy", "pddlstream")),
        ParamSpec("domain", "", "PDDL domain file; empty: the tabletop domain", read_only=True),
        *_common_params(),
    ),
    publishes=(_TRAJECTORY, _GRIPPER_TRAJECTORY, _STATUS),
    subscribes=(_PLAN, _WORLD_STATE_IN, _JOINT_STATES,
                TopicSpec("estop", "std_msgs/Bool", "command", "true halts motion at once; false re-arms")),
)

NODES: Mapping[str, NodeSpec] = {n.name: n for n in (SIM, PERCEPTION, GROUNDING, ASR, TRANSLATOR, PLANNER, EXECUTOR)}


@dataclass(frozen=True)
class LaunchNode:
    """One node as a profile starts it.

    Attributes:
        spec: the node.
        parameters: values that differ from the defaults.
        remappings: relative topic name -> name it is remapped to.
    """

    spec: NodeSpec
    parameters: Mapping[str, Any] = field(default_factory=dict)
    remappings: Mapping[str, str] = field(default_factory=dict)


#: Arguments each profile accepts (the launch files declare the same ones), with defaults.
PROFILE_ARGUMENTS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "sim": {
        "scenario": ("sim/scenes/tower3.yaml", "scene or scenario YAML for the simulator"),
        "perception": ("ground_truth", "world state from 'ground_truth' (the simulator) or 'camera' (perception)"),
        "translator_backend": ("rules", "translation backend"),
    },
    "real_arm": {
        "scenario": ("sim/scenes/tower3.yaml", "scene YAML naming the objects to expect"),
        "controller_topic": ("joint_trajectory_controller/joint_trajectory",
                             "JointTrajectory command topic of the arm's controller (relative: namespaced)"),
        "joint_states_topic": ("joint_states", "the arm's sensor_msgs/JointState topic"),
        "gripper_topic": ("", "JointTrajectory topic of a separate gripper controller (empty: the arm's topic)"),
        "joint_names": (",".join([*ARM_JOINTS, *FINGER_JOINTS]),
                        "comma-separated joint names: 7 arm joints, then 2 finger joints"),
        "color_topic": ("camera/color/image_raw", "colour image topic"),
        "depth_topic": ("camera/depth/image_raw", "depth image topic (32FC1 metres or 16UC1 mm)"),
        "camera_info_topic": ("camera/color/camera_info", "colour camera intrinsics"),
        "camera_pose_topic": ("camera/pose",
                              "geometry_msgs/PoseStamped of the colour optical frame in the robot base frame"),
        "translator_backend": ("rules", "translation backend"),
    },
}
PROFILES = tuple(PROFILE_ARGUMENTS)


def profile_arguments(name: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The arguments of profile ``name`` with ``overrides`` applied.

    Raises:
        KeyError: unknown profile or argument.
    """
    if name not in PROFILE_ARGUMENTS:
        raise KeyError(f"unknown profile {name!r}; choose one of: {', '.join(PROFILES)}")
    args = {k: default for k, (default, _) in PROFILE_ARGUMENTS[name].items()}
    for key, value in (overrides or {}).items():
        if key not in args:
            raise KeyError(f"profile {name} has no argument {key!r}; it takes: {', '.join(args)}")
        args[key] = str(value)
    return args


def profile(name: str, overrides: Mapping[str, str] | None = None) -> list[LaunchNode]:
    """The nodes profile ``name`` starts, with their parameters and remappings.

    Args:
        name: ``sim`` (whole graph with the simulator) or ``real_arm`` (no simulator).
        overrides: profile arguments (see :data:`PROFILE_ARGUMENTS`).
    """
    args = profile_arguments(name, overrides)
    backend = {"backend": args["translator_backend"]}
    if name == "sim":
        camera = args["perception"] == "camera"
        nodes = [LaunchNode(SIM, {"scenario": args["scenario"], "publish_world_state": not camera,
                                  "camera_rate_hz": 5.0 if camera else 0.0})]
        if camera:
            nodes += [LaunchNode(PERCEPTION), LaunchNode(GROUNDING, {"scenario": args["scenario"]})]
        nodes += [LaunchNode(ASR), LaunchNode(TRANSLATOR, backend), LaunchNode(PLANNER), LaunchNode(EXECUTOR)]
        return nodes
    camera_remaps = {TOPICS["color"]: args["color_topic"], TOPICS["depth"]: args["depth_topic"],
                     TOPICS["camera_info"]: args["camera_info_topic"], TOPICS["camera_pose"]: args["camera_pose_topic"]}
    joints = [j.strip() for j in args["joint_names"].split(",") if j.strip()]
    return [
        LaunchNode(PERCEPTION, remappings=camera_remaps),
        LaunchNode(GROUNDING, {"scenario": args["scenario"]}, {TOPICS["joint_states"]: args["joint_states_topic"],
                                                               TOPICS["camera_pose"]: args["camera_pose_topic"]}),
        LaunchNode(ASR),
        LaunchNode(TRANSLATOR, backend),
        LaunchNode(PLANNER),
        LaunchNode(EXECUTOR, {"joint_names": joints, "rehearse": True,
                              "separate_gripper_controller": bool(args["gripper_topic"])},
                   {TOPICS["trajectory"]: args["controller_topic"],
                    TOPICS["joint_states"]: args["joint_states_topic"],
                    **({TOPICS["gripper_trajectory"]: args["gripper_topic"]} if args["gripper_topic"] else {})}),
    ]


def format_param(value: Any) -> str:
    """A parameter value as ``--ros-args -p name:=VALUE`` expects it (YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_param(v) if not isinstance(v, str) else f"'{v}'" for v in value) + "]"
    if isinstance(value, str):
        return f"'{value}'" if value == "" or value.lower() in ("true", "false") else value
    return str(value)


def command_line(node: LaunchNode, namespace: str = "", python: str | None = None) -> list[str]:
    """The process command that starts ``node`` without ``ros2 launch`` (``lam-robot up``)."""
    cmd = [python or sys.executable, "-m", node.spec.module, "--ros-args", "-r", f"__node:={node.spec.name}"]
    if namespace:
        cmd += ["-r", f"__ns:=/{namespace.strip('/')}"]
    for key, value in node.parameters.items():
        cmd += ["-p", f"{key}:={format_param(value)}"]
    for src, dst in node.remappings.items():
        if src != dst:
            cmd += ["-r", f"{src}:={dst}"]
    return cmd


def markdown_table() -> str:
    """Topics and parameters of every node as Markdown (the body of docs/ROS_GRAPH.md)."""
    lines = []
    for spec in NODES.values():
        lines += [f"### `{spec.executable}` (node `{spec.name}`)", "", spec.description, "",
                  "| direction | topic | type | QoS | content |", "|---|---|---|---|---|"]
        for direction, topics in (("pub", spec.publishes), ("sub", spec.subscribes)):
            for t in topics:
                lines.append(f"| {direction} | `{t.name}` | `{t.msg_type}` | {t.qos} | {t.description} |")
        lines += ["", "| parameter | default | range / choices | description |", "|---|---|---|---|"]
        for p in spec.params:
            rng = ", ".join(map(str, p.choices)) if p.choices else (
                f"[{p.min_value}, {p.max_value}]" if p.min_value is not None else "")
            ro = " (read-only)" if p.read_only else ""
            lines.append(f"| `{p.name}` | `{p.default!r}` | {rng} | {p.description}{ro} |")
        lines.append("")
    return "\n".join(lines)
