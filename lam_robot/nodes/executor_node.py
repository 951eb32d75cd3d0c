"""``executor_node``: plan -> joint trajectories, closed loop over the world-state topic.

Subscribes:
    ``plan`` (std_msgs/String, latched): from ``planner_node``; plans older
        than this node are ignored (a restarted executor never replays one).
    ``world_state`` (std_msgs/String, latched): what the robot believes now.
    ``joint_states`` (sensor_msgs/JointState): the arm's joints.
    ``~/estop`` (std_msgs/Bool): true halts motion at once, false re-arms.
Publishes:
    ``joint_trajectory_controller/joint_trajectory`` (trajectory_msgs/JointTrajectory):
        what a ros2_control ``joint_trajectory_controller`` executes; finger
        trajectories go to ``gripper_controller/joint_trajectory`` instead when
        ``separate_gripper_controller`` is set.
    ``status`` (std_msgs/String): the current step and its reason, effect-check
        failures, replans, pauses on stale state, the outcome.

The core :class:`lam_robot.execution.executor.Executor` does the work; this
node gives it an observer that reads the topic (and waits, without moving,
while the newest world state is older than ``max_state_age_s``) and a
:class:`~lam_robot.execution.controller.TopicArmController` wired to the
trajectory publisher and the joint-state subscription. With ``rehearse``
every plan first runs in a PyBullet twin of the observed scene.
"""

from __future__ import annotations

import threading
import time

from sensor_msgs.msg import JointState
from std_msgs.msg import Bool, String
from trajectory_msgs.msg import JointTrajectory, JointTrajectoryPoint

from ..errors import LamError
from ..execution.controller import (ARM_JOINT_NAMES, FINGER_JOINT_NAMES, ControllerError, JointStateData,
                                    JointTrajectoryData, TopicArmController)
from ..execution.executor import Executor
from ..graph import EXECUTOR, TOPICS
from ..scene import scene_from_dict
from ..symbolic.atoms import parse_atom
from ..symbolic.domain import load_domain
from ..verbalize import action_phrase
from ..world_state import GroundedFact, Observer, WorldState
from .common import QOS, BadMessage, LamNode, run_node

PANDA_JOINTS = ARM_JOINT_NAMES + FINGER_JOINT_NAMES
REST_SPEED_RAD_S = 0.005  # every joint slower than this: the arm is at rest


class StaleStateError(LamError, RuntimeError):
    """No fresh world state arrived while the executor waited."""


def world_state_from_dict(data: dict, domain) -> WorldState:
    """A :class:`WorldState` from its ``to_dict()`` JSON (a bare scene is fully confident)."""
    scene = scene_from_dict(data, domain)

    def facts(key):
        out = []
        for item in data.get(key) or []:
            if isinstance(item, dict) and isinstance(item.get("fact"), str):
                out.append(GroundedFact(parse_atom(item["fact"]), float(item.get("confidence", 1.0))))
        return tuple(out)
    stamp = data.get("stamp")
    return WorldState(scene, facts("facts"), facts("uncertain"), str(data.get("source", "topic")),
                      float(stamp) if isinstance(stamp, (int, float)) else time.time())


