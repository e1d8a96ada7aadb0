"""SHACL validation of the instance data with pyshacl.

:func:`validate` returns a :class:`ValidationReport` as data; the caller (the CLI, the loader)
decides what to do with it. Validation runs over rdflib in-memory graphs, with the ontology for
RDFS inference, and never touches the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SH

from coopgraph.config import Settings
from coopgraph.errors import InputError
from coopgraph.rdfinput import checked_bytes
from coopgraph.store import RDF_FORMATS
from coopgraph.store.files import check_syntax

_RDFLIB_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".n3": "n3",
}
COOPGRAPH_CONSTRAINTS = "https://w3id.org/coopgraph/def#"
"""Namespace of the constraint components of the term checks in a report (``cg:DatatypeConstraint``)."""
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_LINE_RE = re.compile(r"(?:line[: ]+|at line\s*)(\d+)", re.IGNORECASE)


@dataclass
class ValidationResult:
    """One SHACL result, located in the files: what is wrong, where, and how badly."""

    severity: str
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    source_shape: str | None
    constraint: str
    file: str | None = None
    line: int | None = None


@dataclass
class ValidationReport:
    """The outcome of validating some files.

    Attributes
    ----------
    conforms
        No result of severity Violation (warnings and infos allowed).
    results
        Every result, sorted by file, line and focus node.
    files
        The data files validated.
    report_graph
        The standard SHACL validation report as an rdflib graph.
    """

    conforms: bool
    results: list[ValidationResult]
    files: list[str]
    report_graph: Graph = field(repr=False)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    def summary(self) -> str:
        """One line: conforms or not, and the counts per severity."""
        state = "conforms" if self.conforms else "does not conform"
        return (
            f"{len(self.files)} file(s) {state}: {self.violations} violation(s), "
            f"{self.warnings} warning(s), {self.count('Info')} info(s)"
        )

    def to_json(self) -> str:
        """The report as JSON: ``conforms``, ``summary`` and ``results`` with their locations."""
        return json.dumps(
            {
                "conforms": self.conforms,
                "summary": {
                    "files": len(self.files),
                    "violations": self.violations,
                    "warnings": self.warnings,
                    "infos": self.count("Info"),
                },
                "results": [asdict(r) for r in self.results],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self) -> str:
        """A report a curator can act on: results grouped by focus node, then a summary line."""
        lines: list[str] = []
        current: tuple[str | None, int | None, str] | None = None
        for r in self.results:
            key = (r.file, r.line, r.focus_node)
            if key != current:
                current = key
                where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or "<unknown file>")
                label = f" ({r.focus_label})" if r.focus_label else ""
                lines.append(f"{where}: {r.focus_node}{label}")
            detail = f"  {r.severity}: {r.message}"
            if r.path:
                detail += f"\n    path: {r.path}"
            if r.value is not None:
                detail += f"\n    value: {r.value}"
            detail += f"\n    constraint: {r.constraint}"
            lines.append(detail)
        lines.append(self.summary())
        return "\n".join(lines)


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files named by ``paths``, looking into folders recursively."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in RDF_FORMATS))
        elif path.exists():
            files.append(path)
        else:
            raise InputError("no such file or folder", path)
    return files


def parse_graph(path: Path) -> Graph:
    """Parse one RDF file with rdflib, raising :class:`InputError` with file and line."""
    graph = Graph()
    fmt = _RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF file extension {path.suffix!r}", path)
    checked = checked_bytes(path)  # refuses entity declarations and remote contexts before parsing
    if fmt != "json-ld":
        check_syntax(path)  # Oxigraph's parser names the line and column of a syntax error
    try:
        # N-Quads/TriG files are read as datasets and flattened
        if fmt in {"nquads", "trig"}:
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        elif checked is not None:
            graph.parse(data=checked, format=fmt)
        else:
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        message = str(exc)
        match = _LINE_RE.search(message)
        line = int(match.group(1)) if match else getattr(exc, "lines", None)
        raise InputError(
            message.strip().splitlines()[0] if message else type(exc).__name__, path, line
        ) from exc
    return graph


def _knowledge_graph(folder: Path) -> Graph:
    """The union of the RDF files of a knowledge folder, parsed once per content."""
    files = rdf_files([folder])
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _parse_cached(key)


@lru_cache(maxsize=8)
def _parse_cached(files: tuple[tuple[str, int, int], ...]) -> Graph:
    graph = Graph()
    for name, _, _ in files:
        graph += parse_graph(Path(name))
    return graph


def _subject_lines(path: Path, graph: Graph) -> dict[Node, int]:
    """Line where each subject of a Turtle file starts a statement (for locating results)."""
    if path.suffix.lower() not in {".ttl", ".trig", ".n3", ".nt", ".nq"}:
        return {}
    forms: dict[str, Node] = {}
    prefixes = [(p, str(ns)) for p, ns in graph.namespace_manager.namespaces()]
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef):
            iri = str(subject)
            forms[f"<{iri}>"] = subject
            for prefix, ns in prefixes:
                if iri.startswith(ns) and ns:
                    forms[f"{prefix}:{iri[len(ns) :]}"] = subject
    lines: dict[Node, int] = {}
    for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not text or text[0].isspace() or text.startswith(("#", "@", "PREFIX", "prefix")):
            continue
        token = text.split(None, 1)[0]
        node = forms.get(token)
        if node is not None and node not in lines:
            lines[node] = number
    return lines


def _owner(node: Node, data: Graph, seen: set[Node] | None = None) -> Node:
    """The named node a blank node hangs from (to locate results on blank nodes)."""
    seen = seen or set()
    if not isinstance(node, BNode) or node in seen:
        return node
    seen.add(node)
    for subject in data.subjects(None, node):
        return _owner(subject, data, seen)
    return node


def _term(node: Node | None, graph: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:
            return str(node)
    if isinstance(node, BNode):
        # describe the path of a property shape without blank-node ids
        return "[blank node]"
    return str(node)


def _shape_name(shape: Node | None, shapes: Graph) -> str | None:
    """The name of a shape; a property shape is named after the node shape that holds it."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        path = shapes.value(shape, SH.path)
        if parent is not None:
            return f"{_term(parent, shapes)} / {_term(path, shapes)}"
    return _term(shape, shapes)


