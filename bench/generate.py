"""Generate a synthetic cooperation graph with the shape of coopgraph's data, as N-Quads.

The output holds the real ontology (``graph/ontology``), reference data (``graph/reference``)
and source documents (``graph/{file name}``) read from the project's knowledge folders, plus
synthetic source documents, each in its own named graph: organisations (sector, stakeholder
category, country, labels in English, Spanish and French), persons holding posts, programmes,
projects, partnerships and events with 2-5 participants, participations with roles, dates, links
to the Convention's articles, funding contributions (``xsd:decimal`` amount, USD or EUR, contributor,
recipient, period) and provenance (``prov:wasDerivedFrom`` and a qualified derivation with
locator and quote). Concepts (sectors, roles, modalities...) come from
``ontology/vocabularies.ttl``.

Who takes part with whom follows what the project's documents show (see :class:`Circles` and
``bench/README.md``): every agent leans towards one to three cultural sectors and one Convention
article and belongs to a synthetic region of countries (some regions are donors, the "North");
an activity is of a sector, and most of its participants are drawn among the agents of that
sector, of the first participant's region when the activity is regional, of the South when it is
South-South or triangular (with a donor first), or of the first participant's country; the rest
by popularity alone. Each of these draws follows a power law (a few agents take part in many
activities).

The same seed and target give the same bytes. The quads are written as they are made, in
chunks of :data:`CHUNK`, so that generating 10M triples takes the memory of one chunk and of the
entities' names, not of the graph.

Usage::

    python bench/generate.py --triples 100000 --out bench/output/cg-100k.nq
    python bench/generate.py --triples 10M --out bench/output/cg-10m.nq
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import random
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from coopgraph.config import Settings
from coopgraph.namespaces import CG, ONTOLOGY_GRAPH, REFERENCE_GRAPH, graph_iri, resource_iri

DEFAULT_SEED = 2005
CHUNK = 50_000
"""Quads made before they are handed to the sink (written to the file)."""
ZIPF_EXPONENT = 1.1
REGIONS = 8
"""Synthetic regions the countries are dealt into (the reference data records none)."""
NORTH_REGIONS = 2
"""The first regions are donors (the "North" of North-South and triangular cooperation)."""
POPULARITY = 0.25
"""The share of participants drawn by popularity alone, over every agent."""
SAME_COUNTRY = 0.1
"""The share drawn among the agents of the first participant's country (national partners)."""
FOCUS_ARTICLE = 0.7
"""How often an activity relates to its first participant's article."""
IN_REGION = 0.6
"""How often an activity of a sector keeps to the first participant's region."""
REGIONAL_MODALITIES = ("regional", "sub-regional")

# (English, Spanish, French) words the synthetic labels are made of.
ORG_KINDS = [
    ("Institute", "Instituto", "Institut"),
    ("Council", "Consejo", "Conseil"),
    ("Foundation", "Fundación", "Fondation"),
    ("Agency", "Agencia", "Agence"),
    ("Centre", "Centro", "Centre"),
    ("Network", "Red", "Réseau"),
    ("Association", "Asociación", "Association"),
    ("Museum", "Museo", "Musée"),
    ("Observatory", "Observatorio", "Observatoire"),
    ("School", "Escuela", "École"),
]
TOPICS = [
    ("Film", "Cine", "Cinéma"),
    ("Music", "Música", "Musique"),
    ("Heritage", "Patrimonio", "Patrimoine"),
    ("Books", "Libro", "Livre"),
    ("Visual Arts", "Artes Visuales", "Arts visuels"),
    ("Theatre", "Teatro", "Théâtre"),
    ("Dance", "Danza", "Danse"),
    ("Design", "Diseño", "Design"),
    ("Crafts", "Artesanía", "Artisanat"),
    ("Media", "Medios", "Médias"),
    ("Culture", "Cultura", "Culture"),
]
# activity class, IRI kind, weight, (English, Spanish, French) noun
ACTIVITY_KINDS = [
    (CG.Programme, "programme", 2.0, ("Programme", "Programa", "Programme")),
    (CG.Project, "project", 4.0, ("Project", "Proyecto", "Projet")),
    (CG.Partnership, "partnership", 1.0, ("Partnership", "Alianza", "Partenariat")),
    (CG.JointCommission, "partnership", 1.0, ("Joint Commission", "Comisión Mixta", "Commission mixte")),
    (
        CG.BinationalCabinet,
        "partnership",
        0.5,
        ("Binational Cabinet", "Gabinete Binacional", "Cabinet binational"),
    ),
    (
        CG.HighLevelDialogue,
        "partnership",
        0.5,
        ("High-Level Dialogue", "Diálogo de Alto Nivel", "Dialogue de haut niveau"),
    ),
    (CG.Workshop, "event", 1.0, ("Workshop", "Taller", "Atelier")),
    (CG.Meeting, "event", 1.0, ("Meeting", "Reunión", "Réunion")),
]
STATE_LEVEL = {CG.JointCommission, CG.BinationalCabinet, CG.HighLevelDialogue}
GIVEN = [
    "Ana",
    "Luis",
    "Marie",
    "Jean",
    "Carmen",
    "Pedro",
    "Sofia",
    "Amadou",
    "Aiko",
    "Omar",
    "Lucia",
    "Kwame",
]
FAMILY = ["Garcia", "Martin", "Diallo", "Silva", "Moreau", "Lopez", "Tanaka", "Haddad", "Mensah", "Rossi"]
POSTS = [
    ("Director", "Director", "Directeur"),
    ("Minister", "Ministro", "Ministre"),
    ("Coordinator", "Coordinador", "Coordinateur"),
]


