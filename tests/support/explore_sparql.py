"""SPARQL written apart from ``queries/internal/explore-facts.rq``, to check the facet counts of /explore.

The definitions are those of :mod:`coopgraph.explore.facets`: an activity is a cooperation
activity or a funding contribution; it is about an article when it relates to or implements the
article or one of its sub-paragraphs; it is in a country when it is located there (directly or
through a place) or one of its participants is the country, belongs to it (``cg:country``) or
holds or held a post there. An actor is in the count when it is of the country and takes part in
such an activity. ``?article`` and ``?country`` are bound by the caller.
"""

from __future__ import annotations

PREFIXES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ACTIVITY = "{ ?a a/rdfs:subClassOf* cg:CooperationActivity } UNION { ?a a cg:FundingContribution }"
ABOUT_ARTICLE = """
  ?a cg:relatesToArticle|cg:implementsArticle ?p .
  FILTER(?p = ?article || EXISTS { ?p cg:subparagraphOf ?article })
"""
COUNTRY_OF_ACTOR = (
    "(cg:country|((cg:holdsPost|cg:formerlyHeldPost)/(cg:country|cg:postIn|cg:postIn/cg:country)))?"
)
TAKES_PART = """
  { { ?a ?role ?x . ?role rdfs:subPropertyOf* cg:hasParticipant }
    UNION { ?a cg:fundedBy|cg:contributor|cg:recipient|cg:hasParticipation/cg:agent ?x } }
  ?x a/rdfs:subClassOf* ?actorClass . VALUES ?actorClass { cg:Country cg:Organisation cg:Person }
"""
ACTIVITIES = (
    PREFIXES
    + f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  {ACTIVITY}
  {ABOUT_ARTICLE}
  {{ ?a cg:country|cg:location|cg:location/cg:inCountry ?country }}
  UNION {{ {TAKES_PART} ?x {COUNTRY_OF_ACTOR} ?country }}
}}"""
)
ACTORS = (
    PREFIXES
    + f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  ?x a/rdfs:subClassOf* ?kind . VALUES ?kind {{ cg:Country cg:Organisation cg:Person }}
  ?x {COUNTRY_OF_ACTOR} ?country .
  {ACTIVITY}
  {ABOUT_ARTICLE}
  {{ ?a ?role ?x . ?role rdfs:subPropertyOf* cg:hasParticipant }}
  UNION {{ ?a cg:fundedBy|cg:contributor|cg:recipient|cg:hasParticipation/cg:agent ?x }}
}}"""
)


def with_values(query: str, article: str, country: str) -> str:
    """The query with ``?article`` and ``?country`` fixed by a ``VALUES`` block (IRIs of the test)."""
    head, _, body = query.partition("WHERE {")
    return f"{head}WHERE {{ VALUES (?article ?country) {{ (<{article}> <{country}>) }}{body}"
