"""``asr_node``: audio -> instruction text.

Subscribes:
    ``audio/path`` (std_msgs/String): a WAV file path, or JSON ``{"path", "id"}``.
    ``audio/samples`` (std_msgs/Float32MultiArray): mono samples in [-1, 1] at
        ``sample_rate_hz``.
    ``world_state`` (std_msgs/String, latched): the scene, whose object words
        bias recognition.
Publishes:
    ``instruction`` (std_msgs/String): JSON ``{"text", "id", "source": "asr", ...}``.
    ``status`` (std_msgs/String): what was heard, or why nothing was.
"""

from __future__ import annotations

import os
import time
import uuid

from std_msgs.msg import Float32MultiArray, String

from ..graph import ASR, TOPICS
from ..resources import find_resource
from ..scene import load_scene, scene_from_dict
from ..symbolic.domain import load_domain
from .common import QOS, BadMessage, LamNode, request_from_text, run_node, to_json_msg

DEFAULT_SCENE = "sim/scenes/tower3.yaml"


class AsrNode(LamNode):
    def __init__(self, **kwargs):
        super().__init__(ASR, **kwargs)
        self.domain = load_domain(self.p["domain"] or None)
        self.scene = load_scene(find_resource(DEFAULT_SCENE), self.domain)  # vocabulary until a state arrives
        self.engine = None
        self.instruction_pub = self.create_publisher(String, TOPICS["instruction"], QOS["command"])
        self.create_subscription(String, TOPICS["world_state"],
                                 self.guarded("world_state", self.on_world_state), QOS["state"])
        self.create_subscription(String, TOPICS["audio_path"], self.guarded("audio", self.on_path), QOS["command"])
        self.create_subscription(Float32MultiArray, TOPICS["audio_samples"],
                                 self.guarded("audio", self.on_samples), QOS["command"])
        self.get_logger().info("asr ready")

    def on_world_state(self, msg: String) -> None:
        self.scene = scene_from_dict(self.parse_json(msg, "world state"), self.domain)

    def on_path(self, msg: String) -> None:
        request = request_from_text(msg.data, int(self.p["max_message_bytes"]), "path", "audio path")
        path = request["path"]
        if not os.path.isfile(path):
            raise BadMessage(f"no such audio file: {path[:200]}")
        self.transcribe(path, request)

    def on_samples(self, msg: Float32MultiArray) -> None:
        import numpy as np

        samples = np.asarray(msg.data, dtype=np.float32)
        rate = int(self.p["sample_rate_hz"])
        if samples.size == 0:
            raise BadMessage("empty audio")
        if samples.size > rate * 60:
            raise BadMessage(f"{samples.size / rate:.0f} s of audio is longer than 60 s")
        if not np.all(np.isfinite(samples)):
            raise BadMessage("audio samples contain NaN or infinity")
        self.transcribe(np.clip(samples, -1.0, 1.0), {"id": uuid.uuid4().hex[:8]})

    def transcribe(self, audio, request: dict) -> None:
        from ..language import speech

        if self.engine is None:
            self.engine = speech.get_engine(self.p["engine"])  # loaded once, on first use
        start = time.perf_counter()
        transcript = speech.transcribe(audio, self.scene, self.domain, engine=self.engine,
                                       rate_hz=int(self.p["sample_rate_hz"]))
        text = (transcript.text or "").strip()
        data = transcript.to_dict()
        data.update({"text": text, "id": request["id"], "source": "asr", "audio": request.get("path"),
                     "asr_time_s": round(time.perf_counter() - start, 3), "stamp": time.time()})
        if not text:
            self.refuse("audio", transcript.reason or "nothing intelligible was heard", id=request["id"],
                        code="no_speech")
            return
        self.instruction_pub.publish(to_json_msg(data))
        self.status("info", "heard", f"{text} (confidence {transcript.confidence:.2f})", id=request["id"])


def main(args=None) -> int:
    return run_node(AsrNode, args)


if __name__ == "__main__":
    raise SystemExit(main())
