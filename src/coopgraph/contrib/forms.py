"""The contribution forms of ``/contribute``: fields become rows of the CSV templates, then the same checks.

A form (:data:`FORMS`) is sections of fields; a field either feeds one column of a template of
``mappings/`` (its key is ``template.column``) or is the form's own (``form.field``: a name the
form resolves). What a form does is turn the values typed into the rows of those templates,
which then go through :func:`coopgraph.contrib.tabular.gate_rows` (cells by datatype, the RML
mapping, the write gate) like any CSV file; every error found comes back on the field that
gave the value.

- Labels come from ``mappings/README.md`` (its "Form labels" table), else from the ontology's
  label of the property the column feeds; concept choices (sectors, modalities, types of entity,
  Convention articles) come from the graph (``queries/internal/form-choices.rq``).
- Partners and places are typed names: a name that is exactly one label of a node of the right
  kind (case, accents and punctuation aside) is that node; a partner's name that is not is a new
  organisation, minted with a slug made from the name (the review reconciles it later); a place
  must be a country or place the graph has.
- Repeatable rows (partners, amounts, places, offers...) are numbered fields,
  ``partners-0-name``; an "add" button asks for one more row (:func:`read_values`).

:func:`submit` runs it all and returns the triples or the errors by field.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.contrib.tabular import (
    LIST_SEPARATOR,
    CellError,
    Column,
    Mapped,
    check_value,
    gate_rows,
    mappings_dir,
    ontology_classes,
    predicate_columns,
    template,
)
from coopgraph.errors import NotFound
from coopgraph.explore.common import fetch_labels, per_version
from coopgraph.explore.search import normalise
from coopgraph.linkeddata.labels import pick_label
from coopgraph.namespaces import ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

FORM_LANGUAGES = ("en", "es", "fr")
MAX_ROWS = 50
"""The most rows a repeatable group takes (an "add" past it is ignored)."""
MAX_SLUG_CHARS = 80
ACTOR_KINDS = frozenset({"organisation", "country", "person", "fund"})
"""The kinds a partner's name may resolve to."""
PLACE_KINDS = frozenset({"country", "place"})
COUNTRY_KINDS = frozenset({"country"})
_TEXT = Column("text", "", False, "text", "")
SOURCE_KIND_TYPES = {"fund": "Fund", "programme": "Programme", "organisation": "Organisation"}
"""The kinds of source the source-profile form offers (each a kind /sources lists) and their classes;
a programme is a cg:Programme, which the ontology aligns to frapo:FundingProgramme."""
_NAME_PREFIX = re.compile(r"[^a-z0-9]+")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "list_title": "Contribute",
        "list_intro": "Send what you know about international cultural cooperation. Each form is checked like any write to the graph and kept as a submission, pending until a curator reviews it; nothing is published before.",
        "csv": "For many rows at once, fill in a CSV template instead (see the writing documentation).",
        "periodic-report": "Periodic-report entry on international cooperation",
        "periodic-report_intro": "An entry of a Party's periodic report on the 2005 Convention about international cooperation (Articles 12-16): the measure, its partners, its financial resources, its results and evaluation.",
        "source-profile": "Profile of a cooperation source",
        "source-profile_intro": "A fund or organisation that finances cultural cooperation, for the directory of sources: what it finances, for whom, how much, and whom to contact.",
        "partnership-proposal": "Partnership proposal",
        "partnership-proposal_intro": "In the terms of the Global Alliance for Cultural Diversity: who you are, your interests, what you offer and what you seek. Offers and requests are matched by /match once approved.",
        "measure": "The measure",
        "period": "Period",
        "classification": "Convention articles, sectors and modalities",
        "partners": "Partners",
        "amounts": "Financial resources",
        "evaluation": "Results and evaluation",
        "places": "Where",
        "source": "The source",
        "funding": "What it finances",
        "eligibility": "Who may apply",
        "typical_amounts": "Amounts",
        "contact": "Contact",
        "who": "Who you are",
        "interests": "Your interests",
        "offers": "What you offer",
        "requests": "What you seek",
        "add_partners": "Add a partner",
        "add_amounts": "Add an amount",
        "add_places": "Add a place",
        "add_countries": "Add a country",
        "add_offers": "Add an offer",
        "add_requests": "Add a request",
        "row": "{group}, row {n}",
        "submit": "Send for review",
        "required": "required",
        "required_error": "{label} is required.",
        "choose": "(choose)",
        "fund": "Fund",
        "programme": "Funding programme",
        "organisation": "Organisation",
        "errors_title": "{n} problem(s) to correct; nothing was kept",
        "pending_title": "Submission pending review",
        "pending_text": "Thank you. Your submission {id} is pending review: a curator will check it and publish it, or tell you why not. Until then it is not in the graph.",
        "pending_origin": "From",
        "pending_triples": "Statements",
        "another": "Send another contribution",
        "date_hint": "A year, a year and month, or a date: 2019, 2019-05, 2019-05-17.",
        "name_hint": "A name the graph knows is linked to it; another name is added as a new node.",
        "place_hint": "A country or place the graph knows.",
        "unknown_place": "The graph has no country or place called {name!r}; type the name of one (suggestions appear as you type).",
        "ambiguous_place": "Several countries or places are called {name!r}; type a more precise name.",
        "not_a_choice": "{value!r} is not one of the choices.",
        "pipe": "An item cannot hold the character |.",
        "need_one": "Say at least one thing you offer or seek.",
        "name_first": "Give the name of this row too.",
        "logged_in": "Logged in as {name}.",
        "review": "Submissions to review",
    },
    "es": {
        "list_title": "Contribuir",
        "list_intro": "Envíe lo que sabe sobre la cooperación cultural internacional. Cada formulario se comprueba como cualquier escritura en el grafo y se guarda como una contribución, pendiente hasta que un curador la revise; nada se publica antes.",
        "csv": "Para muchas filas a la vez, rellene mejor una plantilla CSV (véase la documentación de escritura).",
        "periodic-report": "Entrada de informe periódico sobre cooperación internacional",
        "periodic-report_intro": "Una entrada del informe periódico de una Parte sobre la Convención de 2005 acerca de la cooperación internacional (artículos 12-16): la medida, sus socios, sus recursos financieros, sus resultados y su evaluación.",
        "source-profile": "Perfil de una fuente de cooperación",
        "source-profile_intro": "Un fondo u organización que financia la cooperación cultural, para el directorio de fuentes: qué financia, para quién, cuánto y a quién contactar.",
        "partnership-proposal": "Propuesta de alianza",
        "partnership-proposal_intro": "En los términos de la Alianza Global para la Diversidad Cultural: quién es usted, sus intereses, lo que ofrece y lo que busca. Una vez aprobadas, /match empareja ofertas y solicitudes.",
        "measure": "La medida",
        "period": "Periodo",
        "classification": "Artículos de la Convención, sectores y modalidades",
        "partners": "Socios",
        "amounts": "Recursos financieros",
        "evaluation": "Resultados y evaluación",
        "places": "Dónde",
        "source": "La fuente",
        "funding": "Qué financia",
        "eligibility": "Quién puede solicitar",
        "typical_amounts": "Montos",
        "contact": "Contacto",
        "who": "Quién es usted",
        "interests": "Sus intereses",
        "offers": "Lo que ofrece",
        "requests": "Lo que busca",
        "add_partners": "Añadir un socio",
        "add_amounts": "Añadir un monto",
        "add_places": "Añadir un lugar",
        "add_countries": "Añadir un país",
        "add_offers": "Añadir una oferta",
        "add_requests": "Añadir una solicitud",
        "row": "{group}, fila {n}",
        "submit": "Enviar para revisión",
        "required": "obligatorio",
        "required_error": "{label}: este campo es obligatorio.",
        "choose": "(elija)",
        "fund": "Fondo",
        "programme": "Programa de financiación",
        "organisation": "Organización",
        "errors_title": "{n} problema(s) por corregir; no se guardó nada",
        "pending_title": "Contribución pendiente de revisión",
        "pending_text": "Gracias. Su contribución {id} está pendiente de revisión: un curador la comprobará y la publicará, o le dirá por qué no. Hasta entonces no está en el grafo.",
        "pending_origin": "Origen",
        "pending_triples": "Enunciados",
        "another": "Enviar otra contribución",
        "date_hint": "Un año, un año y mes, o una fecha: 2019, 2019-05, 2019-05-17.",
        "name_hint": "Un nombre que el grafo conoce se enlaza con él; otro nombre se añade como un nodo nuevo.",
        "place_hint": "Un país o lugar que el grafo conoce.",
        "unknown_place": "El grafo no tiene ningún país o lugar llamado {name!r}; escriba el nombre de uno (aparecen sugerencias al escribir).",
        "ambiguous_place": "Varios países o lugares se llaman {name!r}; escriba un nombre más preciso.",
        "not_a_choice": "{value!r} no es una de las opciones.",
        "pipe": "Un elemento no puede contener el carácter |.",
        "need_one": "Indique al menos una cosa que ofrece o busca.",
        "name_first": "Indique también el nombre de esta fila.",
        "logged_in": "Sesión iniciada como {name}.",
        "review": "Contribuciones por revisar",
    },
    "fr": {
        "list_title": "Contribuer",
        "list_intro": "Envoyez ce que vous savez de la coopération culturelle internationale. Chaque formulaire est vérifié comme toute écriture dans le graphe et gardé comme une contribution, en attente jusqu'à ce qu'un curateur la relise ; rien n'est publié avant.",
        "csv": "Pour de nombreuses lignes à la fois, remplissez plutôt un modèle CSV (voir la documentation de l'écriture).",
        "periodic-report": "Entrée de rapport périodique sur la coopération internationale",
        "periodic-report_intro": "Une entrée du rapport périodique d'une Partie sur la Convention de 2005 au sujet de la coopération internationale (articles 12 à 16) : la mesure, ses partenaires, ses ressources financières, ses résultats et son évaluation.",
        "source-profile": "Profil d'une source de coopération",
        "source-profile_intro": "Un fonds ou une organisation qui finance la coopération culturelle, pour l'annuaire des sources : ce qu'elle finance, pour qui, combien, et qui contacter.",
        "partnership-proposal": "Proposition de partenariat",
        "partnership-proposal_intro": "Dans les termes de l'Alliance globale pour la diversité culturelle : qui vous êtes, vos intérêts, ce que vous offrez et ce que vous cherchez. Une fois approuvées, /match rapproche offres et demandes.",
        "measure": "La mesure",
        "period": "Période",
        "classification": "Articles de la Convention, secteurs et modalités",
        "partners": "Partenaires",
        "amounts": "Ressources financières",
        "evaluation": "Résultats et évaluation",
        "places": "Où",
        "source": "La source",
        "funding": "Ce qu'elle finance",
        "eligibility": "Qui peut postuler",
        "typical_amounts": "Montants",
        "contact": "Contact",
        "who": "Qui vous êtes",
        "interests": "Vos intérêts",
        "offers": "Ce que vous offrez",
        "requests": "Ce que vous cherchez",
        "add_partners": "Ajouter un partenaire",
        "add_amounts": "Ajouter un montant",
        "add_places": "Ajouter un lieu",
        "add_countries": "Ajouter un pays",
        "add_offers": "Ajouter une offre",
        "add_requests": "Ajouter une demande",
        "row": "{group}, ligne {n}",
        "submit": "Envoyer pour relecture",
        "required": "obligatoire",
        "required_error": "{label} : ce champ est obligatoire.",
        "choose": "(choisir)",
        "fund": "Fonds",
        "programme": "Programme de financement",
        "organisation": "Organisation",
        "errors_title": "{n} problème(s) à corriger ; rien n'a été gardé",
        "pending_title": "Contribution en attente de relecture",
        "pending_text": "Merci. Votre contribution {id} est en attente de relecture : un curateur la vérifiera et la publiera, ou vous dira pourquoi non. D'ici là, elle n'est pas dans le graphe.",
        "pending_origin": "Origine",
        "pending_triples": "Énoncés",
        "another": "Envoyer une autre contribution",
        "date_hint": "Une année, une année et un mois, ou une date : 2019, 2019-05, 2019-05-17.",
        "name_hint": "Un nom que le graphe connaît est lié à son nœud ; un autre nom est ajouté comme nouveau nœud.",
        "place_hint": "Un pays ou un lieu que le graphe connaît.",
        "unknown_place": "Le graphe n'a aucun pays ni lieu nommé {name!r} ; tapez le nom de l'un d'eux (des suggestions apparaissent pendant la frappe).",
        "ambiguous_place": "Plusieurs pays ou lieux s'appellent {name!r} ; tapez un nom plus précis.",
        "not_a_choice": "{value!r} ne fait pas partie des choix.",
        "pipe": "Un élément ne peut pas contenir le caractère |.",
        "need_one": "Indiquez au moins une chose que vous offrez ou cherchez.",
        "name_first": "Indiquez aussi le nom de cette ligne.",
        "logged_in": "Connecté en tant que {name}.",
        "review": "Contributions à relire",
    },
}
"""The words of the forms' pages per language (field labels are in ``mappings/README.md``)."""


