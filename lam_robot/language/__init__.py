"""Language: spoken or typed instructions to checked PDDL goals.

Backends are chosen by name from :data:`TRANSLATORS`:

* ``rules``: the embedded semantic parser (offline, deterministic, the default);
* ``llama``: a local GGUF model through llama-cpp-python with grammar-constrained decoding;
* ``openai``: any OpenAI-compatible chat endpoint with structured output.

With a model backend the default is a cascade: the rule parser first, the
model only for what the rules cannot parse, the guardrail over both.

Example:
    >>> result = translate("put the red block on the blue one", scene, domain)
    >>> result.status, result.goal_pddl
    ('ok', '(and (on red blue))')
"""

from __future__ import annotations

from typing import Callable, Mapping

from ..errors import LamError
from ..scene import Scene
from ..symbolic.domain import Domain
from .base import Translator, checked_result
from .result import TranslationResult, TranslationStatus, clarify, refused
from .rules_backend import RulesTranslator

__all__ = ["TRANSLATORS", "TranslationResult", "TranslationStatus", "Translator", "checked_result",
           "clarify", "get_translator", "refused", "translate"]


def _llama(**options) -> Translator:
    from .llm import LlamaTranslator
    return LlamaTranslator(**options)


def _openai(**options) -> Translator:
    from .llm import OpenAITranslator
    return OpenAITranslator(**options)


#: Backend name -> factory taking keyword options.
TRANSLATORS: Mapping[str, Callable[..., Translator]] = {
    "rules": RulesTranslator,
    "llama": _llama,
    "openai": _openai,
}


class UnknownTranslatorError(LamError, ValueError):
    """A translator name not in :data:`TRANSLATORS`."""


def get_translator(name: str = "rules", cascade: bool | None = None, **options) -> Translator:
    """A translator by registry name.

    Args:
        name: a key of :data:`TRANSLATORS`.
        cascade: for model backends, put the rule parser in front (default True).
        **options: backend options (``model_path``, ``base_url``, ``max_repairs``...).

    Raises:
        UnknownTranslatorError: for an unknown name.
    """
    if name not in TRANSLATORS:
        raise UnknownTranslatorError(f"unknown translator {name!r}; choose one of: {', '.join(TRANSLATORS)}")
    translator = TRANSLATORS[name](**options)
    if name != "rules" and (cascade is None or cascade):
        from .cascade import CascadeTranslator
        translator = CascadeTranslator(RulesTranslator(), translator)
    return translator


def translate(instruction: str, scene: Scene, domain: Domain, backend: str | Translator = "rules",
              **options) -> TranslationResult:
    """Translate one instruction into a checked goal, a refusal or a clarifying question.

    Args:
        instruction: the person's words.
        scene: the grounded scene.
        domain: the planning domain.
        backend: a name from :data:`TRANSLATORS` or a ready :class:`Translator` (reuse a loaded model).
        **options: passed to the backend factory (see :func:`get_translator`).

    Returns:
        A :class:`TranslationResult`; never raises for any instruction text.
    """
    translator = backend if isinstance(backend, Translator) else get_translator(backend, **options)
    return translator.translate(instruction, scene, domain)
