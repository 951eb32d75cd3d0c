"""PyBullet simulation of the tabletop: world, robot, skills, scenarios."""