# ---------------------------------------------------------------------------------------------
# What a form is
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input of a form.

    Attributes
    ----------
    name
        Its name within its group (``title``; in a group ``partners``, ``partners-0-name``).
    key
        Where its label comes from and which column it feeds: ``template.column``, or
        ``form.field`` for a field of one form only.
    widget
        ``text``, ``textarea``, ``lines`` (one item per line), ``date``, ``decimal``,
        ``currency``, ``email``, ``url``, ``name`` (resolved or minted), ``place`` (resolved),
        ``select`` or ``checkboxes``.
    required
        Whether it must be filled (in a group: in every row that is not empty).
    choices
        For ``select`` and ``checkboxes``: the group of ``form-choices`` (``cultural-sector``,
        ``modality``, ``organisation-sector``, ``article``) or ``source-kind``.
    """

    name: str
    key: str
    widget: str = "text"
    required: bool = False
    choices: str = ""

    @property
    def column(self) -> tuple[str, str] | None:
        """The template and column the field's value is checked as, if it feeds one directly."""
        template_name, _, column = self.key.partition(".")
        if self.widget in ("name", "place") or template_name in FORM_NAMES:
            return None
        return template_name, column


@dataclass(frozen=True)
class Group:
    """Fields shown together: fixed (``name`` empty) or a repeatable row (``partners``)."""

    name: str
    fields: tuple[Field, ...]

    @property
    def repeatable(self) -> bool:
        return bool(self.name)


