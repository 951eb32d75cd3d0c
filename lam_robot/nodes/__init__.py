"""ROS 2 nodes: thin wrappers around the core (parameters, topics, one call)."""