class TopicObserver(Observer):
    """The newest world state from the topic; waits for one newer than the call (no motion on old data)."""

    def __init__(self, node: "ExecutorNode"):
        self.node = node
        self.cond = threading.Condition()
        self.latest: WorldState | None = None

    def put(self, state: WorldState) -> None:
        with self.cond:
            self.latest = state
            self.cond.notify_all()

    def observe(self) -> WorldState:
        """The newest world state taken after the arm last moved (or was commanded), and not stale."""
        self._wait_arm_at_rest()
        asked = max(self.node.last_motion_s, self.node.last_command_s)
        max_age = float(self.node.p["max_state_age_s"])
        give_up = time.monotonic() + float(self.node.p["stale_timeout_s"])
        paused = False
        with self.cond:
            while True:
                state = self.latest
                if state is not None and state.stamp >= asked and time.time() - state.stamp <= max_age:
                    break
                if state is not None and not paused and time.time() - state.stamp > max_age:
                    paused = True
                    self.node.status("warning", "paused",
                                     f"world state is {time.time() - state.stamp:.1f} s old "
                                     f"(max_state_age_s={max_age}); holding still until a fresh one arrives")
                if self.node.runner.controller.estopped:
                    raise StaleStateError("emergency stop while waiting for a world state")
                if time.monotonic() > give_up:
                    raise StaleStateError(f"no fresh world state for {self.node.p['stale_timeout_s']} s")
                self.cond.wait(timeout=0.1)
        if paused:
            self.node.status("info", "resumed", "a fresh world state arrived; resuming")
        return state

    def _wait_arm_at_rest(self, timeout_s: float = 2.0, speed_rad_s: float = REST_SPEED_RAD_S) -> None:
        """Let the arm come to rest first, so poses seen and joints read belong to the same instant."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            joints = self.node.joints
            if joints is None or not joints.velocity or max(abs(v) for v in joints.velocity) < speed_rad_s:
                return
            time.sleep(0.02)


class ExecutorNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(EXECUTOR, **kwargs)
        self.started = time.time()
        self.worker: threading.Thread | None = None
        self.last_motion_s = 0.0  # wall time the arm was last seen moving
        self.last_command_s = 0.0  # wall time of the last trajectory sent
        self.domain = load_domain(self.p["domain"] or None)
        names = list(self.p["joint_names"])
        if len(names) != len(PANDA_JOINTS):
            self.status("error", "parameters", f"joint_names needs {len(PANDA_JOINTS)} names, got {len(names)}; "
                        "using the Panda's")
            names = list(PANDA_JOINTS)
        self.to_robot = dict(zip(PANDA_JOINTS, names))
        self.from_robot = dict(zip(names, PANDA_JOINTS))
        self.joints: JointStateData | None = None
        self.observer = TopicObserver(self)
        self.traj_pub = self.create_publisher(JointTrajectory, TOPICS["trajectory"], QOS["command"])
        self.gripper_pub = (self.create_publisher(JointTrajectory, TOPICS["gripper_trajectory"], QOS["command"])
                            if self.p["separate_gripper_controller"] else self.traj_pub)
        self.controller = TopicArmController(self.send_trajectory, self.read_joints,
                                             tolerance_rad=float(self.p["tolerance_rad"]))
        self.runner = Executor(self.observer, self.controller, self.domain, self.p["planner"],
                               max_replans=int(self.p["max_replans"]), on_step_start=self.announce,
                               on_notice=lambda text: self.status("warning", "replanning", text,
                                                                  id=(self.current or {}).get("id")))
        self.current: dict | None = None
        self.create_subscription(String, TOPICS["plan"], self.guarded("plan", self.on_plan), QOS["state"])
        self.create_subscription(String, TOPICS["world_state"],
                                 self.guarded("world_state", self.on_world_state), QOS["state"])
        self.create_subscription(JointState, TOPICS["joint_states"],
                                 self.guarded("joint_states", self.on_joint_states), QOS["sensor"])
        self.create_subscription(Bool, TOPICS["estop"], self.guarded("estop", self.on_estop), QOS["command"])
        self.get_logger().info(f"executor ready; trajectories on {self.traj_pub.topic_name}")

    # -- inputs -----------------------------------------------------------
    def on_world_state(self, msg: String) -> None:
        data = self.parse_json(msg, "world state")
        if not isinstance(data, dict):
            raise BadMessage("world state must be a JSON object")
        self.observer.put(world_state_from_dict(data, self.domain))

    def on_joint_states(self, msg: JointState) -> None:
        if len(msg.name) != len(msg.position):
            raise BadMessage(f"joint state with {len(msg.name)} names and {len(msg.position)} positions")
        names = tuple(self.from_robot.get(n, n) for n in msg.name)
        stamp = msg.header.stamp.sec + msg.header.stamp.nanosec * 1e-9
        self.joints = JointStateData(names, tuple(msg.position), tuple(msg.velocity), tuple(msg.effort), stamp)
        if msg.velocity and max(abs(v) for v in msg.velocity) >= REST_SPEED_RAD_S:
            self.last_motion_s = time.time()  # states taken before this show a world that has since changed

    def on_estop(self, msg: Bool) -> None:
        if msg.data:
            self.runner.estop()
            with self.observer.cond:
                self.observer.cond.notify_all()
            self.status("warning", "estop", "emergency stop: motion halted", step=self._step_fields())
        else:
            self.runner.reset_estop()
            self.status("info", "estop_cleared", "emergency stop cleared; new plans are accepted")

    def on_plan(self, msg: String) -> None:
        plan = self.parse_json(msg, "plan")
        if not isinstance(plan, dict) or not isinstance(plan.get("goal"), str) or plan.get("status") != "ok":
            raise BadMessage("a plan must be a JSON object from planner_node with status ok and a goal")
        stamp = plan.get("stamp")
        if isinstance(stamp, (int, float)) and stamp < self.started:
            self.get_logger().info(f"ignoring plan {plan.get('id')} published before this executor started")
            return
        if self.worker is not None and self.worker.is_alive():
            self.refuse("plan", f"busy with plan {self.current.get('id')}; plan {plan.get('id')} ignored",
                        id=plan.get("id"), code="busy")
            return
        if self.controller.estopped:
            self.refuse("plan", "emergency stop is active; publish false on ~/estop to re-arm",
                        id=plan.get("id"), code="estop")
            return
        self.current = {**plan, "step_index": None}
        self.worker = threading.Thread(target=self.run_plan, args=(plan,), daemon=True)
        self.worker.start()

    # -- the arm ----------------------------------------------------------
    def send_trajectory(self, traj: JointTrajectoryData) -> None:
        self.last_command_s = time.time()
        msg = JointTrajectory(joint_names=[self.to_robot.get(n, n) for n in traj.joint_names])
        msg.header.stamp = self.get_clock().now().to_msg()
        for pt in traj.points:
            sec = int(pt.time_from_start_s)
            point = JointTrajectoryPoint(positions=[float(v) for v in pt.positions],
                                         velocities=[float(v) for v in pt.velocities])
            point.time_from_start.sec = sec
            point.time_from_start.nanosec = int(round((pt.time_from_start_s - sec) * 1e9)) % 1_000_000_000
            msg.points.append(point)
        fingers_only = all(n in FINGER_JOINT_NAMES for n in traj.joint_names)
        (self.gripper_pub if fingers_only else self.traj_pub).publish(msg)

    def read_joints(self) -> JointStateData:
        if self.joints is None:
            raise ControllerError("no joint state received yet")
        return self.joints

    # -- execution (worker thread) ----------------------------------------
    def _step_fields(self) -> dict:
        cur = self.current or {}
        return {"id": cur.get("id"), "index": cur.get("step_index"), "action": cur.get("step_action")}

    def announce(self, step, attempt: int) -> None:
        plan = self.current or {}
        action = str(step)
        reasons = {s.get("action"): s.get("sentence") for s in plan.get("steps") or [] if isinstance(s, dict)}
        index = next((i for i, a in enumerate(plan.get("plan") or []) if a == action), None)
        reason = reasons.get(action) or action_phrase(step)
        plan["step_index"], plan["step_action"] = index, action
        retry = f" (grasp attempt {attempt + 1})" if attempt else ""
        self.status("info", "step", f"{action}{retry}: {reason}", id=plan.get("id"), index=index,
                    action=action, step_reason=reason, total=len(plan.get("plan") or []))

    def run_plan(self, plan: dict) -> None:
        goal_id = plan.get("id")
        try:
            deadline = time.monotonic() + float(self.p["joint_state_timeout_s"])
            while self.joints is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.joints is None:
                self.refuse("plan", "no joint states from the arm; is the controller running?", id=goal_id,
                            code="no_joint_states")
                return
            if self.p["rehearse"] and not self.rehearse(plan):
                return
            self.status("info", "executing", f"{len(plan.get('plan') or [])} steps for {plan['goal']}",
                        id=goal_id, plan=plan.get("plan"), explanation=plan.get("explanation"))
            report = self.runner.execute(plan["goal"], given_plan=[str(a) for a in plan.get("plan") or []],
                                         given_planner=str(plan.get("planner") or "planner_node"))
            data = report.to_dict()
            data.pop("trace", None)
            level = "info" if report.success else ("warning" if report.status.value == "stopped" else "refused")
            self.status(level, "done", report.reason or report.status.value, id=goal_id, success=report.success,
                        outcome=report.status.value, steps=report.steps, replans=data["replan_causes"],
                        final_state=data["final_state"], wall_time_s=data["wall_time_s"])
        except LamError as exc:  # e.g. no fresh world state within stale_timeout_s: nothing moves
            self.status("refused", "done", f"execution stopped: {exc}", id=goal_id, success=False,
                        outcome="failed")
        except Exception as exc:  # noqa: BLE001 - the node must outlive a failed task
            self.get_logger().error(f"execution crashed: {exc!r}")
            self.status("error", "done", f"internal error: {type(exc).__name__}: {exc}"[:500], id=goal_id,
                        success=False, outcome="error")

    def rehearse(self, plan: dict) -> bool:
        """Run the plan in a PyBullet twin of the observed scene; True when it succeeds there."""
        from ..execution.controller import PyBulletArmController
        from ..sim.ground_truth import GroundTruthObserver
        from ..sim.world import SimWorld

        observed = self.observer.observe()
        self.status("info", "rehearsing", "running the plan in a simulated twin of the perceived scene first",
                    id=plan.get("id"))
        try:
            with SimWorld.from_scene(observed.scene, seed=0) as twin:
                with Executor(GroundTruthObserver(twin, self.domain), PyBulletArmController(twin), self.domain,
                              self.p["planner"], max_replans=0) as rehearsal:
                    report = rehearsal.execute(plan["goal"])
        except LamError as exc:
            self.refuse("rehearsal", f"the twin could not be built: {exc}", id=plan.get("id"), code="rehearsal")
            return False
        if not report.success:
            self.refuse("rehearsal", f"rehearsal failed, the arm did not move: {report.reason or report.status.value}",
                        id=plan.get("id"), code="rehearsal", trace=[t.to_dict() for t in report.trace][-3:])
            return False
        self.status("info", "rehearsed", f"{report.steps} steps succeeded in the twin in {report.sim_time_s:.1f} "
                    "simulated s", id=plan.get("id"))
        return True

    def destroy_node(self):
        if self.worker is not None and self.worker.is_alive():
            self.runner.estop()
            self.worker.join(timeout=2.0)
        self.runner.close()
        return super().destroy_node()


def main(args=None) -> int:
    return run_node(ExecutorNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
