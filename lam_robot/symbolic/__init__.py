"""The symbolic language lam_robot reasons in: atoms, states, PDDL domains, goals."""

from .atoms import Atom, State, parse_atom
from .domain import ActionSchema, Domain, GroundAction, load_domain, parse_domain
from .formula import Goal, parse_goal_formula

__all__ = [
    "Atom", "State", "parse_atom", "ActionSchema", "Domain", "GroundAction",
    "load_domain", "parse_domain", "Goal", "parse_goal_formula",
]
