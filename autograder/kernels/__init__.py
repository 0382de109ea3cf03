"""Sandboxed Jupyter kernels: the bubblewrap command, cgroup limits, one kernel per notebook, and
the pre-imported templates that kernels are forked from."""
