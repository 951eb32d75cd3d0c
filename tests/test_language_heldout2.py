"""The rule translator on the second held-out set (tests/data/instructions_heldout2.yaml).

214 instructions over four new scenes (tests/fixtures/scenes/ho2_*.yaml: blocks named by colour,
numbered blocks, descriptive names, a held block), written without reading the parser. Goals are
compared as guardrail-checked literal sets, as for the development and first held-out sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.language.dataset import load_cases
from language_asserts import assert_generalises

HELDOUT2 = Path(__file__).resolve().parent / "data" / "instructions_heldout2.yaml"

#: First run on the untouched parser: 187/214 (87.4%): goals 129/152, refusals 38/41,
#: clarifications 20/21 (two of the misses were unsafe: "under the table" and "on the floor" read
#: as the table). The failures fell into eleven phenomena (swap; stack-position, comparative and
#: colour-clause descriptions; disfluencies and repairs; disambiguating sources and landmarks;
#: "the rest"; "nothing on it" for clear; trailing contrasts; spoken names; unusable places;
#: "in there"; one block in both bins), each fixed as a phenomenon and specified with further
#: phrasings in tests/test_language_phenomena.py. After the fixes: 214/214 (100%). No expectation
#: in the data file was changed. Since the set was then used for development, the threshold leaves
#: a margin: it guards against regressions, it no longer measures generalisation.
MIN_GOAL_ACCURACY = 0.97


@pytest.fixture(scope="module")
def heldout2(domain):
    return load_cases(HELDOUT2, domain=domain)


def test_heldout2_set_is_large_and_covers_every_outcome(heldout2):
    items, scenes = heldout2
    assert len(items) >= 200
    assert len(scenes) == 4
    assert {c.expect for c in items} == {"ok", "refused", "clarify"}


def test_rules_generalise_to_heldout2_instructions(heldout2, domain):
    """Goal accuracy above the threshold; every refusal right; every clarification right."""
    items, scenes = heldout2
    assert_generalises("held-out 2", items, scenes, domain, MIN_GOAL_ACCURACY)
