"""The cascade: the rule parser first, a model only for what the rules cannot parse.

A rule answer that is a goal, a question, or a refusal for a known reason
(an unknown object, an unsafe verb, an attempt to change the rules, a goal
the guardrail rejects) stands: the model is not asked to second-guess it.
Only "I do not understand" is passed on; the model's answer then goes
through the same guardrail.
"""

from __future__ import annotations

import re

from ..scene import Scene
from ..symbolic.domain import Domain
from .base import Translator
from .result import TranslationResult

#: Rule refusal codes the model may try to do better on.
PASS_ON_CODES = frozenset({"not_understood"})


def mentions_scene(text: str, scene: Scene) -> bool:
    """Whether ``text`` names something in the scene (a colour, a kind, a name word).

    Text that names nothing on the table ("asdf", "make me a coffee") is not worth
    a model call: a small model asked anyway tends to invent a goal.
    """
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    vocab = set()
    for name, obj in scene.objects.items():
        vocab |= set(re.split(r"[_\-]", name)) | {obj.color or "", obj.kind or "", obj.type}
    vocab |= {"block", "blocks", "cube", "cubes", "one", "ones", "everything", "tower", "stack"}
    vocab.discard("")
    return bool(words & {w for w in vocab if len(w) > 1} or words & set(scene.objects))


class CascadeTranslator(Translator):
    """``rules`` then ``model``; reported backend is ``rules`` or ``cascade:<model>``."""

    def __init__(self, rules: Translator, model: Translator):
        self.rules = rules
        self.model = model
        self.name = f"cascade:{model.name}"

    def _translate(self, instruction: str, scene: Scene, domain: Domain) -> TranslationResult:
        first = self.rules.translate(instruction, scene, domain)
        if first.status != "refused" or first.error_code not in PASS_ON_CODES:
            return first
        if not mentions_scene(instruction, scene):
            first.reason = f"{first.reason} (and it names nothing in the scene)"
            return first
        second = self.model.translate(instruction, scene, domain)
        second.backend = self.name
        if second.status == "refused" and second.error_code in ("model_unavailable",):
            first.reason = f"{first.reason} (and the model is unavailable: {second.reason})"
            return first
        return second

    def close(self) -> None:
        self.model.close()