def _message(report: Graph, result: Node, lang: str, templates: dict[str, set[str]]) -> str:
    """The result's message in ``lang`` (falling back to English).

    pyshacl drops the language tag of SPARQL-constraint messages when it fills in their
    ``{?var}`` placeholders, so untagged messages are matched back to the tagged templates of
    the shapes graph to learn their language.
    """
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    for wanted in (lang, "en"):
        for m in messages:
            if m.language == wanted:
                return str(m)
        for m in messages:
            if m.language is None and any(re.fullmatch(t, str(m), re.S) for t in templates.get(wanted, ())):
                return str(m)
    return str(messages[0]) if messages else "constraint not met"


def _message_templates(shapes: Graph) -> dict[str, set[str]]:
    """Regular expressions of the shapes' messages with placeholders, per language."""
    templates: dict[str, set[str]] = {}
    for message in shapes.objects(None, SH.message):
        if isinstance(message, Literal) and message.language and "{" in message:
            pattern = re.sub(r"\\\{\\?[?$]?\w+\\\}", ".*", re.escape(str(message)))
            templates.setdefault(message.language, set()).add(pattern)
    return templates


def _label(node: Node, data: Graph, lang: str) -> str | None:
    labels = [lab for lab in data.objects(node, RDFS.label) if isinstance(lab, Literal)]
    for wanted in (lang, "en", None):
        for lab in labels:
            if lab.language == wanted or wanted is None:
                return str(lab)
    return None


def entail_hierarchies(data: Graph, ontology: Graph) -> Graph:
    """Add to ``data`` what the class and property hierarchies of ``ontology`` entail.

    This is RDFS entailment restricted to ``rdfs:subClassOf`` (rules rdfs9, rdfs11) and
    ``rdfs:subPropertyOf`` (rdfs5, rdfs7). Domain and range entailment (rdfs2, rdfs3) is left
    out on purpose: it would type every value of a ranged property with the range class and so
    make every ``sh:class`` check on that property pass, whatever the value.

    Examples
    --------
    >>> from rdflib import Namespace
    >>> EX = Namespace("http://example.org/")
    >>> onto = Graph()
    >>> _ = onto.add((EX.B, RDFS.subClassOf, EX.A)).add((EX.q, RDFS.subPropertyOf, EX.p))
    >>> data = Graph()
    >>> _ = data.add((EX.x, RDF.type, EX.B)).add((EX.x, EX.q, EX.y))
    >>> g = entail_hierarchies(data, onto)
    >>> (EX.x, RDF.type, EX.A) in g, (EX.x, EX.p, EX.y) in g
    (True, True)
    """
    merged = Graph()
    merged += data
    merged += ontology
    superclasses = {
        c: {x for x in merged.transitive_objects(c, RDFS.subClassOf) if x is not None}
        for c in set(merged.subjects(RDFS.subClassOf))
    }
    superproperties = {
        p: {x for x in merged.transitive_objects(p, RDFS.subPropertyOf) if x is not None} - {p}
        for p in set(merged.subjects(RDFS.subPropertyOf))
    }
    for s, o in list(merged.subject_objects(RDF.type)):
        for c in superclasses.get(o, ()):
            merged.add((s, RDF.type, c))
    for p, supers in superproperties.items():
        for s, o in list(merged.subject_objects(p)):
            for sp in supers:
                merged.add((s, sp, o))
    for prefix, ns in data.namespace_manager.namespaces():
        merged.bind(prefix, ns, override=False)
    return merged


