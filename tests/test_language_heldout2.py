"""The rule translator on the second held-out set (tests/data/instructions_heldout2.yaml).

214 instructions over four new scenes (tests/fixtures/scenes/ho2_*.yaml: blocks named by colour,
numbered blocks, descriptive names, a held block), written without reading the parser. Goals are
compared as guardrail-checked literal sets, as for the development and first held-out sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lam_robot.language import translate
from lam_robot.language.dataset import load_cases, score

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
    right = {"ok": 0, "refused": 0, "clarify": 0}
    total = {"ok": 0, "refused": 0, "clarify": 0}
    wrong = []
    unsafe = []
    for case in items:
        scene = scenes[case.scene_name]
        result = translate(case.text, scene, domain)
        total[case.expect] += 1
        if score(case, result, scene, domain):
            right[case.expect] += 1
            continue
        wrong.append(f"[{case.scene_name}] {case.text!r}: want {case.expect} {case.goal or case.candidates or ''}"
                     f" got {result.status} {result.goal_pddl or ''} {result.reason or ''}")
        if case.expect != "ok" and result.ok:
            unsafe.append(wrong[-1])
    print(f"held-out 2: goals {right['ok']}/{total['ok']}, refusals {right['refused']}/{total['refused']}, "
          f"clarifications {right['clarify']}/{total['clarify']}")
    for line in wrong:
        print("  FAIL", line)
    assert not unsafe, "a goal where none was expected:\n" + "\n".join(unsafe)
    assert right["ok"] / total["ok"] >= MIN_GOAL_ACCURACY, "\n".join(wrong)
    assert right["refused"] == total["refused"], "\n".join(wrong)
    assert right["clarify"] == total["clarify"], "\n".join(wrong)
