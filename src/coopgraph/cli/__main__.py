"""``python -m coopgraph.cli``: the ``coopgraph`` command."""

from coopgraph.cli.app import main

main()
