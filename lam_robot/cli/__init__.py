"""The ``lam-robot`` command line.

Each subcommand lives in its own module under :mod:`lam_robot.cli` and
exposes ``register(subparsers)``; the module adds its parser and sets
``func`` to a callable taking the parsed arguments and returning an exit
code. Exit codes: 0 success, 2 refused or bad input, 1 an internal error.
No user input ever ends in a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import LamError

#: Subcommand modules, in help order. Add a module here to add commands.
COMMAND_MODULES = (
    "lam_robot.cli.plan",
    "lam_robot.cli.demo",
    "lam_robot.cli.sim",
    "lam_robot.cli.perception",
    "lam_robot.cli.graph",
    "lam_robot.cli.language",
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_REFUSED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lam-robot",
        description="Spoken or typed instructions to checked, planned, explained robot actions.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_REFUSED
    try:
        return int(args.func(args))
    except LamError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
