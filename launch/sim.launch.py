"""The whole lam_robot graph with the PyBullet simulator standing in for the arm and camera.

    ros2 launch lam_robot sim.launch.py [namespace:=robot1] [perception:=camera] [record:=run.mcap]

The node list, parameters and remappings come from :func:`lam_robot.graph.profile`,
the same source ``lam-robot up sim`` reads, so the two cannot drift apart.
"""

from lam_robot.nodes.launch_support import launch_description

PROFILE = "sim"


def generate_launch_description():
    return launch_description(PROFILE)
