"""Closed-loop execution: controllers, motion planning, skills, the executor.

* :mod:`lam_robot.execution.controller` -- :class:`ArmController` with a PyBullet and a
  ros2_control-style (callables, no rclpy) implementation; trajectory/joint-state dataclasses.
* :mod:`lam_robot.execution.motion` -- IK with joint limits, collision checks, workspace box, timing.
* :mod:`lam_robot.execution.skills` -- approach, grasp, lift, transport, place, release, retreat.
* :mod:`lam_robot.execution.executor` -- :class:`Executor`: plan, act, observe, check, replan; estop; undo.
"""
