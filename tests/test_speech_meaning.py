"""The recogniser proposes, the translator and guardrail check: how a decode's meaning is ranked.

Among the decodes of one utterance (other paddings, the scene trigram model) the engine keeps the
first that becomes a checked goal, else one that leads to a question, never a refusal when something
better was heard. These tests pin the ranking on text, then show it on real espeak-ng audio.
"""

from __future__ import annotations

import shutil

import pytest

from lam_robot.language import speech, translate


def test_a_checked_goal_outranks_a_question_which_outranks_a_refusal(domain, tower3, trays):
    ok = speech.meaning_rank("get rid of the green block", tower3, domain)
    refused = speech.meaning_rank("get green on the green block", tower3, domain)  # a block on itself
    assert ok == speech.MEANING_RANKS["ok"] and refused == speech.MEANING_RANKS["refused"]
    assert translate("put the block in the bin", trays, domain).status == "clarify"
    assert speech.meaning_rank("put the block in the bin", trays, domain) == speech.MEANING_RANKS["clarify"]
    assert refused < speech.MEANING_RANKS["clarify"] < ok


def test_words_about_nothing_on_the_table_rank_lowest(domain, tower3):
    assert speech.meaning_rank("what is the weather like", tower3, domain) == speech.MEANING_RANKS["refused"]
    assert speech.meaning_rank("put the purple block on the blue block", tower3, domain) \
        < speech.MEANING_RANKS["ok"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="test audio is made with espeak-ng")
def test_and_then_is_not_heard_as_a_second_destination(domain, tower3, tmp_path):
    """ "... on the red block and then put ..." (voice en, 140 wpm) was heard as "... on the red block on it
    then put ...": the grammar offered a second destination for free. With a prior on that rare phrase
    the two steps come through and become both goals."""
    pytest.importorskip("pocketsphinx")
    from lam_robot.guardrail import check_goal
    from lam_robot.language.dataset import goal_key

    text = "put the blue block on the red block and then put the green block on the blue block"
    wav = speech.synthesize(text, tmp_path / "and_then.wav", voice="en", speed_wpm=140)
    heard = speech.transcribe(wav, tower3, domain, engine=speech.PocketSphinxEngine())
    assert heard.source == "grammar", heard
    result = translate(heard.text, tower3, domain)
    assert result.ok, (heard.text, result.reason)
    expected = check_goal("(and (on blue red) (on green blue))", tower3, domain).goal
    assert goal_key(result.goal) == goal_key(expected), heard.text
