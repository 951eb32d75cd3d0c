"""sim_node as its own process: it moves like a ros2_control arm and publishes what a robot publishes."""

from __future__ import annotations

import pytest
from builtin_interfaces.msg import Duration
from sensor_msgs.msg import CameraInfo, Image, JointState
from trajectory_msgs.msg import JointTrajectory, JointTrajectoryPoint

from lam_robot.graph import ARM_JOINTS, FINGER_JOINTS
from ros_harness import ros_graph

pytestmark = pytest.mark.ros


@pytest.fixture
def ros(tmp_path):
    yield from ros_graph(tmp_path)


def _traj(names, positions, t_s):
    msg = JointTrajectory(joint_names=list(names))
    msg.points = [JointTrajectoryPoint(positions=[float(v) for v in positions],
                                       time_from_start=Duration(sec=int(t_s), nanosec=int((t_s % 1) * 1e9)))]
    return msg


def test_follows_joint_trajectories_and_publishes_sensors(ros):
    """The sim takes JointTrajectory on the JTC topic, publishes joint states, images and ground truth."""
    ros.start("sim", params={"camera_rate_hz": 2.0, "real_time_factor": 2.0})
    probe = ros.probe
    joints = probe.subscribe("joint_states", JointState, qos="sensor")
    colors = probe.subscribe("camera/color/image_raw", Image, qos="sensor")
    depths = probe.subscribe("camera/depth/image_raw", Image, qos="sensor")
    infos = probe.subscribe("camera/color/camera_info", CameraInfo, qos="sensor")
    truth = probe.subscribe("sim/ground_truth", qos="state")
    statuses = probe.subscribe("status")
    traj_pub = probe.publisher("joint_trajectory_controller/joint_trajectory", JointTrajectory)
    probe.wait_for_subscribers(traj_pub, timeout_s=30.0, on_fail=ros.logs)
    ros.wait_status_matched()
    probe.spin_until(lambda: joints and truth and colors and depths and infos, 20.0,
                     "joint states, images, camera info and ground truth", ros.logs)
    assert "(on green red)" in truth[-1]["init"] and truth[-1]["source"] == "ground_truth"
    assert colors[-1].encoding == "rgb8" and depths[-1].encoding == "32FC1" and infos[-1].k[0] > 0
    assert list(joints[-1].name) == list(ARM_JOINTS + FINGER_JOINTS)

    start = list(joints[-1].position[:7])
    target = list(start)
    target[0] += 0.3
    traj_pub.publish(_traj(ARM_JOINTS, target, 1.0))

    def reached():
        return joints and abs(joints[-1].position[0] - target[0]) < 0.02
    probe.spin_until(reached, 15.0, "joint 1 at its target", ros.logs)

    traj_pub.publish(_traj(FINGER_JOINTS, [0.01, 0.01], 0.5))
    probe.spin_until(lambda: abs(joints[-1].position[7] - 0.01) < 0.004, 10.0, "fingers closing", ros.logs)

    # a bad trajectory is refused on the status topic, the node stays up
    traj_pub.publish(_traj(["elbow"], [1.0], 1.0))
    traj_pub.publish(_traj(ARM_JOINTS[:3], [0, 0, 0], 1.0))
    bad = _traj(ARM_JOINTS, [float("nan")] * 7, 1.0)
    traj_pub.publish(bad)
    probe.spin_until(lambda: len([s for s in statuses if s.get("level") == "refused"]) >= 3, 10.0,
                     "3 refusals", lambda: f"{statuses}\n{ros.logs()}")
    assert all(p.alive() for p in ros.procs)
