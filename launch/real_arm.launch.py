"""The lam_robot graph for a real arm: no simulator; every plan is rehearsed in a PyBullet twin first.

    ros2 launch lam_robot real_arm.launch.py controller_topic:=/arm_controller/joint_trajectory \\
        joint_names:=j1,j2,j3,j4,j5,j6,j7,f1,f2 color_topic:=/camera/color/image_raw \\
        depth_topic:=/camera/aligned_depth_to_color/image_raw camera_info_topic:=/camera/color/camera_info

The node list, parameters and remappings come from :func:`lam_robot.graph.profile`,
the same source ``lam-robot up real_arm`` reads, so the two cannot drift apart.
"""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess, OpaqueFunction
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration, PythonExpression
from launch_ros.actions import Node

from lam_robot.graph import PROFILE_ARGUMENTS, profile

PROFILE = "real_arm"


def _nodes(context):
    args = {key: LaunchConfiguration(key).perform(context) for key in PROFILE_ARGUMENTS[PROFILE]}
    namespace = LaunchConfiguration("namespace").perform(context)
    return [
        Node(package="lam_robot", executable=node.spec.executable, name=node.spec.name, namespace=namespace,
             parameters=[dict(node.parameters)],
             remappings=[(src, dst) for src, dst in node.remappings.items() if src != dst],
             output="screen", emulate_tty=True)
        for node in profile(PROFILE, args)
    ]


def generate_launch_description():
    record = LaunchConfiguration("record")
    return LaunchDescription([
        DeclareLaunchArgument("namespace", default_value="", description="namespace of every node and topic"),
        DeclareLaunchArgument("record", default_value="", description="MCAP file to record the run to"),
        *[DeclareLaunchArgument(key, default_value=default, description=text)
          for key, (default, text) in PROFILE_ARGUMENTS[PROFILE].items()],
        OpaqueFunction(function=_nodes),
        ExecuteProcess(cmd=["python3", "-m", "lam_robot.nodes.recorder_node", record,
                            "--ns", LaunchConfiguration("namespace")],
                       output="screen", condition=IfCondition(PythonExpression(["'", record, "' != ''"]))),
    ])