def slugify(text: str) -> str:
    """Lower-case ASCII slug with hyphens, accents dropped, as in ``data/README.md``.

    >>> slugify("Artes Visuales de Bogotá")
    'artes-visuales-de-bogota'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def node(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


@dataclass
class Country:
    """A country: its IRI and (English, Spanish, French) labels."""

    iri: ox.NamedNode
    labels: tuple[str, str, str]


@dataclass
class Reference:
    """What the synthetic data links to, read from the knowledge folders."""

    fixed: list[ox.Quad]
    countries: list[Country]
    articles: list[ox.NamedNode]
    article_weights: list[float]
    concepts: dict[str, list[ox.NamedNode]]


def _relabel(quads: Iterable[ox.Quad], prefix: str) -> list[ox.Quad]:
    """Give parsed blank nodes stable labels (the parser's own labels are random)."""
    labels: dict[str, ox.BlankNode] = {}

    def fix(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        if isinstance(term, ox.BlankNode):
            if term.value not in labels:
                labels[term.value] = ox.BlankNode(f"{prefix}{len(labels)}")
            return labels[term.value]
        return term

    return [ox.Quad(fix(q.subject), q.predicate, fix(q.object), q.graph_name) for q in quads]


def read_reference(project_dir: Path) -> Reference:
    """Read the ontology, concept schemes, countries and articles the generated data uses.

    Examples
    --------
    >>> ref = read_reference(Settings().project_dir)
    >>> len(ref.articles) >= 35 and len(ref.countries) > 0
    True
    """
    settings = Settings(project_dir=project_dir, in_memory=True)
    fixed: list[ox.Quad] = []
    sources = [
        (ONTOLOGY_GRAPH, sorted(settings.ontology_dir.glob("*.ttl"))),
        (REFERENCE_GRAPH, sorted((settings.instance_dir / "reference").glob("*.ttl"))),
    ]
    # the real source documents too, so the project's named queries find their answers
    sources += [(graph_iri(path.stem), [path]) for path in sorted(settings.instance_dir.glob("*.ttl"))]
    for graph, paths in sources:
        for index, path in enumerate(paths):
            try:
                parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            except SyntaxError as exc:  # a file being edited: the benchmark goes on without it
                print(f"warning: {path}:{exc.lineno}: {exc.msg}; left out", file=sys.stderr)
                continue
            quads = (ox.Quad(t.subject, t.predicate, t.object, node(graph)) for t in parsed)
            fixed.extend(_relabel(quads, f"{slugify(path.stem)}{index}x"))
    store = ox.Store()
    store.extend(fixed)
    prefix = f"PREFIX cg: <{CG}>\nPREFIX skos: <{SKOS}>\nPREFIX rdfs: <{RDFS}>\n"
    concepts: dict[str, list[ox.NamedNode]] = {}
    rows = store.query(
        prefix + "SELECT ?scheme ?c WHERE { GRAPH ?g { ?c skos:inScheme ?scheme } } ORDER BY ?scheme ?c"
    )
    for row in rows:  # type: ignore[union-attr]
        concepts.setdefault(row["scheme"].value.rsplit("/", 1)[-1], []).append(row["c"])
    countries: list[Country] = []
    rows = store.query(
        prefix + "SELECT ?c (SAMPLE(?en) AS ?e) (SAMPLE(?es) AS ?s) (SAMPLE(?fr) AS ?f) WHERE { GRAPH ?g {"
        " ?c a cg:Country ; rdfs:label ?en FILTER(lang(?en) = 'en')"
        " OPTIONAL { ?c rdfs:label ?es FILTER(lang(?es) = 'es') }"
        " OPTIONAL { ?c rdfs:label ?fr FILTER(lang(?fr) = 'fr') } } } GROUP BY ?c ORDER BY ?c"
    )
    for row in rows:  # type: ignore[union-attr]
        en = row["e"].value
        es = row["s"].value if row["s"] is not None else en
        fr = row["f"].value if row["f"] is not None else en
        countries.append(Country(row["c"], (en, es, fr)))
    articles: list[ox.NamedNode] = []
    weights: list[float] = []
    rows = store.query(
        prefix
        + "SELECT ?a ?n WHERE { GRAPH ?g { ?a a cg:ConventionArticle ; cg:articleNumber ?n } } ORDER BY ?n"
    )
    for row in rows:  # type: ignore[union-attr]
        articles.append(row["a"])
        # Articles 12-16 (international cooperation) are what most activities relate to
        weights.append(10.0 if 12 <= int(row["n"].value) <= 16 else 1.0)
    return Reference(fixed, countries, articles, weights, concepts)


class Zipf:
    """Draw items with probability proportional to ``1 / rank ** exponent``."""

    def __init__(
        self, items: Sequence[ox.NamedNode], rng: random.Random, exponent: float = ZIPF_EXPONENT
    ) -> None:
        self.items = list(items)
        total = 0.0
        self.cumulative: list[float] = []
        for rank in range(1, len(self.items) + 1):
            total += 1.0 / rank**exponent
            self.cumulative.append(total)
        self.rng = rng

    def draw(self, k: int) -> list[ox.NamedNode]:
        """``k`` distinct items (fewer if there are fewer items)."""
        k = min(k, len(self.items))
        chosen: dict[str, ox.NamedNode] = {}
        while len(chosen) < k:
            index = bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])
            item = self.items[min(index, len(self.items) - 1)]
            chosen[item.value] = item
        return list(chosen.values())

    def one(self) -> ox.NamedNode:
        """One item."""
        index = bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


