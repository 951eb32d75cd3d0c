"""Build a ROS 2 launch description from :mod:`lam_robot.graph` (real ROS 2 installs only).

Both ``launch/sim.launch.py`` and ``launch/real_arm.launch.py`` call
:func:`launch_description` with their profile name, and ``lam-robot up``
reads the same :func:`lam_robot.graph.profile`: one source of truth for the
node list, parameters and remappings. ``launch`` and ``launch_ros`` are not
on PyPI, so this module is imported only by ``ros2 launch``.
"""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess, OpaqueFunction
from launch.conditions import IfCondition
from launch.substitutions import LaunchConfiguration, PythonExpression
from launch_ros.actions import Node

from ..graph import PROFILE_ARGUMENTS, profile


def launch_description(profile_name: str) -> LaunchDescription:
    """The graph of ``profile_name`` (``sim`` or ``real_arm``) with its launch arguments."""

    def nodes(context):
        args = {key: LaunchConfiguration(key).perform(context) for key in PROFILE_ARGUMENTS[profile_name]}
        namespace = LaunchConfiguration("namespace").perform(context)
        return [
            Node(package="lam_robot", executable=node.spec.executable, name=node.spec.name, namespace=namespace,
                 parameters=[dict(node.parameters)],
                 remappings=[(src, dst) for src, dst in node.remappings.items() if src != dst],
                 output="screen", emulate_tty=True)
            for node in profile(profile_name, args)
        ]

    record = LaunchConfiguration("record")
    return LaunchDescription([
        DeclareLaunchArgument("namespace", default_value="", description="namespace of every node and topic"),
        DeclareLaunchArgument("record", default_value="", description="MCAP file to record the run to"),
        *[DeclareLaunchArgument(key, default_value=default, description=text)
          for key, (default, text) in PROFILE_ARGUMENTS[profile_name].items()],
        OpaqueFunction(function=nodes),
        ExecuteProcess(cmd=["python3", "-m", "lam_robot.nodes.recorder_node", record,
                            "--ns", LaunchConfiguration("namespace")],
                       output="screen", condition=IfCondition(PythonExpression(["'", record, "' != ''"]))),
    ])
