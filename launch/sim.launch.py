"""The whole lam_robot graph with the PyBullet simulator standing in for the arm and camera.

    ros2 launch lam_robot sim.launch.py [namespace:=robot1] [perception:=camera] [record:=run.mcap]

The node list, parameters and remappings come from :func:`lam_robot.graph.profile`,
the same source ``lam-robot up sim`` reads, so the two cannot drift apart.
"""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess, OpaqueFunction
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration, PythonExpression
from launch_ros.actions import Node

from lam_robot.graph import PROFILE_ARGUMENTS, profile

PROFILE = "sim"


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