@dataclass
class Leaning:
    """What draws an agent into an activity besides popularity."""

    country: str
    region: int
    sectors: tuple[ox.NamedNode, ...]
    article: ox.NamedNode


class Circles:
    """Who takes part with whom: each agent's :class:`Leaning` and the pools participants are
    drawn from (every agent, a cultural sector's, a region's, the South's, the North's, a
    country's), each a power law over the agents in one seeded order of popularity.

    Parameters
    ----------
    ranked
        Every agent (countries and organisations), most popular first.
    country_of
        The country of each agent (a country is its own).
    countries
        Every country, in a seeded order: dealt into :data:`REGIONS` regions.
    ref
        The concepts and articles to lean towards.
    rng
        The generator's random numbers.
    """

    def __init__(
        self,
        ranked: Sequence[ox.NamedNode],
        country_of: dict[str, str],
        countries: Sequence[ox.NamedNode],
        ref: Reference,
        rng: random.Random,
    ) -> None:
        self.rng = rng
        region_of = {c.value: i % REGIONS for i, c in enumerate(countries)}
        sectors = ref.concepts["cultural-sector"]
        self.leaning: dict[str, Leaning] = {}
        for agent in ranked:
            country = country_of[agent.value]
            self.leaning[agent.value] = Leaning(
                country,
                region_of[country],
                tuple(rng.sample(sectors, rng.choice([1, 1, 2, 3]))),
                rng.choices(ref.articles, weights=ref.article_weights)[0],
            )
        pools: dict[tuple[str, object], list[ox.NamedNode]] = {}
        for agent in ranked:
            lean = self.leaning[agent.value]
            keys: list[tuple[str, object]] = [("region", lean.region), ("country", lean.country)]
            keys.append(("north", True) if lean.region < NORTH_REGIONS else ("south", True))
            keys += [("sector", s.value) for s in lean.sectors]
            keys += [("sector-region", (s.value, lean.region)) for s in lean.sectors]
            for key in keys:
                pools.setdefault(key, []).append(agent)
        self.everyone = Zipf(ranked, rng)
        self.pools = {key: Zipf(members, rng) for key, members in pools.items()}

    def pool(self, key: tuple[str, object]) -> Zipf:
        """The pool of ``key`` (every agent when no agent has it)."""
        return self.pools.get(key, self.everyone)

    def participants(self, n: int, sector: ox.NamedNode, modality: str) -> list[ox.NamedNode]:
        """``n`` distinct participants of an activity of ``sector`` and ``modality`` (a slug),
        the first one first: its lead."""
        if modality == "triangular":
            lead = self.pool(("north", True)).one()
        elif modality == "south-south":
            lead = self.pool(("south", True)).one()
        elif self.rng.random() < POPULARITY:
            lead = self.everyone.one()
        else:
            lead = self.pool(("sector", sector.value)).one()
        lean = self.leaning[lead.value]
        if modality in REGIONAL_MODALITIES:
            circle = self.pool(("region", lean.region))
        elif modality in ("south-south", "triangular"):
            circle = self.pool(("south", True))
        elif self.rng.random() < IN_REGION:
            circle = self.pool(("sector-region", (sector.value, lean.region)))
        else:
            circle = self.pool(("sector", sector.value))
        chosen = {lead.value: lead}
        for _ in range(20 * n):  # a small pool may hold fewer than n agents
            if len(chosen) >= n:
                break
            draw = self.rng.random()
            if draw < POPULARITY:
                agent = self.everyone.one()
            elif draw < POPULARITY + SAME_COUNTRY:
                agent = self.pool(("country", lean.country)).one()
            else:
                agent = circle.one()
            chosen.setdefault(agent.value, agent)
        return list(chosen.values())

    def states(self, n: int, states: Zipf) -> list[ox.NamedNode]:
        """``n`` distinct countries for a state-level activity: the first by popularity, most of
        the others of its region."""
        lead = states.one()
        region = [c for c in states.items if self.leaning[c.value].region == self.leaning[lead.value].region]
        chosen = {lead.value: lead}
        for _ in range(20 * n):
            if len(chosen) >= n:
                break
            agent = self.rng.choice(region) if self.rng.random() < 0.6 else states.one()
            chosen.setdefault(agent.value, agent)
        return list(chosen.values())


