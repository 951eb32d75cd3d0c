"""Linters as tests (the ROS 2 way): flake8 over the package, tests and benchmarks."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_flake8_is_clean():
    proc = subprocess.run([sys.executable, "-m", "flake8", "lam_robot", "tests", "bench", "launch", "setup.py"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, "flake8 found problems:\n" + proc.stdout + proc.stderr
