"""lam_robot: a Large Action Model stack for ROS 2.

Neural parts propose, the symbolic part checks and explains: a spoken
instruction becomes a PDDL goal, the guardrail checks it against the domain
and the grounded scene, a planner produces a plan, an independent validator
proves it, and only then does anything reach an arm.
"""

__version__ = "0.1.0"
