"""The lam_robot graph for a real arm: no simulator; every plan is rehearsed in a PyBullet twin first.

    ros2 launch lam_robot real_arm.launch.py controller_topic:=/arm_controller/joint_trajectory \\
        joint_names:=j1,j2,j3,j4,j5,j6,j7,f1,f2 color_topic:=/camera/color/image_raw \\
        depth_topic:=/camera/aligned_depth_to_color/image_raw camera_info_topic:=/camera/color/camera_info

The node list, parameters and remappings come from :func:`lam_robot.graph.profile`,
the same source ``lam-robot up real_arm`` reads, so the two cannot drift apart.
"""

from lam_robot.nodes.launch_support import launch_description

PROFILE = "real_arm"


def generate_launch_description():
    return launch_description(PROFILE)