def check_validation_size(files: Sequence[Path], limit: int) -> None:
    """Refuse to validate more than ``limit`` bytes of files at once.

    SHACL validation holds the data, its inferences and the report in memory, about 50 times
    the size of an N-Triples file; past the limit the caller is told how to go on instead.

    >>> check_validation_size([Path("pyproject.toml")], 10)
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: pyproject.toml: ... bytes to validate, over COOPGRAPH_MAX_VALIDATE_BYTES (10 bytes): SHACL validation holds about 50 times the data in memory. Validate the files in parts, raise the limit, or load them without validation (coopgraph load --no-validate)
    """
    sizes = [(path, path.stat().st_size) for path in files]
    total = sum(size for _, size in sizes)
    if total > limit:
        largest = max(sizes, key=lambda item: item[1])[0]
        raise InputError(
            f"{total} bytes to validate, over COOPGRAPH_MAX_VALIDATE_BYTES ({limit} bytes): SHACL "
            "validation holds about 50 times the data in memory. Validate the files in parts, "
            "raise the limit, or load them without validation (coopgraph load --no-validate)",
            largest,
        )


def validate(
    paths: Sequence[Path] | None = None,
    settings: Settings | None = None,
    lang: str = "en",
    with_reference: bool = True,
) -> ValidationReport:
    """Validate RDF files against the SHACL shapes, with the ontology's class and property hierarchies.

    Parameters
    ----------
    paths
        Files or folders to validate; default: ``data/``.
    settings
        Where the knowledge folders are.
    lang
        Language of the messages (``en``, ``es``), falling back to English.
    with_reference
        Also load ``data/reference/`` (countries, articles, sources) when the paths do not
        include it, so that links to reference nodes can be checked.

    Returns
    -------
    ValidationReport
        ``conforms`` is false when any result has severity Violation.

    Raises
    ------
    InputError
        When a file cannot be read or parsed (file and line in the message).

    Examples
    --------
    >>> report = validate([Settings().instance_dir / "reference"])
    >>> report.conforms, report.violations
    (True, 0)
    """

    settings = settings or Settings()
    files = rdf_files(paths or [settings.instance_dir])
    check_validation_size(files, settings.max_validate_bytes)
    data = Graph()
    lines: dict[Node, tuple[str, int]] = {}
    for path in files:
        graph = parse_graph(path)
        for node, number in _subject_lines(path, graph).items():
            lines.setdefault(node, (str(path), number))
        data += graph
    for prefix, ns in Graph().namespace_manager.namespaces():
        data.bind(prefix, ns)
    reference = settings.instance_dir / "reference"
    if with_reference and not any(reference.resolve() in [f.resolve(), *f.resolve().parents] for f in files):
        for path in rdf_files([reference]):
            data += parse_graph(path)
    return validate_graph(data, settings, lang, lines=lines, files=[str(f) for f in files])