@dataclass
class Generator:
    """Builds the quads; see :func:`generate`."""

    target: int
    seed: int
    ref: Reference
    sink: Callable[[list[ox.Quad]], None]
    quads: list[ox.Quad] = field(default_factory=list)
    count: int = 0
    blank: int = 0
    country_of: dict[str, str] = field(default_factory=dict)
    """The country of each organisation (and of each country, itself)."""

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        budget = max(self.target - len(self.ref.fixed), 1000)
        self.budget = budget
        n_graphs = max(4, min(32, self.target // 25_000))
        self.graphs = [
            (
                node(graph_iri(f"synthetic-source-{i:02d}")),
                node(resource_iri("source", f"synthetic-source-{i:02d}")),
            )
            for i in range(1, n_graphs + 1)
        ]
        self.quads.extend(self.ref.fixed)
        self.count = len(self.quads)

    # -- helpers ----------------------------------------------------------------------------
    def add(
        self,
        s: ox.NamedNode | ox.BlankNode,
        p: object,
        o: ox.NamedNode | ox.BlankNode | ox.Literal,
        g: ox.NamedNode,
    ) -> None:
        self.quads.append(ox.Quad(s, node(p), o, g))
        self.count += 1
        if len(self.quads) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Hand the quads made so far to the sink."""
        if self.quads:
            self.sink(self.quads)
            self.quads = []

    def bnode(self) -> ox.BlankNode:
        self.blank += 1
        return ox.BlankNode(f"g{self.blank}")

    def labels(self, s: ox.NamedNode, texts: tuple[str, str, str], g: ox.NamedNode) -> None:
        for text, lang in zip(texts, ("en", "es", "fr"), strict=True):
            self.add(s, RDFS.label, ox.Literal(text, language=lang), g)

    def provenance(
        self, s: ox.NamedNode, graph: tuple[ox.NamedNode, ox.NamedNode], quote: str | None = None
    ) -> None:
        g, src = graph
        self.add(s, PROV.wasDerivedFrom, src, g)
        d = self.bnode()
        self.add(s, PROV.qualifiedDerivation, d, g)
        self.add(d, RDF.type, node(PROV.Derivation), g)
        self.add(d, PROV.entity, src, g)
        section = self.rng.randint(1, 12)
        self.add(d, CG.locator, ox.Literal(f"Section {section}, paragraph {self.rng.randint(1, 40)}"), g)
        if quote:
            self.add(d, CG.quote, ox.Literal(quote), g)

    def pick(self, scheme: str) -> ox.NamedNode:
        return self.rng.choice(self.ref.concepts[scheme])

    def date(self) -> tuple[str, str]:
        year = self.rng.randint(2005, 2023)
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        end_year = year + self.rng.randint(0, 4)
        return f"{year}-{month:02d}-{day:02d}", f"{end_year}-{month:02d}-{day:02d}"

    # -- entities ---------------------------------------------------------------------------
    def sources(self) -> None:
        for i, (g, src) in enumerate(self.graphs, start=1):
            self.add(src, RDF.type, node(CG.SourceDocument), g)
            self.labels(
                src,
                (
                    f"Synthetic periodic report {i}",
                    f"Informe periódico sintético {i}",
                    f"Rapport périodique synthétique {i}",
                ),
                g,
            )
            self.add(src, PROV.wasDerivedFrom, src, g)

    def extra_countries(self, count: int) -> list[Country]:
        made: list[Country] = []
        g = self.graphs[0]
        for i in range(1, count + 1):
            iri = node(resource_iri("party", f"synthetic-country-{i:03d}"))
            labels = (f"Synthetic Country {i}", f"País Sintético {i}", f"Pays synthétique {i}")
            self.add(iri, RDF.type, node(CG.Country), g[0])
            self.labels(iri, labels, g[0])
            self.add(iri, CG.iso3166Alpha2, ox.Literal(f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"), g[0])
            self.provenance(iri, g)
            made.append(Country(iri, labels))
        return made

    def organisation(self, i: int, countries: list[Country]) -> ox.NamedNode:
        g = self.rng.choice(self.graphs)
        kind = self.rng.choice(ORG_KINDS)
        topic = self.rng.choice(TOPICS)
        country = self.rng.choice(countries)
        iri = node(resource_iri("organisation", slugify(f"{topic[0]} {kind[0]} {country.labels[0]} {i}")))
        klass = CG.OrganisationalUnit if self.rng.random() < 0.1 else CG.Organisation
        self.add(iri, RDF.type, node(klass), g[0])
        self.labels(
            iri,
            (
                f"{topic[0]} {kind[0]} of {country.labels[0]} {i}",
                f"{kind[1]} de {topic[1]} de {country.labels[1]} {i}",
                f"{kind[2]} de {topic[2]} ({country.labels[2]}) {i}",
            ),
            g[0],
        )
        self.add(iri, CG.sector, self.pick("organisation-sector"), g[0])
        self.add(iri, CG.stakeholderCategory, self.pick("stakeholder-category"), g[0])
        self.add(iri, CG.country, country.iri, g[0])
        self.provenance(iri, g)
        self.country_of[iri.value] = country.iri.value
        return iri

    def person(self, i: int, org: ox.NamedNode) -> None:
        g = self.rng.choice(self.graphs)
        name = f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"
        person = node(resource_iri("person", slugify(f"{name} {i}")))
        title = self.rng.choice(POSTS)
        post = node(resource_iri("post", slugify(f"{title[0]} {i}")))
        self.add(person, RDF.type, node(CG.Person), g[0])
        self.add(person, RDFS.label, ox.Literal(f"{name} {i}", language="en"), g[0])
        self.add(person, CG.holdsPost, post, g[0])
        self.add(post, RDF.type, node(CG.Post), g[0])
        self.labels(post, (f"{title[0]} {i}", f"{title[1]} {i}", f"{title[2]} {i}"), g[0])
        self.add(post, CG.postIn, org, g[0])
        self.provenance(person, g)

    def activity(self, i: int, circles: Circles, states: Zipf) -> tuple[ox.NamedNode, str]:
        g = self.rng.choice(self.graphs)
        klass, kind, _, noun = self.rng.choices(ACTIVITY_KINDS, weights=[a[2] for a in ACTIVITY_KINDS])[0]
        topic = self.rng.choice(TOPICS)
        iri = node(resource_iri(kind, slugify(f"{topic[0]} {noun[0]} {i}")))
        start, end = self.date()
        self.add(iri, RDF.type, node(klass), g[0])
        self.labels(
            iri,
            (f"{topic[0]} {noun[0]} {i}", f"{noun[1]} de {topic[1]} {i}", f"{noun[2]} {topic[2]} {i}"),
            g[0],
        )
        self.add(iri, CG.startDate, ox.Literal(start, datatype=node(XSD.date)), g[0])
        if kind != "event":
            self.add(iri, CG.endDate, ox.Literal(end, datatype=node(XSD.date)), g[0])
        n = self.rng.choices([2, 3, 4, 5], weights=[4, 3, 2, 1])[0]
        modality = self.pick("modality")
        sector = self.pick("cultural-sector")
        if klass in STATE_LEVEL:
            participants = circles.states(n, states)
            links = [CG.hasParty] * len(participants)
        else:
            participants = circles.participants(n, sector, modality.value.rsplit("/", 1)[-1])
            lead = CG.organisedBy if kind == "event" else CG.coordinatedBy
            links = [lead] + [CG.hasParticipant] * (len(participants) - 1)
        for agent, link in zip(participants, links, strict=True):
            self.add(iri, link, agent, g[0])
            participation = self.bnode()
            self.add(iri, CG.hasParticipation, participation, g[0])
            self.add(participation, RDF.type, node(CG.Participation), g[0])
            self.add(participation, CG.agent, agent, g[0])
            self.add(participation, CG.role, self.pick("role"), g[0])
        articles = self.rng.choices(
            self.ref.articles, weights=self.ref.article_weights, k=self.rng.randint(1, 2)
        )
        if self.rng.random() < FOCUS_ARTICLE:
            articles[0] = circles.leaning[participants[0].value].article
        for article in sorted(set(articles), key=lambda a: a.value):
            self.add(iri, CG.relatesToArticle, article, g[0])
        self.add(iri, CG.modality, modality, g[0])
        self.add(iri, CG.culturalSector, sector, g[0])
        if self.rng.random() < 0.5:
            self.add(iri, CG.fieldOfAction, self.pick("field-of-action"), g[0])
        self.provenance(iri, g, quote=f"The {noun[0].lower()} started on {start}.")
        return iri, kind

    def fund(self, i: int) -> ox.NamedNode:
        g = self.rng.choice(self.graphs)
        topic = self.rng.choice(TOPICS)
        iri = node(resource_iri("fund", slugify(f"{topic[0]} Fund {i}")))
        self.add(iri, RDF.type, node(CG.Fund), g[0])
        self.labels(iri, (f"{topic[0]} Fund {i}", f"Fondo de {topic[1]} {i}", f"Fonds {topic[2]} {i}"), g[0])
        self.provenance(iri, g)
        return iri

    def contribution(self, i: int, agents: Zipf, recipients: list[ox.NamedNode]) -> None:
        g = self.rng.choice(self.graphs)
        contributor = agents.draw(1)[0]
        recipient = self.rng.choice(recipients)
        iri = node(resource_iri("contribution", f"contribution-{i}"))
        amount = Decimal(round(self.rng.lognormvariate(11, 1.5), 2)).quantize(Decimal("0.01"))
        currency = "USD" if self.rng.random() < 0.7 else "EUR"
        start = self.rng.randint(2005, 2022)
        end = start + self.rng.randint(0, 3)
        self.add(iri, RDF.type, node(CG.FundingContribution), g[0])
        self.add(iri, RDFS.label, ox.Literal(f"Contribution {i}", language="en"), g[0])
        self.add(iri, RDFS.label, ox.Literal(f"Contribución {i}", language="es"), g[0])
        self.add(iri, CG.contributor, contributor, g[0])
        self.add(iri, CG.recipient, recipient, g[0])
        self.add(iri, CG.amount, ox.Literal(str(amount), datatype=node(XSD.decimal)), g[0])
        self.add(iri, CG.currency, ox.Literal(currency), g[0])
        self.add(iri, CG.startDate, ox.Literal(str(start), datatype=node(XSD.gYear)), g[0])
        self.add(iri, CG.endDate, ox.Literal(str(end), datatype=node(XSD.gYear)), g[0])
        self.add(iri, CG.contributionKind, self.pick("contribution-kind"), g[0])
        self.provenance(
            iri, g, quote=f"In the period {start}-{end}, an amount of {amount:,} {currency} was allocated."
        )

    def run(self) -> int:
        """Make the quads, handing them to the sink in chunks; return how many were made."""
        self.sources()
        countries = list(self.ref.countries) + self.extra_countries(min(150, self.budget // 2000))
        agent_goal = self.count + int(self.budget * 0.3)
        orgs: list[ox.NamedNode] = []
        while self.count < agent_goal:
            orgs.append(self.organisation(len(orgs) + 1, countries))
            if len(orgs) % 3 == 0:
                self.person(len(orgs) // 3, self.rng.choice(orgs))
        # a few actors take part in many activities: ranks are a seeded shuffle of all agents
        pool = [c.iri for c in countries] + orgs
        self.rng.shuffle(pool)
        state_pool = [c.iri for c in countries]
        self.rng.shuffle(state_pool)
        agents, states = Zipf(pool, self.rng), Zipf(state_pool, self.rng)
        self.country_of.update({c.iri.value: c.iri.value for c in countries})
        circles = Circles(pool, self.country_of, state_pool, self.ref, self.rng)
        recipients = [self.fund(i) for i in range(1, 4 + self.budget // 20_000)]
        activities = contributions = 0
        while self.count < self.target:
            if self.rng.random() < 0.6 or activities == 0:
                activities += 1
                iri, kind = self.activity(activities, circles, states)
                if kind in ("programme", "project"):
                    recipients.append(iri)
            else:
                contributions += 1
                self.contribution(contributions, agents, recipients)
        self.flush()
        return self.count


def generate(target: int, seed: int = DEFAULT_SEED, project_dir: Path | None = None) -> list[ox.Quad]:
    """The quads of a synthetic graph of about ``target`` triples, in memory (small sizes).

    Examples
    --------
    >>> quads = generate(30_000, seed=1)
    >>> 27_000 <= len(quads) <= 33_000
    True
    """
    made: list[ox.Quad] = []
    reference = read_reference(project_dir or Settings().project_dir)
    Generator(target, seed, reference, made.extend).run()
    return made


def write(
    target: int, out: Path, seed: int = DEFAULT_SEED, project_dir: Path | None = None
) -> tuple[int, str]:
    """Write the graph to ``out`` as N-Quads, chunk by chunk; return the number of quads and the
    file's SHA-256.

    N-Quads has one quad per line and no header, so the chunks written one after the other are
    the bytes of the whole graph written at once.
    """
    reference = read_reference(project_dir or Settings().project_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    partial = out.with_name(out.name + ".partial")
    with open(partial, "wb") as file:

        def sink(quads: list[ox.Quad]) -> None:
            data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
            assert data is not None  # no output file given: the bytes are returned
            digest.update(data)
            file.write(data)

        count = Generator(target, seed, reference, sink).run()
    # a run stopped half-way leaves no file that looks complete
    partial.replace(out)
    return count, digest.hexdigest()


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500.

    >>> parse_size("100k"), parse_size("1M")
    (100000, 1000000)
    """
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 10000, 10k or 1M)")
    factor = {"": 1, "k": 1000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--triples", type=parse_size, default=100_000, help="target size (10k, 100k, 1M, 10M)"
    )
    parser.add_argument("--out", type=Path, required=True, help="output .nq file")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    count, digest = write(args.triples, args.out, args.seed)
    print(f"{args.out}: {count} quads, sha256 {digest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
