"""Speech: real espeak-ng audio through real pocketsphinx, then the translator and the planner."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from lam_robot.cli import main
from lam_robot.language import translate
from lam_robot.planning import plan_goal

pytest.importorskip("pocketsphinx", reason="speech recognition needs `pip install pocketsphinx`")
if shutil.which("espeak-ng") is None:
    pytest.skip("test audio is made with espeak-ng (apt-get install espeak-ng)", allow_module_level=True)

from lam_robot.language import speech  # noqa: E402


@pytest.fixture(scope="module")
def engine():
    return speech.PocketSphinxEngine()


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("speech")


def test_scene_grammar_is_accepted_by_pocketsphinx(domain, tower3, trays, sussman, holding):
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=16000, loglevel="FATAL")
    for scene in (tower3, trays, sussman, holding):
        grammar = speech.make_grammar(scene, domain, lambda w: decoder.lookup_word(w) is not None)
        assert "tray" in grammar or scene is not tower3
        decoder.add_jsgf_string("scene", grammar)  # raises on a malformed grammar


@pytest.mark.parametrize("scene_name,text,goal", [
    ("trays", "put the red block in the left tray", "(in red_block left_tray)"),
    ("tower3", "pick up the green block", "(holding green)"),
    ("tower3", "stack red on blue on green", "(and (on red blue) (on blue green))"),
])
def test_audio_file_to_text_to_goal_to_plan(scene_name, text, goal, engine, audio_dir, domain, request):
    """espeak-ng WAV -> pocketsphinx with the scene grammar -> rules -> guardrail -> validated plan."""
    from lam_robot.guardrail import check_goal
    from lam_robot.language.dataset import goal_key

    scene = request.getfixturevalue(scene_name)
    wav = speech.synthesize(text, audio_dir / f"{scene_name}.wav", voice="en-us", speed_wpm=130)
    heard = speech.transcribe(wav, scene, domain, engine=engine)
    assert heard.used_grammar and 0.0 < heard.confidence <= 1.0
    assert speech.word_error_rate(text, heard.text) <= 0.34, heard.text
    result = translate(heard.text, scene, domain)
    assert result.ok, (heard.text, result.reason, result.question)
    assert goal_key(result.goal) == goal_key(check_goal(goal, scene, domain).goal)
    plan = plan_goal(result.goal, scene.object_types, scene.facts, domain, scene=scene)
    assert plan.ok and plan.plan, plan.reason


def test_samples_at_another_rate_are_resampled(engine, audio_dir, domain, tower3):
    """An audio topic delivers raw samples; 22.05 kHz float samples work like a file."""
    raw = speech.speak("clear the red block", audio_dir / "raw.wav", voice="en-us", speed_wpm=130)
    samples, rate = speech.load_wav(raw)
    assert rate != speech.SAMPLE_RATE_HZ
    heard = speech.transcribe(samples / 32768.0, tower3, domain, engine=engine, rate_hz=rate)
    assert translate(heard.text, tower3, domain).ok, heard.text


def test_empty_and_silent_audio_give_a_reason_not_a_traceback(engine, audio_dir, domain, tower3):
    empty = speech.transcribe(np.zeros(0, dtype=np.int16), tower3, domain, engine=engine)
    silent = speech.transcribe(np.zeros(32000, dtype=np.int16), tower3, domain, engine=engine)
    assert empty.text == "" and "empty" in empty.reason
    assert silent.text == "" and "silent" in silent.reason
    assert translate(silent.text, tower3, domain).status == "refused"
    not_wav = audio_dir / "not.wav"
    not_wav.write_text("this is not audio")
    with pytest.raises(speech.AudioError):
        speech.transcribe(not_wav, tower3, domain, engine=engine)


def test_noise_and_out_of_grammar_speech_never_become_an_unchecked_goal(engine, audio_dir, domain, tower3):
    rng = np.random.default_rng(1)
    noise = speech.write_wav(audio_dir / "noise.wav", rng.normal(0, 3000, 32000).astype(np.int16))
    chat = speech.synthesize("what is the weather like in london today", audio_dir / "chat.wav")
    for wav in (noise, chat):
        heard = speech.transcribe(wav, tower3, domain, engine=engine)
        result = translate(heard.text, tower3, domain)
        assert result.status in ("ok", "refused", "clarify")
        if result.ok:  # whatever was heard, only a checked goal over real objects comes out
            assert set(result.goal.atoms()) and all(
                a in tower3.objects for atom in result.goal.atoms() for a in atom.args)


def test_speak_writes_a_wav(audio_dir):
    path = speech.speak("I can't do that: there is no purple block.", audio_dir / "say.wav")
    samples, rate = speech.load_wav(path)
    assert rate > 8000 and samples.size > rate // 2


def test_word_error_rate():
    assert speech.word_error_rate("put the red block", "put the red block") == 0
    assert speech.word_error_rate("put the red block", "put red block") == 0.25
    assert speech.word_error_rate("", "") == 0


def test_listen_cli(audio_dir, capsys):
    wav = speech.synthesize("pick up the green block", audio_dir / "cli.wav", voice="en-us", speed_wpm=130)
    code = main(["listen", "--scene", "sim/scenes/tower3.yaml", str(wav), "--translate", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert data["transcript"]["used_grammar"] and data["status"] == "ok" and "(holding green)" in data["goal"]
    code = main(["listen", "--scene", "sim/scenes/tower3.yaml", str(audio_dir / "missing.wav"), "--json"])
    assert code == 2 and json.loads(capsys.readouterr().out)["status"] == "refused"


def test_make_audio_script(tmp_path):
    import runpy

    script = runpy.run_path("tests/data/make_audio.py")
    assert script["main"](["--out", str(tmp_path), "--limit", "1", "--voices", "1"]) == 0
    index = json.loads((tmp_path / "index.json").read_text())
    assert len(index) == 3 and all((tmp_path / item["file"]).exists() for item in index)


@pytest.mark.parametrize("voice,wpm", [("en-us", 130), ("en-gb", 140)])
def test_spoken_instructions_in_two_voices_decode_to_the_right_goals(voice, wpm, engine, audio_dir, domain,
                                                                     tower3, trays):
    """Real espeak-ng audio in two voices through the scene grammar: the goal, not just the words."""
    from lam_robot.guardrail import check_goal
    from lam_robot.language.dataset import goal_key

    cases = [(tower3, "put the green block on the blue block", "(on green blue)"),
             (tower3, "pick up the red block", "(holding red)"),
             (trays, "put the blue block in the left tray", "(in blue_block left_tray)")]
    for k, (scene, text, goal) in enumerate(cases):
        wav = speech.synthesize(text, audio_dir / f"{voice}_{k}.wav", voice=voice, speed_wpm=wpm)
        heard = speech.transcribe(wav, scene, domain, engine=engine)
        assert heard.used_grammar and 0.0 < heard.confidence <= 1.0, heard
        result = translate(heard.text, scene, domain)
        assert result.ok, (text, heard.text, result.reason)
        assert goal_key(result.goal) == goal_key(check_goal(goal, scene, domain).goal), (text, heard.text)
