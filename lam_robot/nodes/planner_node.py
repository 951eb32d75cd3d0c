"""``planner_node``: goal + world state -> validated plan with a reason for every step.

Subscribes:
    ``world_state`` (std_msgs/String, latched): the scene JSON from
        ``Scene.to_json()`` or ``WorldState.to_dict()``.
    ``goal`` (std_msgs/String): a bare PDDL goal, or JSON ``{"goal": PDDL,
        "id": ..., "instruction": ..., "world_state": {...}}`` (an embedded
        world state overrides the latched one for this goal).
Publishes:
    ``plan`` (std_msgs/String, latched): ``PlanResult.to_dict()`` plus ``id``,
        ``goal_sentence`` and the world state's ``state_stamp``; only plans
        that passed the guardrail and the validator.
    ``status`` (std_msgs/String): refusals (guardrail, unsolvable, bad input)
        and progress, as JSON ``{node, level, event, reason, ...}``.
"""

from __future__ import annotations

import time
import uuid

from std_msgs.msg import String

from ..errors import LamError
from ..graph import PLANNER, TOPICS
from ..planning import plan_request
from ..scene import scene_from_dict
from ..symbolic.domain import load_domain
from ..verbalize import goal_sentence
from visualization_msgs.msg import MarkerArray

from .common import QOS, BadMessage, LamNode, parse_json_text, run_node, to_json_msg
from .markers import grasp_marker


class PlannerNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(PLANNER, **kwargs)
        self.domain = load_domain(self.p["domain"] or None)
        self.state: dict | None = None      # the latest world state, parsed
        self.scene = None
        self.pending: tuple[dict, float] | None = None  # (goal request, arrival time)
        self.plan_pub = self.create_publisher(String, TOPICS["plan"], QOS["state"])
        self.marker_pub = self.create_publisher(MarkerArray, TOPICS["plan_markers"], QOS["state"])
        self.create_subscription(String, TOPICS["world_state"],
                                 self.guarded("world_state", self.on_world_state), QOS["state"])
        self.create_subscription(String, TOPICS["goal"], self.guarded("goal", self.on_goal), QOS["command"])
        self.create_timer(0.5, self.guarded("goal", self.on_timer))
        self.get_logger().info(f"planner ready (backend {self.p['planner']})")

    # -- callbacks --------------------------------------------------------
    def on_world_state(self, msg: String) -> None:
        data = self.parse_json(msg, "world state")
        scene = scene_from_dict(data, self.domain)  # raises SceneError on an inconsistent state
        self.state, self.scene = data, scene
        if self.pending is not None:
            request, _ = self.pending
            self.pending = None
            self.plan(request)

    def on_goal(self, msg: String) -> None:
        request = self.read_goal(msg.data)
        if "world_state" in request:
            self.plan(request)
        elif self.scene is None:
            self.pending = (request, time.monotonic())
            self.status("info", "waiting", "goal received before any world state; waiting for one",
                        id=request["id"])
        else:
            self.plan(request)

    def on_timer(self) -> None:
        if self.pending is None:
            return
        request, since = self.pending
        if time.monotonic() - since > float(self.p["goal_wait_s"]):
            self.pending = None
            self.refuse("goal", f"no world state arrived within goal_wait_s={self.p['goal_wait_s']} s",
                        id=request["id"], code="no_world_state")

    # -- conversion -------------------------------------------------------
    def read_goal(self, text: str) -> dict:
        """A goal request ``{"goal", "id", ...}`` from PDDL or JSON text."""
        max_bytes = int(self.p["max_message_bytes"])
        stripped = text.strip() if isinstance(text, str) else ""
        if stripped.startswith("("):
            if len(stripped.encode()) > max_bytes:
                raise BadMessage(f"goal of {len(stripped.encode())} bytes exceeds max_message_bytes={max_bytes}")
            return {"goal": stripped, "id": uuid.uuid4().hex[:8]}
        data = parse_json_text(text, max_bytes, "goal")
        if not isinstance(data, dict):
            raise BadMessage("goal JSON must be an object such as {\"goal\": \"(on red blue)\"}")
        goal = data.get("goal", data.get("goal_pddl"))
        if not isinstance(goal, str) or not goal.strip():
            raise BadMessage("goal JSON has no 'goal' string (PDDL text)")
        request = dict(data)
        request["goal"] = goal
        request["id"] = str(data.get("id") or uuid.uuid4().hex[:8])
        return request

    def plan(self, request: dict) -> None:
        goal_id = request["id"]
        state = self.state
        scene = self.scene
        if "world_state" in request:
            state = request["world_state"]
            if not isinstance(state, dict):
                raise BadMessage("embedded world_state must be a JSON object")
            scene = scene_from_dict(state, self.domain)
        max_age = float(self.p["max_state_age_s"])
        stamp = state.get("stamp") if isinstance(state, dict) else None
        if max_age > 0 and isinstance(stamp, (int, float)) and time.time() - stamp > max_age:
            self.refuse("goal", f"world state is {time.time() - stamp:.1f} s old (max_state_age_s={max_age})",
                        id=goal_id, code="stale_state")
            return
        self.status("info", "planning", f"planning for {request['goal']}", id=goal_id)
        try:
            result = plan_request(request["goal"], scene, self.domain, self.p["planner"], float(self.p["timeout_s"]))
        except LamError as exc:
            self.refuse("goal", str(exc), id=goal_id, code="bad_input")
            return
        data = result.to_dict()
        data.update({
            "id": goal_id,
            "goal_text": request["goal"],
            "instruction": request.get("instruction"),
            "goal_sentence": goal_sentence(result.goal, scene) if result.goal else None,
            "state_stamp": stamp,
            "uncertain": state.get("uncertain", []) if isinstance(state, dict) else [],
            "stamp": time.time(),
        })
        if not result.ok:
            error = data["error"] or {"code": result.status.value, "atom": None, "message": result.reason}
            self.refuse("goal", result.reason or result.status.value, id=goal_id, code=error.get("code"),
                        error=error, plan_status=result.status.value, goal=request["goal"])
            return
        self.plan_pub.publish(to_json_msg(data))
        self.marker_pub.publish(grasp_marker(data, state, self.get_clock().now().to_msg()))
        self.status("info", "planned", f"{len(result.plan)} steps from {result.planner} in {result.time_s:.3f} s",
                    id=goal_id, plan=data["plan"], explanation=data["explanation"])


def main(args=None) -> int:
    return run_node(PlannerNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