@dataclass(frozen=True)
class Section:
    """A part of a form with a heading (a key of :data:`TEXTS`)."""

    heading: str
    groups: tuple[Group, ...]


@dataclass
class Values:
    """What was typed: fixed fields (a list for checkboxes) and the rows of each repeatable group."""

    fixed: dict[str, str | list[str]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.fixed.get(name, "")
        return value if isinstance(value, str) else ""

    def chosen(self, name: str) -> list[str]:
        value = self.fixed.get(name, [])
        return value if isinstance(value, list) else [value] if value else []

    def filled(self, group: str) -> list[tuple[int, dict[str, str]]]:
        """The rows of ``group`` with at least one value, with their index."""
        return [(i, row) for i, row in enumerate(self.rows.get(group, [])) if any(row.values())]


@dataclass(frozen=True)
class FieldError:
    """A problem with the value of one field (its HTML id)."""

    field: str
    message: str


@dataclass
class Plan:
    """The rows a form's values make, and for each cell the field that gave it.

    Attributes
    ----------
    rows
        Per template, its rows (each with its ``row`` number).
    where
        ``(template, row, column)`` to the field id; ``(template, row, "")`` is the row's field
        for errors of a column no field feeds.
    errors
        Problems found before any row is checked (names, choices).
    """

    rows: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    where: dict[tuple[str, int, str], str] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    def add(self, template_name: str, cells: dict[str, str], fields: Mapping[str, str], default: str) -> str:
        """Add a row of ``template_name``; ``fields`` maps its columns to field ids. Returns its number."""
        number = len(self.rows[template_name]) + 2
        self.rows[template_name].append({**cells, "row": str(number)})
        for column, field_id in fields.items():
            self.where[(template_name, number, column)] = field_id
        self.where[(template_name, number, "")] = default
        return str(number)

    def field_of(self, template_name: str, error: CellError) -> str:
        """The field an error of a row of ``template_name`` belongs to."""
        return self.where.get((template_name, error.row, error.column)) or self.where.get(
            (template_name, error.row, ""), ""
        )


@dataclass
class Context:
    """What building the rows needs besides the values: names of the graph, the day, the language."""

    resolve: Callable[[str, frozenset[str]], list[str]]
    today: str
    lang: str
    sector_labels: Mapping[str, str] = field(default_factory=dict)
    """The types of entity (organisation-sector keys) and their labels in :attr:`lang`."""

    def sector_label(self, key: str) -> str:
        """The words the form showed for a type of entity."""
        return self.sector_labels.get(key, key)


@dataclass(frozen=True)
class Form:
    """A contribution form: its sections and how its values become rows."""

    name: str
    sections: tuple[Section, ...]
    build: Callable[[Values, Context], Plan]

    def groups(self) -> Iterable[Group]:
        for section in self.sections:
            yield from section.groups

    def field_named(self, field_id: str) -> Field | None:
        """The field an HTML id stands for (``title``, ``partners-0-name``)."""
        for group in self.groups():
            for item in group.fields:
                if (
                    group.name
                    and field_id.startswith(group.name + "-")
                    and field_id.endswith("-" + item.name)
                ) or (not group.name and field_id == item.name):
                    return item
        return None


# ---------------------------------------------------------------------------------------------
# Slugs, lists and names
# ---------------------------------------------------------------------------------------------


def slugify(text: str, limit: int = MAX_SLUG_CHARS) -> str:
    """A slug made from a name: ASCII letters and digits, single hyphens, at most ``limit`` characters.

    The same name always gives the same slug, so the same IRI.

    Examples
    --------
    >>> slugify("Ministère de la Culture du Pérou")
    'ministere-de-la-culture-du-perou'
    >>> slugify("  IBERMÚSICAS: 2012–2015 ")
    'ibermusicas-2012-2015'
    >>> slugify("<script>")
    'script'
    """
    # accents go with their letter; other non-ASCII marks (dashes, quotes, spaces) separate words
    ascii_text = "".join(
        char if char.isascii() else "" if unicodedata.category(char)[0] in "LM" else " "
        for char in unicodedata.normalize("NFKD", text)
    ).lower()
    slug = _NAME_PREFIX.sub("-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box, trimmed.

    >>> lines("Two films\\n\\n  Five workshops ")
    ['Two films', 'Five workshops']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def id_path(iri: str) -> str:
    """An IRI of the graph as a template's ``iri`` cell takes it (its path under ``/id/``).

    >>> id_path("https://w3id.org/coopgraph/id/party/peru")
    'party/peru'
    """
    return iri.removeprefix(ID_BASE)


def name_index(store: Store, catalogue: QueryCatalogue) -> dict[str, dict[str, set[str]]]:
    """Every label of the graph, normalised, to the IRIs it names by kind; once per store version."""

    def build() -> dict[str, dict[str, set[str]]]:
        labels = fetch_labels(store, catalogue)
        index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for iri, found in labels.every.items():
            for text, _, _ in found:
                key = normalise(text)
                if key:
                    index[key][labels.kind(iri)].add(iri)
        return {k: dict(v) for k, v in index.items()}

    return per_version(store, ("form-names",), build)


def resolver(store: Store, catalogue: QueryCatalogue) -> Callable[[str, frozenset[str]], list[str]]:
    """A function giving the IRIs of the given kinds a name is a label of (case and accents aside)."""
    index = name_index(store, catalogue)

    def resolve(name: str, kinds: frozenset[str]) -> list[str]:
        found = index.get(normalise(name), {})
        return sorted({iri for kind, iris in found.items() if kind in kinds for iri in iris})

    return resolve


# ---------------------------------------------------------------------------------------------
# Labels and choices, from the knowledge folders and the graph
# ---------------------------------------------------------------------------------------------


def form_labels(settings: Settings) -> dict[str, dict[str, str]]:
    """The "Form labels" table of ``mappings/README.md``: field key to label per language."""
    readme = mappings_dir(settings) / "README.md"
    return _read_labels(str(readme), readme.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _read_labels(readme: str, stamp: int) -> dict[str, dict[str, str]]:
    text = Path(readme).read_text("utf-8")
    _, _, section = text.partition("\n## Form labels\n")
    section = section.split("\n## ", 1)[0]
    found: dict[str, dict[str, str]] = {}
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")] if rows else []
    for line in rows[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        found[cells[0]] = {
            lang: cells[i] for i, lang in enumerate(header) if lang in FORM_LANGUAGES and cells[i]
        }
    return found


@dataclass(frozen=True)
class Choice:
    """One option of a list or checkbox group: the cell value, the concept and its labels."""

    key: str
    iri: str
    labels: dict[str, str]
    order: float

    def label(self, lang: str) -> str:
        return pick_label(self.labels, [lang, "en"]) or self.key


def choices(store: Store, catalogue: QueryCatalogue) -> dict[str, list[Choice]]:
    """The options of the forms by group (``cultural-sector``, ``article``...), once per store version."""

    def build() -> dict[str, list[Choice]]:
        found: dict[tuple[str, str], Choice] = {}
        for row in store.select(catalogue.internal("form-choices").text):
            group, key = row["group"].value, row["key"].value
            entry = found.setdefault((group, key), Choice(key, row["concept"].value, {}, 0.0))
            order = row.get("order")
            if order is not None and re.fullmatch(r"\d+(\.\d+)?", order.value):
                entry = found[(group, key)] = Choice(key, entry.iri, entry.labels, float(order.value))
            label = row.get("label")
            if isinstance(label, ox.Literal):
                entry.labels.setdefault((label.language or "en").lower(), label.value)
        grouped: dict[str, list[Choice]] = defaultdict(list)
        for (group, _), choice in found.items():
            grouped[group].append(choice)
        for items in grouped.values():
            items.sort(key=lambda c: (c.order, c.label("en").casefold()))
        grouped["source-kind"] = [
            Choice(kind, ID_BASE + kind, {}, order) for order, kind in enumerate(SOURCE_KIND_TYPES)
        ]
        return dict(grouped)

    return per_version(store, ("form-choices",), build)


def choice_label(choice: Choice, group: str, lang: str) -> str:
    """The label shown for an option (the kinds of source are words of :data:`TEXTS`)."""
    if group == "source-kind":
        return TEXTS[lang].get(choice.key, choice.key)
    return choice.label(lang)


def field_label(
    item: Field, lang: str, settings: Settings, property_labels: Mapping[str, Mapping[str, str]]
) -> str:
    """A field's label: the "Form labels" table, else the ontology's label of the property its column feeds.

    Parameters
    ----------
    item
        The field.
    lang
        The page's language.
    settings
        Where ``mappings/`` is.
    property_labels
        Labels by IRI and language (the ontology's, as the store has them).
    """
    table = form_labels(settings).get(item.key)
    if table:
        return table.get(lang) or table.get("en") or item.key
    template_name, _, column = item.key.partition(".")
    if template_name not in FORM_NAMES:
        spec = template(settings, template_name)
        for predicate, fed in predicate_columns(spec).items():
            if fed == column and property_labels.get(predicate):
                text = pick_label(dict(property_labels[predicate]), [lang, "en"])
                if text:
                    return text[:1].upper() + text[1:]
        described = spec.column(column)
        if described is not None:
            return described.meaning[:1].upper() + described.meaning[1:]
    return item.key


# ---------------------------------------------------------------------------------------------
# Reading the values posted
# ---------------------------------------------------------------------------------------------


def read_values(form: Form, pairs: Iterable[tuple[str, str]]) -> tuple[Values, str | None]:
    """The values of ``form`` in a posted body, and the group an "add" button asked a row for.

    Unknown names are ignored; a row index past :data:`MAX_ROWS` is ignored; every repeatable
    group has at least one row.

    Examples
    --------
    >>> values, add = read_values(FORMS["periodic-report"], [("title", "X"), ("partners-1-name", "Y"), ("add", "partners")])
    >>> values.text("title"), [r["name"] for r in values.rows["partners"]], add
    ('X', ['', 'Y', ''], 'partners')
    """
    values = Values()
    add: str | None = None
    fixed = {f.name: f for g in form.groups() if not g.repeatable for f in g.fields}
    grouped = {g.name: {f.name for f in g.fields} for g in form.groups() if g.repeatable}
    cells: dict[str, dict[int, dict[str, str]]] = {name: {} for name in grouped}
    for name, value in pairs:
        if name == "add":
            add = value if value in grouped else add
        elif name in fixed:
            if fixed[name].widget == "checkboxes":
                chosen = values.fixed.setdefault(name, [])
                if isinstance(chosen, list) and value not in chosen:
                    chosen.append(value)
            else:
                values.fixed[name] = value.strip()
        else:
            group, _, rest = name.partition("-")
            index, _, column = rest.partition("-")
            if group in grouped and column in grouped[group] and index.isdigit() and int(index) < MAX_ROWS:
                cells[group].setdefault(int(index), {})[column] = value.strip()
    for group, columns in grouped.items():
        count = max(cells[group], default=-1) + 1
        values.rows[group] = [
            {column: cells[group].get(i, {}).get(column, "") for column in sorted(columns)}
            for i in range(max(count, 1))
        ]
    if add is not None and len(values.rows[add]) < MAX_ROWS:
        values.rows[add].append(dict.fromkeys(grouped[add], ""))
    return values, add


# ---------------------------------------------------------------------------------------------
# Checking and mapping
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What :func:`submit` made of a form's values."""

    triples: list[ox.Triple] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.triples)

    def by_field(self) -> dict[str, list[str]]:
        """The error messages of each field id, in order."""
        found: dict[str, list[str]] = defaultdict(list)
        for error in self.errors:
            if error.message not in found[error.field]:
                found[error.field].append(error.message)
        return dict(found)


def _field_ids(form: Form, values: Values) -> Iterable[tuple[str, Field]]:
    for group in form.groups():
        if not group.repeatable:
            for item in group.fields:
                yield item.name, item
        else:
            for index, _ in values.filled(group.name):
                for item in group.fields:
                    yield f"{group.name}-{index}-{item.name}", item


def check_fields(
    form: Form,
    values: Values,
    settings: Settings,
    option_keys: Mapping[str, set[str]],
    label: Callable[[Field], str],
    lang: str,
) -> list[FieldError]:
    """Every field's value on its own: required, one of the choices, of its column's datatype."""
    texts = TEXTS[lang]
    classes = ontology_classes(settings)
    errors: list[FieldError] = []
    for field_id, item in _field_ids(form, values):
        if item.widget == "checkboxes":
            for value in values.chosen(field_id):
                if value not in option_keys.get(item.choices, set()):
                    errors.append(FieldError(field_id, texts["not_a_choice"].format(value=value[:60])))
                    break
            continue
        group, _, rest = field_id.partition("-")
        value = (
            values.rows[group][int(rest.split("-", 1)[0])].get(item.name, "")
            if rest
            else values.text(field_id)
        )
        if not value:
            if item.required:
                errors.append(FieldError(field_id, texts["required_error"].format(label=label(item))))
            continue
        if item.widget == "select" and value not in option_keys.get(item.choices, set()):
            errors.append(FieldError(field_id, texts["not_a_choice"].format(value=value[:60])))
            continue
        column = _column_of(item, settings)
        items = lines(value) if item.widget == "lines" else [value]
        for part in items:
            problem = check_value(column, part, classes)
            if problem is None and item.widget == "lines" and LIST_SEPARATOR in part:
                problem = texts["pipe"]
            if problem is not None:
                errors.append(FieldError(field_id, problem))
                break
    return errors


def _column_of(item: Field, settings: Settings) -> Column:
    target = item.column
    if target is None:
        return _TEXT
    found = template(settings, target[0]).column(target[1])
    if found is None:
        return _TEXT
    # an item of a list column is checked as one value of its datatype
    return Column(found.name, found.meaning, False, found.datatype.removesuffix(" list"), found.example)


def submit(
    form: Form,
    values: Values,
    store: Store,
    catalogue: QueryCatalogue,
    settings: Settings,
    lang: str = "en",
    today: str | None = None,
) -> Outcome:
    """Check a form's values, make its templates' rows, map them and run the gate.

    Parameters
    ----------
    form
        The form (:data:`FORMS`).
    values
        What was typed (:func:`read_values`).
    store
        The store the content would join (read only): names are resolved against it, links checked.
    catalogue
        The query catalogue (``form-choices``, labels).
    settings
        The knowledge folders.
    lang
        The page's language (messages; the submission's language).
    today
        The date of the form as its source document's date (default: today).

    Returns
    -------
    Outcome
        The triples to keep as a submission, or the errors by field id.
    """
    options = choices(store, catalogue)
    option_keys = {group: {c.key for c in items} for group, items in options.items()}
    labels = fetch_labels(store, catalogue).preferred

    def label(item: Field) -> str:
        return field_label(item, lang, settings, labels)

    outcome = Outcome()
    outcome.errors = check_fields(form, values, settings, option_keys, label, lang)
    sectors = {c.key: c.label(lang) for c in options.get("organisation-sector", [])}
    context = Context(resolver(store, catalogue), today or date.today().isoformat(), lang, sectors)
    plan = form.build(values, context)
    outcome.errors.extend(plan.errors)
    outcome.rows = dict(plan.rows)
    if outcome.errors:
        return outcome
    parts = []
    for name, rows in plan.rows.items():
        spec = template(settings, name)
        # every column present, as read_csv gives a file's rows
        parts.append((spec, [{**dict.fromkeys((c.name for c in spec.columns), ""), **row} for row in rows]))
    first = next(f.name for g in form.groups() for f in g.fields)
    results: dict[str, Mapped] = gate_rows(store, parts, settings, lang)
    for name, mapped in results.items():
        for error in mapped.errors:
            outcome.errors.append(FieldError(plan.field_of(name, error) or first, error.message))
        for warning in mapped.warnings:
            outcome.warnings.append(FieldError(plan.field_of(name, warning) or first, warning.message))
        outcome.triples.extend(mapped.triples)
    if outcome.errors:
        outcome.triples = []
    return outcome


# ---------------------------------------------------------------------------------------------
# The three forms
# ---------------------------------------------------------------------------------------------


def _named(name: str, lang: str) -> dict[str, str]:
    """The label cells of a name typed on a page in ``lang``, and the language of the row's texts.

    The shapes ask every node for an English name, so a name typed in Spanish or French is its
    label in that language and, until a curator translates it, its English one too.

    >>> _named("Casa de la Literatura", "es")
    {'label_en': 'Casa de la Literatura', 'label_es': 'Casa de la Literatura', 'language': 'es'}
    """
    return {"label_en": name, f"label_{lang}": name, "language": lang}


def _name_fields(field_id: str, lang: str) -> dict[str, str]:
    """The fields the label cells of :func:`_named` came from."""
    return {"label_en": field_id, f"label_{lang}": field_id}


def _place(
    values: Values, context: Context, field_id: str, name: str, kinds: frozenset[str], plan: Plan
) -> str:
    """The IRI path of the country or place ``name`` names, or "" with an error on ``field_id``."""
    found = context.resolve(name, kinds)
    if len(found) == 1:
        return id_path(found[0])
    key = "ambiguous_place" if found else "unknown_place"
    plan.errors.append(FieldError(field_id, TEXTS[context.lang][key].format(name=name[:80])))
    return ""


def _agent(
    name: str, sector: str, context: Context, plan: Plan, source: str, locator: str, fields: Mapping[str, str]
) -> tuple[str, bool]:
    """The path of the agent ``name`` names, or of a new organisation minted for it (a row of
    actors), and whether it is new."""
    found = context.resolve(name, ACTOR_KINDS)
    if len(found) == 1:
        return id_path(found[0]), False
    slug = slugify(name)
    cells = {
        "slug": slug,
        "kind": "organisation",
        "type": "Organisation",
        **_named(name, context.lang),
        "sector": sector,
        "source": source,
        "locator": locator,
        "quote": name,
    }
    name_field = fields.get("label_en", "")
    plan.add("actors", cells, {**fields, **_name_fields(name_field, context.lang)}, name_field)
    return f"organisation/{slug}", True


def _source_row(plan: Plan, slug: str, title: str, publisher: str, context: Context, field_id: str) -> str:
    plan.add(
        "sources",
        {
            "slug": slug,
            "title": title,
            "publisher": publisher,
            "date": context.today,
            "language": context.lang,
        },
        {"title": field_id},
        field_id,
    )
    return f"source/{slug}"


def _periodic_report(values: Values, context: Context) -> Plan:
    plan = Plan()
    title = values.text("title")
    slug = slugify(title)
    country_name = values.text("country")
    country = _place(values, context, "country", country_name, COUNTRY_KINDS, plan) if country_name else ""
    source = _source_row(
        plan, f"{slug}-periodic-report", f"{title} (periodic report entry)", country_name, context, "title"
    )
    places = [
        _place(values, context, f"places-{i}-name", row["name"], PLACE_KINDS, plan)
        for i, row in values.filled("places")
    ]
    activity = f"programme/{slug}"
    plan.add(
        "activities",
        {
            "slug": slug,
            "kind": "programme",
            "type": "Programme",
            **_named(title, context.lang),
            "description": values.text("description"),
            "start": values.text("start"),
            "end": values.text("end"),
            "modalities": LIST_SEPARATOR.join(values.chosen("modalities")),
            "sectors": LIST_SEPARATOR.join(values.chosen("sectors")),
            "articles": LIST_SEPARATOR.join(values.chosen("articles")),
            "locations": LIST_SEPARATOR.join(p for p in places if p),
            "results": LIST_SEPARATOR.join(lines(values.text("results"))),
            "evaluation": values.text("evaluation"),
            "conclusions": LIST_SEPARATOR.join(lines(values.text("conclusions"))),
            "indicators": LIST_SEPARATOR.join(lines(values.text("indicators"))),
            "source": source,
            "locator": "Title",
            "quote": title,
        },
        {
            name: name
            for name in ("description", "start", "end", "modalities", "sectors", "articles", "results")
        }
        | _name_fields("title", context.lang)
        | {
            "evaluation": "evaluation",
            "conclusions": "conclusions",
            "indicators": "indicators",
        }
        | {"locations": "places-0-name"},
        "title",
    )
    if country:
        plan.add(
            "participations",
            {"activity": activity, "agent": country, "role": "implementing"},
            {"agent": "country"},
            "country",
        )
    for i, row in values.filled("partners"):
        field_id = f"partners-{i}-name"
        if not row["name"]:
            plan.errors.append(FieldError(field_id, TEXTS[context.lang]["name_first"]))
            continue
        agent, new = _agent(
            row["name"],
            row["type"],
            context,
            plan,
            source,
            "Partners: name of the partner",
            {"label_en": field_id, "sector": f"partners-{i}-type"},
        )
        cells = {"activity": activity, "agent": agent, "role": "partner"}
        if row["type"] and not new:
            # a node the graph has keeps its own type of entity; the one the report gives is the
            # participation's, with the words of the form as its quote
            cells |= {
                "agent_sector": row["type"],
                "source": source,
                "locator": "Partners: name of the partner / type of entity",
                "quote": f"{row['name']}\n{context.sector_label(row['type'])}",
            }
        plan.add("participations", cells, {"agent_sector": f"partners-{i}-type"}, field_id)
    for n, (i, row) in enumerate(values.filled("amounts"), start=1):
        plan.add(
            "contributions",
            {
                "slug": f"{slug}-{n}",
                "label_en": f"Financial resources {n} of {title}",
                "contributor": country,
                "recipient": activity,
                "amount": row["amount"],
                "currency": row["currency"],
                "source": source,
                "locator": "Financial resources",
                "quote": f"{row['amount']} {row['currency']}".strip(),
            },
            {"amount": f"amounts-{i}-amount", "currency": f"amounts-{i}-currency", "contributor": "country"},
            f"amounts-{i}-amount",
        )
    return plan


def _source_profile(values: Values, context: Context) -> Plan:
    plan = Plan()
    name = values.text("name")
    slug = slugify(name)
    source = _source_row(
        plan, f"{slug}-source-profile", f"Profile of {name} (cooperation source)", name, context, "name"
    )
    country_name = values.text("country")
    country = _place(values, context, "country", country_name, COUNTRY_KINDS, plan) if country_name else ""
    eligible = [
        _place(values, context, f"countries-{i}-name", row["name"], COUNTRY_KINDS, plan)
        for i, row in values.filled("countries")
    ]
    amounts = values.filled("amounts")
    kind = values.text("kind") or "fund"
    plan.add(
        "actors",
        {
            "slug": slug,
            "kind": kind,
            "type": SOURCE_KIND_TYPES.get(kind, "Organisation"),
            **_named(name, context.lang),
            "description": values.text("description"),
            "country": country,
            "homepage": values.text("homepage"),
            "email": values.text("email"),
            "finances": LIST_SEPARATOR.join(values.chosen("finances")),
            "finances_modalities": LIST_SEPARATOR.join(values.chosen("modalities")),
            "eligible_countries": LIST_SEPARATOR.join(e for e in eligible if e),
            "amounts": LIST_SEPARATOR.join(row["amount"] for _, row in amounts),
            "currencies": LIST_SEPARATOR.join(row["currency"] for _, row in amounts),
            "source": source,
            "locator": "Source profile",
            "quote": name,
        },
        {
            **_name_fields("name", context.lang),
            "kind": "kind",
            "type": "kind",
            "description": "description",
            "country": "country",
            "homepage": "homepage",
            "email": "email",
            "finances": "finances",
            "finances_modalities": "modalities",
            "eligible_countries": "countries-0-name",
            "amounts": f"amounts-{amounts[0][0]}-amount" if amounts else "name",
            "currencies": f"amounts-{amounts[0][0]}-currency" if amounts else "name",
        },
        "name",
    )
    return plan


def _partnership_proposal(values: Values, context: Context) -> Plan:
    plan = Plan()
    name = values.text("name")
    slug = slugify(name)
    source = _source_row(
        plan, f"{slug}-partnership-proposal", f"Partnership proposal of {name}", name, context, "name"
    )
    country_name = values.text("country")
    country = _place(values, context, "country", country_name, COUNTRY_KINDS, plan) if country_name else ""
    found = context.resolve(name, ACTOR_KINDS) if name else []
    if len(found) == 1:
        agent = id_path(found[0])
    else:
        agent = f"organisation/{slug}"
        plan.add(
            "actors",
            {
                "slug": slug,
                "kind": "organisation",
                "type": "Organisation",
                **_named(name, context.lang),
                "sector": values.text("type"),
                "country": country,
                "homepage": values.text("homepage"),
                "email": values.text("email"),
                "source": source,
                "locator": "Who you are",
                "quote": name,
            },
            {
                **_name_fields("name", context.lang),
                "sector": "type",
                "country": "country",
                "homepage": "homepage",
                "email": "email",
            },
            "name",
        )
    common = {
        "sectors": LIST_SEPARATOR.join(values.chosen("sectors")),
        "modalities": LIST_SEPARATOR.join(values.chosen("modalities")),
        "source": source,
    }
    wheres = {"sectors": "sectors", "modalities": "modalities"}
    proposals = 0
    for group, by, locator in (
        ("offers", "offered_by", "What you offer"),
        ("requests", "requested_by", "What you seek"),
    ):
        for i, row in values.filled(group):
            field_id = f"{group}-{i}-title"
            if not row["title"]:
                plan.errors.append(FieldError(field_id, TEXTS[context.lang]["name_first"]))
                continue
            proposals += 1
            plan.add(
                group,
                {
                    **common,
                    "slug": slugify(f"{slug} {row['title']}", 100),
                    **_named(row["title"], context.lang),
                    "description": row["description"],
                    by: agent,
                    "locator": locator,
                    "quote": row["title"],
                },
                {
                    **wheres,
                    **_name_fields(field_id, context.lang),
                    "description": f"{group}-{i}-description",
                    by: "name",
                },
                field_id,
            )
    if not proposals and not any(e.field.startswith(("offers-", "requests-")) for e in plan.errors):
        plan.errors.append(FieldError("offers-0-title", TEXTS[context.lang]["need_one"]))
    return plan


_CHECK = "checkboxes"
FORMS: dict[str, Form] = {
    "periodic-report": Form(
        "periodic-report",
        (
            Section(
                "measure",
                (
                    Group(
                        "",
                        (
                            Field("country", "periodic-report.country", "place", required=True),
                            Field("title", "activities.label_en", "text", required=True),
                            Field("description", "activities.description", "textarea"),
                        ),
                    ),
                ),
            ),
            Section(
                "period",
                (
                    Group(
                        "",
                        (Field("start", "activities.start", "date"), Field("end", "activities.end", "date")),
                    ),
                ),
            ),
            Section(
                "classification",
                (
                    Group(
                        "",
                        (
                            Field("articles", "activities.articles", _CHECK, choices="article"),
                            Field("sectors", "activities.sectors", _CHECK, choices="cultural-sector"),
                            Field("modalities", "activities.modalities", _CHECK, choices="modality"),
                        ),
                    ),
                ),
            ),
            Section("places", (Group("places", (Field("name", "activities.locations", "place"),)),)),
            Section(
                "partners",
                (
                    Group(
                        "partners",
                        (
                            Field("name", "participations.agent", "name"),
                            Field("type", "actors.sector", "select", choices="organisation-sector"),
                        ),
                    ),
                ),
            ),
            Section(
                "amounts",
                (
                    Group(
                        "amounts",
                        (
                            Field("amount", "contributions.amount", "decimal", required=True),
                            Field("currency", "contributions.currency", "currency", required=True),
                        ),
                    ),
                ),
            ),
            Section(
                "evaluation",
                (
                    Group(
                        "",
                        (
                            Field("results", "activities.results", "lines"),
                            Field("evaluation", "activities.evaluation", "textarea"),
                            Field("conclusions", "activities.conclusions", "lines"),
                            Field("indicators", "activities.indicators", "lines"),
                        ),
                    ),
                ),
            ),
        ),
        _periodic_report,
    ),
    "source-profile": Form(
        "source-profile",
        (
            Section(
                "source",
                (
                    Group(
                        "",
                        (
                            Field("name", "actors.label_en", "text", required=True),
                            Field("kind", "actors.kind", "select", required=True, choices="source-kind"),
                            Field("description", "actors.description", "textarea"),
                            Field("country", "actors.country", "place"),
                        ),
                    ),
                ),
            ),
            Section(
                "funding",
                (
                    Group(
                        "",
                        (
                            Field("finances", "actors.finances", _CHECK, choices="cultural-sector"),
                            Field("modalities", "actors.finances_modalities", _CHECK, choices="modality"),
                        ),
                    ),
                ),
            ),
            Section(
                "eligibility", (Group("countries", (Field("name", "actors.eligible_countries", "place"),)),)
            ),
            Section(
                "typical_amounts",
                (
                    Group(
                        "amounts",
                        (
                            Field("amount", "actors.amounts", "decimal", required=True),
                            Field("currency", "actors.currencies", "currency", required=True),
                        ),
                    ),
                ),
            ),
            Section(
                "contact",
                (
                    Group(
                        "",
                        (
                            Field("email", "actors.email", "email"),
                            Field("homepage", "actors.homepage", "url"),
                        ),
                    ),
                ),
            ),
        ),
        _source_profile,
    ),
    "partnership-proposal": Form(
        "partnership-proposal",
        (
            Section(
                "who",
                (
                    Group(
                        "",
                        (
                            Field("name", "partnership-proposal.name", "name", required=True),
                            Field("type", "actors.sector", "select", choices="organisation-sector"),
                            Field("country", "actors.country", "place"),
                            Field("email", "actors.email", "email"),
                            Field("homepage", "actors.homepage", "url"),
                        ),
                    ),
                ),
            ),
            Section(
                "interests",
                (
                    Group(
                        "",
                        (
                            Field(
                                "sectors", "partnership-proposal.sectors", _CHECK, choices="cultural-sector"
                            ),
                            Field(
                                "modalities", "partnership-proposal.modalities", _CHECK, choices="modality"
                            ),
                        ),
                    ),
                ),
            ),
            Section(
                "offers",
                (
                    Group(
                        "offers",
                        (
                            Field("title", "offers.label_en"),
                            Field("description", "offers.description", "textarea"),
                        ),
                    ),
                ),
            ),
            Section(
                "requests",
                (
                    Group(
                        "requests",
                        (
                            Field("title", "requests.label_en"),
                            Field("description", "requests.description", "textarea"),
                        ),
                    ),
                ),
            ),
        ),
        _partnership_proposal,
    ),
}
"""The forms of ``/contribute/{form}``, by name."""
FORM_NAMES = frozenset(FORMS)


def form(name: str) -> Form:
    """The form called ``name``.

    Raises
    ------
    NotFound
        With the names of the forms there are.
    """
    if name not in FORMS:
        raise NotFound(f"there is no form {name[:60]!r}; the forms are: {', '.join(FORMS)}")
    return FORMS[name]


def origin(form_name: str) -> str:
    """What a submission from a form says it came from.

    >>> origin("periodic-report")
    'form periodic-report'
    """
    return f"form {form_name}"
