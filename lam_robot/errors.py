"""One exception tree for lam_robot.

Expected outcomes (a refused goal, an unsolvable problem, an ambiguous
instruction) are *results* with a status and a reason; exceptions are for
bad input files, misuse and bugs. Every exception a user can trigger derives
from :class:`LamError`, so a command line or a node catches exactly one type
and reports its message instead of a traceback.
"""


class LamError(Exception):
    """Base of every error lam_robot raises on purpose."""


class PddlSyntaxError(LamError, ValueError):
    """Text that is not well-formed PDDL (unbalanced parentheses, bad tokens)."""


class DomainError(LamError, ValueError):
    """A PDDL domain that lam_robot cannot use."""


class SceneError(LamError, ValueError):
    """An inconsistent or malformed scene (a block on two things, a cycle...)."""


class PlannerUnavailableError(LamError, RuntimeError):
    """A planner backend was asked for but is not installed or not known."""


class ResourceNotFoundError(LamError, FileNotFoundError):
    """A shipped data file (domain, scenario, weights) could not be found."""
