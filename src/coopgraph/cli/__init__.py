"""The ``coopgraph`` command line: :mod:`~coopgraph.cli.app` assembles the command groups.

* :mod:`~coopgraph.cli.common` what every command shares: settings, the loaded store, tables,
  failing with an exit status;
* :mod:`~coopgraph.cli.data` ``validate``, ``stats``, ``load``, ``query``, ``export``;
* :mod:`~coopgraph.cli.serve` ``serve``;
* :mod:`~coopgraph.cli.network` ``network ...``.
"""
