"""ament_python package: builds with colcon on a ROS 2 install and with pip in a venv."""

from glob import glob
from pathlib import Path

from setuptools import find_packages, setup

PACKAGE = "lam_robot"
NODES = ["planner", "sim", "perception", "grounding", "asr", "translator", "executor", "recorder"]


def tree(folder: str):
    """(install dir, files) pairs so colcon installs pddl/, sim/ and launch/ under share/."""
    pairs = {}
    for path in Path(folder).rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            pairs.setdefault(f"share/{PACKAGE}/{path.parent}", []).append(str(path))
    return sorted(pairs.items())


setup(
    name=PACKAGE,
    version="0.1.0",
    packages=find_packages(exclude=["tests", "tests.*", "bench"]),
    include_package_data=True,
    package_data={PACKAGE: ["models/*", "models/**/*"]},
    data_files=[
        ("share/ament_index/resource_index/packages", [f"resource/{PACKAGE}"]),
        (f"share/{PACKAGE}", ["package.xml"]),
        (f"share/{PACKAGE}/launch", glob("launch/*.py")),
        *tree("pddl"),
        *tree("sim"),
    ],
    install_requires=["setuptools", "pyyaml", "numpy", "tqdm"],
    zip_safe=False,
    maintainer="lam_robot maintainers",
    maintainer_email="maintainers@lam-robot.dev",
    description="Spoken instructions to validated, explained robot plans (ROS 2).",
    license="Apache-2.0",
    entry_points={
        "console_scripts": [
            "lam-robot = lam_robot.cli:main",
            *[f"{n}_node = lam_robot.nodes.{n}_node:main" for n in NODES],
        ],
    },
)
