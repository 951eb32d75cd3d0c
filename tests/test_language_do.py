"""``lam-robot do``: words (typed or spoken) to executed motion in the real PyBullet simulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lam_robot.cli import main

pytest.importorskip("pybullet", reason="the simulator needs `pip install pybullet`")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scenes"


def test_typed_instruction_is_executed_and_explained(capsys):
    code = main(["do", "--scene", "tower3", "take the green block off the red one and put it in the tray",
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert data["translation"]["status"] == "ok" and data["translation"]["sentence"]
    assert data["success"] and data["moved"] and data["explanation"]


def test_refused_instruction_never_moves(capsys):
    code = main(["do", "--scene", "tower3", "put the purple block in the tray", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2
    assert data["translation"]["status"] == "refused" and not data["moved"]


def test_ambiguous_instruction_asks_and_never_moves(capsys):
    code = main(["do", "--scene", "tower3", "put the block in the tray"])
    out = capsys.readouterr().out
    assert code == 2 and "clarify:" in out and "no motion" in out


def test_a_plain_scene_file_takes_the_instruction_from_the_command_line(capsys):
    """A scene (objects and facts, no goal or instruction of its own) is enough when the user says what
    to do; without any instruction the answer is a clear error, not a crash."""
    scene = str(FIXTURES / "ho_five.yaml")
    code = main(["do", "--scene", scene, "put the orange block on the green block", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    assert data["success"] and data["translation"]["goal"] == "(and (handempty) (on orange_block green_block))"
    code = main(["do", "--scene", scene, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2 and "instruction" in data["reason"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="test audio is made with espeak-ng")
def test_spoken_instruction_is_executed(tmp_path, capsys):
    pytest.importorskip("pocketsphinx", reason="speech recognition needs pocketsphinx")
    from lam_robot.language.speech import synthesize

    wav = synthesize("pick up the green block", tmp_path / "say.wav", voice="en-us", speed_wpm=130)
    code = main(["do", "--scene", "tower3", "--audio", str(wav), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["transcript"]["text"], data
    assert code == 0, data
    assert data["translation"]["goal"] and "(holding green)" in data["translation"]["goal"]
