"""``translator_node``: instruction + world state -> checked goal, refusal or clarifying question.

Subscribes:
    ``instruction`` (std_msgs/String): the person's words, or JSON ``{"text", "id"}``.
    ``world_state`` (std_msgs/String, latched): the scene JSON.
Publishes:
    ``goal`` (std_msgs/String): ``TranslationResult.to_dict()`` plus ``id`` and
        ``instruction``, only for goals that passed the guardrail.
    ``status`` (std_msgs/String): refusals and clarifying questions (``level``
        ``refused`` with ``question`` and ``candidates`` for a question).
"""

from __future__ import annotations

import time

from std_msgs.msg import String

from ..graph import TOPICS, TRANSLATOR
from ..language import get_translator
from ..scene import scene_from_dict
from ..symbolic.domain import load_domain
from .common import QOS, LamNode, WaitingRequests, request_from_text, run_node, to_json_msg


class TranslatorNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(TRANSLATOR, **kwargs)
        self.domain = load_domain(self.p["domain"] or None)
        try:
            self.translator = get_translator(self.p["backend"])
        except Exception as exc:  # noqa: BLE001 - an unusable backend must not stop the graph
            self.status("error", "backend", f"{exc}; falling back to the rule parser")
            self.translator = get_translator("rules")
        self.scene = None
        self.state_stamp = None
        self.waiting = WaitingRequests()
        self.goal_pub = self.create_publisher(String, TOPICS["goal"], QOS["command"])
        self.create_subscription(String, TOPICS["world_state"],
                                 self.guarded("world_state", self.on_world_state), QOS["state"])
        self.create_subscription(String, TOPICS["instruction"],
                                 self.guarded("instruction", self.on_instruction), QOS["command"])
        self.create_timer(0.5, self.guarded("instruction", self.on_timer))
        self.get_logger().info(f"translator ready (backend {self.translator.name})")

    def on_world_state(self, msg: String) -> None:
        data = self.parse_json(msg, "world state")
        self.scene = scene_from_dict(data, self.domain)
        self.state_stamp = data.get("stamp") if isinstance(data, dict) else None
        for request in self.waiting.take_all():
            self.translate(request)

    def on_instruction(self, msg: String) -> None:
        request = request_from_text(msg.data, int(self.p["max_message_bytes"]), "text", "instruction")
        if self.scene is None:
            self.waiting.add(request)
            self.status("info", "waiting", "instruction received before any world state; waiting for one",
                        id=request["id"])
            return
        self.translate(request)

    def on_timer(self) -> None:
        for request in self.waiting.expired(float(self.p["goal_wait_s"])):
            self.refuse("instruction", f"no world state arrived within goal_wait_s={self.p['goal_wait_s']} s",
                        id=request["id"], code="no_world_state")

    def translate(self, request: dict) -> None:
        result = self.translator.translate(request["text"], self.scene, self.domain)
        data = result.to_dict()
        data.update({"id": request["id"], "instruction": request["text"], "stamp": time.time(),
                     "received_stamp": request.get("stamp"), "state_stamp": self.state_stamp})
        if result.ok:
            self.goal_pub.publish(to_json_msg(data))
            self.status("info", "translated", f"{result.goal_pddl}: {result.sentence}", id=request["id"],
                        goal=result.goal_pddl)
        elif result.status == "clarify":
            self.refuse("instruction", result.question or "ambiguous", id=request["id"], code="clarify",
                        question=result.question, candidates=data["candidates"])
        else:
            self.refuse("instruction", result.reason or "refused", id=request["id"],
                        code=result.error_code or "refused")


def main(args=None) -> int:
    return run_node(TranslatorNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
