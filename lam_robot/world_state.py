"""What the robot believes now: the boundary between sensing and reasoning.

Perception (or the simulator's ground truth) produces a :class:`WorldState`;
the planner, the executor's effect checks and the translator consume it.
Facts carry a confidence; facts below the threshold are *uncertain* and are
reported, never silently turned into truth: perception leaves an uncertain
support out of the believed scene, while the ground-truth observer keeps the
nearest support there (so the scene stays consistent) and still lists it in
``uncertain``. Either way the executor never counts an uncertain fact as an
achieved effect.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from .scene import Scene
from .symbolic.atoms import Atom


@dataclass(frozen=True)
class GroundedFact:
    """A fact lifted from sensor data.

    Attributes:
        atom: the fact, e.g. ``(on red blue)``.
        confidence: 0..1, how sure the grounding is.
    """

    atom: Atom
    confidence: float = 1.0

    def to_dict(self) -> dict:
        return {"fact": str(self.atom), "confidence": round(self.confidence, 4)}


@dataclass(frozen=True)
class WorldState:
    """A snapshot of the world in symbols.

    Attributes:
        scene: objects (with attributes such as colour and pose) and the facts
            believed true (confident ones only), checked for consistency.
        facts: every grounded fact with its confidence.
        uncertain: facts whose confidence fell below the threshold.
        source: ``"ground_truth"``, ``"perception"``, ...
        stamp: seconds (``time.time()``) when the observation was taken.
    """

    scene: Scene
    facts: tuple[GroundedFact, ...] = ()
    uncertain: tuple[GroundedFact, ...] = ()
    source: str = "ground_truth"
    stamp: float = field(default_factory=time.time)

    @property
    def state(self) -> frozenset:
        return self.scene.facts

    def to_dict(self) -> dict:
        data = self.scene.to_dict()
        data.update({
            "facts": [f.to_dict() for f in self.facts],
            "uncertain": [f.to_dict() for f in self.uncertain],
            "source": self.source,
            "stamp": self.stamp,
        })
        return data


class Observer(ABC):
    """Anything that can tell the executor what the world looks like now.

    The simulator's ground truth implements it first; perception replaces it
    by one switch. The executor never knows which one it talks to.
    """

    @abstractmethod
    def observe(self) -> WorldState:
        """A fresh snapshot. May raise :class:`lam_robot.errors.LamError` when
        no consistent state can be read (e.g. a camera frame is missing)."""
