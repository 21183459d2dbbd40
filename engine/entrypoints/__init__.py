"""Entry points: the CLI, the worker, and the demo story."""
