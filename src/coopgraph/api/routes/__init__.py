"""The routers of the service: SPARQL protocol, named queries, linked data, network analysis."""
