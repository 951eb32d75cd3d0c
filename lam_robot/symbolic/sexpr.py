"""A small s-expression reader for PDDL text.

PDDL is Lisp-shaped; everything else in :mod:`lam_robot.symbolic` works on
the nested lists this module returns. Names are lower-cased because PDDL is
case-insensitive; ``;`` starts a comment.
"""

from __future__ import annotations

import re

from ..errors import PddlSyntaxError

SExpr = "str | list[SExpr]"
_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_NAME = re.compile(r"^[?]?[a-z][a-z0-9_\-]*$|^[:][a-z][a-z0-9_\-]*$|^-$")


def _strip_comments(text: str) -> str:
    return "\n".join(line.split(";", 1)[0] for line in text.splitlines())


def tokenize(text: str) -> list[str]:
    """Split PDDL text into parentheses and lower-cased words."""
    if not isinstance(text, str):
        raise PddlSyntaxError(f"expected PDDL text, got {type(text).__name__}")
    tokens = _TOKEN.findall(_strip_comments(text).lower())
    for token in tokens:
        if token not in "()" and not _NAME.match(token):
            raise PddlSyntaxError(f"bad token {token!r}: PDDL names are letters, digits, '-' and '_'")
    return tokens


def parse_sexpr(text: str) -> list:
    """Parse exactly one parenthesised expression.

    Raises:
        PddlSyntaxError: on empty text, unbalanced parentheses or trailing text.
    """
    tokens = tokenize(text)
    if not tokens:
        raise PddlSyntaxError("empty PDDL expression")
    if tokens[0] != "(":
        raise PddlSyntaxError(f"PDDL expression must start with '(', found {tokens[0]!r}")
    stack: list[list] = []
    result = None
    for position, token in enumerate(tokens):
        if token == "(":
            stack.append([])
        elif token == ")":
            if not stack:
                raise PddlSyntaxError("unbalanced ')'")
            done = stack.pop()
            if stack:
                stack[-1].append(done)
            else:
                result = done
                if position != len(tokens) - 1:
                    raise PddlSyntaxError(
                        f"unexpected text after the expression: {' '.join(tokens[position + 1:position + 6])}")
                break
        else:
            stack[-1].append(token)
    if stack or result is None:
        raise PddlSyntaxError("unbalanced '(': missing ')'")
    return result


def to_text(expr) -> str:
    """Render a nested list back to PDDL text."""
    if isinstance(expr, str):
        return expr
    return "(" + " ".join(to_text(e) for e in expr) + ")"


def parse_typed_list(items: list) -> list[tuple[str, str]]:
    """Read ``?x ?y - block ?r - region`` into ``[(?x, block), (?y, block), (?r, region)]``."""
    result: list[tuple[str, str]] = []
    pending: list[str] = []
    i = 0
    while i < len(items):
        item = items[i]
        if not isinstance(item, str):
            raise PddlSyntaxError(f"expected a name in a typed list, found {to_text(item)}")
        if item == "-":
            if i + 1 >= len(items) or not isinstance(items[i + 1], str) or not pending:
                raise PddlSyntaxError("'-' must follow names and precede a type")
            result.extend((name, items[i + 1]) for name in pending)
            pending = []
            i += 2
            continue
        pending.append(item)
        i += 1
    result.extend((name, "object") for name in pending)
    return result
