"""Make test audio for the instruction set with espeak-ng (nothing is downloaded).

Each instruction is spoken in several voices and speeds, clean and with white
noise, as 16 kHz mono WAV files plus an index (``index.json``) mapping each
file to its scene, text and expected outcome. Audio is generated, never
committed: the default output is under /tmp.

    .venv/bin/python tests/data/make_audio.py --out /tmp/lam_robot_audio --limit 40
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tqdm import tqdm

from lam_robot.language.dataset import load_cases
from lam_robot.language.speech import synthesize

VOICES = [("en-us", 130), ("en", 140), ("en-us+m3", 130), ("en-gb", 150), ("en-us+f2", 120)]
NOISE_SNR_DB = (None, 20.0, 10.0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/lam_robot_audio")
    parser.add_argument("--limit", type=int, default=None, help="first N instructions with text")
    parser.add_argument("--voices", type=int, default=2, help="voices per instruction")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cases = [c for c in load_cases()[0] if c.text.strip()][:args.limit]
    index = []
    for case in tqdm(cases, desc="espeak-ng"):
        for k in range(args.voices):
            voice, wpm = VOICES[(case.index + k) % len(VOICES)]
            for snr in NOISE_SNR_DB:
                name = f"{case.index:03d}_{voice.replace('+', '_')}_{wpm}_{'clean' if snr is None else int(snr)}.wav"
                synthesize(case.text, out / name, voice, wpm, snr, seed=case.index)
                index.append({"file": name, "scene": case.scene_name, "text": case.text, "expect": case.expect,
                              "goal": case.goal, "voice": voice, "wpm": wpm, "snr_db": snr})
    (out / "index.json").write_text(json.dumps(index, indent=1))
    print(f"wrote {len(index)} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
