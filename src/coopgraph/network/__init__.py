"""Network analysis of cooperation: projections of the graph and measures on them.

The modules follow NetworkX's ``algorithms/centrality`` layout, one family per module:

* :mod:`~coopgraph.network.filters` the filters of a projection, declared once for the API and
  the CLI;
* :mod:`~coopgraph.network.facts` what the projections are built from, fetched from the store
  once per version;
* :mod:`~coopgraph.network.projections` builds NetworkX graphs from the facts (co-participation,
  bipartite, funding) with filters, cached against the store's version;
* :mod:`~coopgraph.network.centrality` degree, strength, betweenness, closeness, harmonic,
  eigenvector, PageRank, k-core number;
* :mod:`~coopgraph.network.brokerage` Burt's constraint and effective size;
* :mod:`~coopgraph.network.communities` Louvain communities with a fixed seed;
* :mod:`~coopgraph.network.twomode` two-mode measures on the bipartite network;
* :mod:`~coopgraph.network.suggestions` partner suggestions (link prediction);
* :mod:`~coopgraph.network.measures` the registry of measures, cached scores and ranked rows;
* :mod:`~coopgraph.network.export` GraphML, GEXF and node-link JSON;
* :mod:`~coopgraph.network.plot` PNG and SVG drawings;
* :mod:`~coopgraph.network.analysis_graph` the scores published as RDF;
* :mod:`~coopgraph.network.analysis` the analyses the API routes and the CLI commands offer,
  checked from raw parameters.

Every measure is a pure function that takes a graph and keyword options and returns a dict
keyed by node.
"""
