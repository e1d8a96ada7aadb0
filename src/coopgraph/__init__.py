"""coopgraph: the knowledge graph of international cultural cooperation under the UNESCO 2005
Convention (Articles 12-16): ontology, SHACL shapes, a SPARQL service, linked data and network
analysis."""

__version__ = "0.1.0"
