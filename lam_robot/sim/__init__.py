"""PyBullet simulation of the tabletop: world, ground truth, scenarios.

* :mod:`lam_robot.sim.world` -- :class:`SimWorld`: table, Franka Panda, blocks, trays.
* :mod:`lam_robot.sim.ground_truth` -- :class:`GroundTruthObserver`: poses and contacts -> facts.
* :mod:`lam_robot.sim.scenario` -- scenario files, :func:`run_scenario`, physical checks.
* :mod:`lam_robot.sim.layout` -- where blocks go inside a region.

What the executor needs from any observer (ground truth or perception), as
scene object attributes: blocks ``pose: [x, y, z]`` (centre, metres) and
``yaw`` (radians); regions ``pose: [x, y, 0]`` (footprint centre), optionally
``inner: [w, d]``, ``wall_height`` and ``floor_z`` (metres; tray defaults
from :mod:`lam_robot.sim.appearance` otherwise).
"""