def validate_graph(
    data: Graph,
    settings: Settings,
    lang: str = "en",
    *,
    lines: Mapping[Node, tuple[str, int]] | None = None,
    files: Sequence[str] = (),
    checked: Graph | None = None,
    about: set[Node] | None = None,
) -> ValidationReport:
    """Validate an rdflib graph: the SHACL shapes, then the declared terms and datatypes.

    Parameters
    ----------
    data
        The data, with whatever it links to that the shapes need (reference data).
    settings
        Where the ontology and the shapes are.
    lang
        Language of the messages (``en``, ``es``).
    lines
        Where each named node is described, as (file, line), to locate results.
    files
        The files the data came from, for the report.
    checked
        The triples whose terms and datatypes are checked (:mod:`coopgraph.gate.terms`);
        default: ``data``.
    about
        Report only results on these nodes (or on blank nodes hanging from them); the others
        are dropped from the report graph too. Default: every result.

    Returns
    -------
    ValidationReport
        ``conforms`` is false when any result has severity Violation.

    Examples
    --------
    >>> from rdflib import Namespace
    >>> CG = Namespace("https://w3id.org/coopgraph/def#")
    >>> g = Graph().add((CG.x, RDF.type, CG.Actor))
    >>> [r.constraint for r in validate_graph(g, Settings()).results]
    ['DeclaredTermConstraint']
    """
    from pyshacl import validate as shacl_validate

    from coopgraph.gate.prepared import install as parse_sparql_once
    from coopgraph.gate.terms import check_terms, ontology_vocabulary

    parse_sparql_once()

    lines = lines or {}
    ontology = _knowledge_graph(settings.ontology_dir)
    shapes = _knowledge_graph(settings.shapes_dir)
    _, report_graph, _ = shacl_validate(
        entail_hierarchies(data, ontology),
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        advanced=True,
        meta_shacl=False,
        do_owl_imports=False,
        inplace=True,  # the entailed graph is made for this validation: no need for pySHACL's copy
    )
    report_graph.bind("sh", SH)
    templates = _message_templates(shapes)
    results: list[ValidationResult] = []
    covered: set[tuple[Node | None, Node | None]] = set()  # (focus, path) the shapes already report
    for result in list(report_graph.subjects(RDF.type, SH.ValidationResult)):
        focus = report_graph.value(result, SH.focusNode)
        covered.add((focus, report_graph.value(result, SH.resultPath)))
        severity = report_graph.value(result, SH.resultSeverity)
        component = report_graph.value(result, SH.sourceConstraintComponent)
        owner = _owner(focus, data) if focus is not None else None
        if about is not None and owner not in about:
            _drop_result(report_graph, result)
            continue
        file, line = lines.get(owner, (None, None)) if owner is not None else (None, None)
        focus_text = _term(focus, data) or ""
        if isinstance(focus, BNode) and owner is not None and owner != focus:
            focus_text = f"{_term(owner, data)} > [blank node]"
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus_node=focus_text,
                focus_label=_label(owner, data, lang) if owner is not None else None,
                path=_term(report_graph.value(result, SH.resultPath), data),
                value=_term(report_graph.value(result, SH.value), data),
                message=_message(report_graph, result, lang, templates),
                source_shape=_shape_name(report_graph.value(result, SH.sourceShape), shapes),
                constraint=str(component).rsplit("#", 1)[-1] if component else "",
                file=file,
                line=line,
            )
        )
    for issue in check_terms(
        checked if checked is not None else data, ontology_vocabulary(settings.ontology_dir)
    ):
        focus = issue.focus if isinstance(issue.focus, Node) else None
        if (focus, issue.path) in covered:
            continue  # one finding, one result: a shape already says what is wrong here
        owner = _owner(focus, data) if focus is not None else None
        file, line = lines.get(owner, (None, None)) if owner is not None else (None, None)
        results.append(
            ValidationResult(
                severity="Violation",
                focus_node=_term(focus, data) or "",
                focus_label=_label(owner, data, lang) if owner is not None else None,
                path=_term(issue.path, data),
                value=_term(issue.value, data) if isinstance(issue.value, Node) else None,
                message=issue.message(lang),
                source_shape=None,
                constraint=issue.constraint,
                file=file,
                line=line,
            )
        )
        _add_report_result(
            report_graph, issue.focus, issue.path, issue.value, issue.message(lang), issue.constraint
        )
    if about is not None and not any(r.severity == "Violation" for r in results):
        for node in report_graph.subjects(RDF.type, SH.ValidationReport):
            report_graph.set((node, SH.conforms, Literal(True)))
    results.sort(
        key=lambda r: (
            r.file or "~",
            r.line or 0,
            r.focus_node,
            _SEVERITY_ORDER.get(r.severity, 3),
            r.message,
        )
    )
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        files=list(files),
        report_graph=report_graph,
    )


def _add_report_result(
    report: Graph, focus: object, path: Node | None, value: object, message: str, constraint: str
) -> None:
    """Add a result of the term checks to the SHACL report graph (its ``sh:conforms`` set false)."""
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.resultSeverity, SH.Violation))
    if isinstance(focus, Node):
        report.add((result, SH.focusNode, focus))
    if path is not None:
        report.add((result, SH.resultPath, path))
    if isinstance(value, Node):
        report.add((result, SH.value, value))
    report.add((result, SH.resultMessage, Literal(message)))
    report.add((result, SH.sourceConstraintComponent, URIRef(COOPGRAPH_CONSTRAINTS + constraint)))
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        report.set((node, SH.conforms, Literal(False)))
        report.add((node, SH.result, result))


def _drop_result(report: Graph, result: Node) -> None:
    """Remove one result, and what hangs from it, from a report graph."""
    report.remove((None, SH.result, result))
    pending = [result]
    while pending:
        node = pending.pop()
        for _, _, value in list(report.triples((node, None, None))):
            shared = len(list(report.subjects(None, value))) > 1  # a shape's path list, kept
            if isinstance(value, BNode) and value != node and not shared:
                pending.append(value)
        report.remove((node, None, None))
