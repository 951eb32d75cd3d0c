"""The scene JSGF grammar as pocketsphinx reads it: which sentences it admits, and its prior weights.

Text-level checks use pocketsphinx's own JSGF compiler and finite-state grammar (``FsgModel.accept``),
so they test the grammar the recogniser searches, not a copy of it. Two audio checks (real espeak-ng,
real pocketsphinx) show the weights at work on voices the unweighted grammar mishears.
"""

from __future__ import annotations

import re
import shutil

import pytest

from lam_robot.language import translate
from lam_robot.language.grammar_jsgf import _spoken_name, build_grammar
from lam_robot.scene import load_scene

pocketsphinx = pytest.importorskip("pocketsphinx", reason="speech recognition needs `pip install pocketsphinx`")


@pytest.fixture(scope="module")
def decoder():
    return pocketsphinx.Decoder(samprate=16000, loglevel="FATAL")


@pytest.fixture(scope="module")
def scenes(domain, tower3, trays):
    from lam_robot.resources import find_resource

    def load(rel):
        return load_scene(find_resource(rel) if not rel.startswith("tests/") else rel, domain)

    return {"tower3": tower3, "trays": trays, "twins": load("tests/data/scenes/twins.yaml"),
            "zones": load("tests/fixtures/scenes/ho_zones.yaml"), "bowls": load("tests/fixtures/scenes/ho_bowls.yaml"),
            "kitchen": load("tests/fixtures/scenes/ho_kitchen.yaml"),
            "workshop": load("tests/fixtures/scenes/ho_workshop.yaml")}


_FSGS = {}


def _fsg(scene, domain, decoder, tmp_path):
    """pocketsphinx's finite-state form of the scene grammar (built once per scene)."""
    if scene.name not in _FSGS:
        path = tmp_path / "scene.gram"
        path.write_text(build_grammar(scene, domain, lambda w: decoder.lookup_word(w) is not None))
        jsgf = pocketsphinx.Jsgf(str(path))
        _FSGS[scene.name] = jsgf.build_fsg(jsgf.get_rule("lam_robot.utterance"), pocketsphinx.LogMath(), 6.5)
    return _FSGS[scene.name]


@pytest.mark.parametrize("scene_name,text", [
    ("tower3", "put the red block under the blue block"),
    ("tower3", "from top to bottom red blue green"),
    ("tower3", "make a tower of red blue and green from bottom to top"),
    ("tower3", "blue on green red on blue"),
    ("tower3", "set the green cube on the table"),
    ("tower3", "remove the block on top of the red block"),
    ("trays", "move the yellow block from the tray to the bin"),
    ("trays", "put the red block and the yellow block in the bin"),
    ("trays", "put the red block in the bin and the blue block in the tray"),
    ("trays", "um could you please put the blue block in the bin thanks a lot"),
    ("trays", "put red block in left tray"),
    ("twins", "put the two red blocks in the bin"),
    ("twins", "put both red blocks in the tray"),
    ("zones", "move cube one to zone b"),
    ("zones", "the yellow cube goes into zone b"),
    ("bowls", "hey can you put x into the blue bowl"),
    ("kitchen", "put the orange block on the plate"),
])
def test_grammar_admits_how_people_phrase_instructions(scene_name, text, scenes, domain, decoder, tmp_path):
    fsg = _fsg(scenes[scene_name], domain, decoder, tmp_path)
    assert fsg.accept(text), text
    assert translate(text, scenes[scene_name], domain).ok, text  # and the parser reads what the grammar admits


@pytest.mark.parametrize("scene_name,text", [
    ("tower3", "put both red blocks in the tray"),    # one red block: "both"/plural colour is not a thing to say
    ("tower3", "put the red blocks on the other blue block"),
    ("tower3", "put the red block in the bin"),        # tower3 has a tray, no bin
    ("trays", "put the red block in the green"),        # "in" takes a region
    ("tower3", "what is the weather like"),
    ("workshop", "put a on the white block"),           # block_a: the letter "a" alone is the article
    ("workshop", "grab a"),
    ("tower3", "build a tower of red on it"),           # a tower is built of named blocks, not of "it"
])
def test_grammar_rejects_what_cannot_be_meant_in_the_scene(scene_name, text, scenes, domain, decoder, tmp_path):
    assert not _fsg(scenes[scene_name], domain, decoder, tmp_path).accept(text), text


def test_a_letter_that_is_also_a_word_is_a_name_only_after_a_noun(scenes, domain, decoder, tmp_path):
    """block_a is "block a"; bowls' x, y, z stay speakable alone ("put x into the blue bowl")."""
    fsg = _fsg(scenes["workshop"], domain, decoder, tmp_path)
    assert fsg.accept("put block a in the bin")
    assert translate("put block a in the bin", scenes["workshop"], domain).ok
    assert _fsg(scenes["bowls"], domain, decoder, tmp_path).accept("stack z on y")


def test_rare_optional_phrases_cost_more_than_they_did_for_free(scenes, domain):
    """A second destination, a source after "put X" and "back/down/again" are rare: each optional phrase
    carries a prior, so "on it" is not inserted between a block and its destination for nothing."""
    grammar = build_grammar(scenes["trays"], domain)
    place = next(line for line in grammar.splitlines() if line.startswith("<place> ="))
    assert "<destination> [<destination>]" not in place and "<place_verb> <things> [back" not in place
    assert re.search(r"\(/[0-9.e-]+/ <destination> \| /[0-9.e-]+/ <NULL>\)", place)


def test_grammar_carries_prior_weights_unless_asked_not_to(scenes, domain):
    weighted = build_grammar(scenes["trays"], domain)
    flat = build_grammar(scenes["trays"], domain, weighted=False)
    assert re.search(r"/[0-9.e-]+/ <place>", weighted)
    assert not re.search(r"/[0-9.e-]+/", flat)


def test_names_with_digits_and_letters_are_spoken_as_words():
    assert _spoken_name("cube1") == "cube one"
    assert _spoken_name("zone_b") == "zone b"
    assert _spoken_name("block_3") == "block three"
    assert _spoken_name("left_tray") is None and _spoken_name("x") is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="test audio is made with espeak-ng")
@pytest.mark.parametrize("scene_name,voice,wpm,text,goal", [
    ("trays", "en", 140, "put the blue block in the bin", "(in blue_block right_bin)"),
    ("tower3", "en-gb", 140, "put the green block on the blue block", "(on green blue)"),
])
def test_weighted_grammar_hears_the_ordinary_phrasing(scene_name, voice, wpm, text, goal, scenes, domain,
                                                      tmp_path):
    """Audio the flat grammar (every path equally likely) heard as "let's um a blue block is on blue" and
    "blocks on green and blocks on the blue block": the priors keep the ordinary phrasing."""
    from lam_robot.guardrail import check_goal
    from lam_robot.language import speech
    from lam_robot.language.dataset import goal_key

    scene = scenes[scene_name]
    wav = speech.synthesize(text, tmp_path / "say.wav", voice=voice, speed_wpm=wpm)
    heard = speech.transcribe(wav, scene, domain, engine=speech.PocketSphinxEngine())
    assert heard.source == "grammar", heard
    result = translate(heard.text, scene, domain)
    assert result.ok, (heard.text, result.reason)
    assert goal_key(result.goal) == goal_key(check_goal(goal, scene, domain).goal), heard.text
