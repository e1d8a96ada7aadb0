"""Helpers shared by the test modules: server processes, running services and small graphs.

Import them by name (``from support.processes import free_port``): ``tests/`` is on the test path
(``pythonpath`` in ``pyproject.toml``).
"""
