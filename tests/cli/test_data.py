"""The data commands as a user runs them: ``validate`` exit codes, locations, formats; readers
beside a running service."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from support.commands import coopgraph

VALID = """\
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix src: <https://w3id.org/coopgraph/id/source/> .

<https://w3id.org/coopgraph/id/place/bogota> a cg:Place ;
    rdfs:label "Bogota"@en ;
    cg:inCountry <https://w3id.org/coopgraph/id/party/colombia> ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Canada and UK" ] .
"""


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "valid.ttl"
    path.write_text(VALID, "utf-8")
    return path


def test_validate_conforming_file_exits_0(valid_file: Path) -> None:
    result = coopgraph("validate", str(valid_file))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms: 0 violation(s)" in result.stdout


def test_validate_violation_exits_1_with_file_line_and_spanish_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(VALID.replace('rdfs:label "Bogota"@en ;', 'rdfs:label "Bogotá"@es ;'), "utf-8")
    result = coopgraph("validate", "--lang", "es", str(path))
    assert result.returncode == 1
    assert f"{path}:6: <https://w3id.org/coopgraph/id/place/bogota> (Bogotá)" in result.stdout
    assert "Todo nodo necesita una etiqueta en inglés" in result.stdout
    assert "does not conform: 1 violation(s)" in result.stdout


def test_validate_syntax_error_exits_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(VALID.replace('"Bogota"@en ;', '"Bogota@en ;'), "utf-8")
    result = coopgraph("validate", str(path))
    assert result.returncode == 2
    assert f"{path}:7:" in result.stderr
    assert "error:" in result.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = coopgraph("validate", str(tmp_path / "nowhere.ttl"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_validate_json_format(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        VALID.replace("    cg:inCountry <https://w3id.org/coopgraph/id/party/colombia> ;\n", ""), "utf-8"
    )
    result = coopgraph("validate", "--format", "json", str(path))
    assert result.returncode == 0  # a warning does not fail validation
    report = json.loads(result.stdout)
    assert report["conforms"] is True
    assert report["summary"] == {"files": 1, "violations": 0, "warnings": 1, "infos": 0}
    (only,) = report["results"]
    assert set(only) == {
        "severity",
        "focus_node",
        "focus_label",
        "path",
        "value",
        "message",
        "source_shape",
        "constraint",
        "file",
        "line",
    }
    assert only["severity"] == "Warning"
    assert only["constraint"] == "MinCountConstraintComponent"
    assert only["file"] == str(path) and only["line"] == 6


def test_validate_turtle_format_is_a_shacl_report(valid_file: Path) -> None:
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    result = coopgraph("validate", "--format", "turtle", str(valid_file))
    assert result.returncode == 0
    report = Graph().parse(data=result.stdout, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert str(report.value(node, SH.conforms)) == "true"


def test_project_data_validates() -> None:
    result = coopgraph("validate")
    assert result.returncode == 0, result.stdout[-3000:]


def test_readers_answer_beside_a_running_service_and_writers_are_refused(tmp_path: Path) -> None:
    from coopgraph.store import EmbeddedStore

    env = {**os.environ, "COOPGRAPH_STORE_DIR": str(tmp_path / "store"), "COOPGRAPH_IN_MEMORY": "false"}

    def on_disk(*args: str) -> subprocess.CompletedProcess[str]:
        return coopgraph(*args, env=env, timeout=300)

    alone = on_disk("query", "partners-of-actor", "--format", "csv")
    assert alone.returncode == 0, alone.stderr
    assert "running service" not in alone.stderr
    served = EmbeddedStore(tmp_path / "store")  # what `coopgraph serve` holds once loaded
    served.make_read_only()
    try:
        beside = on_disk("query", "partners-of-actor", "--format", "csv")
        assert beside.returncode == 0, beside.stderr
        assert "a running service holds the store" in beside.stderr
        assert beside.stdout == alone.stdout
        refused = on_disk("network", "publish")
        assert refused.returncode == 2
        assert f"in use by another coopgraph process (pid {os.getpid()} serving read-only" in refused.stderr
        assert "Traceback" not in refused.stderr
    finally:
        served.close()


def test_validate_text_counts_the_warnings_and_lists_them_with_a_flag(tmp_path: Path) -> None:
    path = tmp_path / "warned.ttl"
    path.write_text(
        VALID.replace("    cg:inCountry <https://w3id.org/coopgraph/id/party/colombia> ;\n", ""), "utf-8"
    )
    counted = coopgraph("validate", str(path))
    assert counted.returncode == 0, counted.stdout + counted.stderr
    assert "Warning:" not in counted.stdout
    assert counted.stdout.splitlines()[-2:] == [
        "1 file(s) conforms: 0 violation(s), 1 warning(s), 0 info(s)",
        "1 warning(s) not listed: `coopgraph validate --warnings` lists them",
    ]
    listed = coopgraph("validate", "--warnings", str(path))
    assert listed.returncode == 0
    assert f"{path}:6: <https://w3id.org/coopgraph/id/place/bogota> (Bogota)" in listed.stdout
    assert "  Warning: " in listed.stdout
    assert "not listed" not in listed.stdout


def test_report_text_lists_violations_in_full_and_counts_warnings() -> None:
    from rdflib import Graph

    from coopgraph.cli.data import report_text
    from coopgraph.validation import ValidationReport, ValidationResult

    def result(severity: str, node: str, line: int) -> ValidationResult:
        return ValidationResult(
            severity, node, None, "rdfs:label", None, f"{severity} message", None, "MinCount", "a.ttl", line
        )

    report = ValidationReport(
        conforms=False,
        results=[result("Violation", "<x>", 3), result("Warning", "<y>", 9), result("Warning", "<z>", 12)],
        files=["a.ttl"],
        report_graph=Graph(),
    )
    text = report_text(report)
    assert "a.ttl:3: <x>\n  Violation: Violation message" in text
    assert "<y>" not in text and "<z>" not in text
    assert text.splitlines()[-2:] == [
        "1 file(s) does not conform: 1 violation(s), 2 warning(s), 0 info(s)",
        "2 warning(s) not listed: `coopgraph validate --warnings` lists them",
    ]
    assert report_text(report, list_warnings=True) == report.to_text()


def test_load_without_validation_shows_progress_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "many.nt"
    path.write_text("".join(f'<urn:s{n}> <urn:p> "{n}" .\n' for n in range(30_000)), "utf-8")
    quiet = coopgraph("load", "--no-validate", str(path))
    assert quiet.returncode == 0, quiet.stderr
    assert f"{path}: 30000 triples in <https://w3id.org/coopgraph/graph/many>" in quiet.stderr
    assert "triples/s" not in quiet.stderr  # stderr is a pipe here, not a terminal
    shown = coopgraph("load", "--no-validate", "--progress", str(path))
    assert shown.returncode == 0, shown.stderr
    assert f"{path}: 30,000 triples, " in shown.stderr and " triples/s" in shown.stderr


def test_load_validates_first_unless_told_not_to(tmp_path: Path) -> None:
    path = tmp_path / "unlabelled.ttl"
    path.write_text(VALID.replace('    rdfs:label "Bogota"@en ;\n', ""), "utf-8")
    refused = coopgraph("load", str(path))
    assert refused.returncode == 1
    assert "not loaded: the data does not conform" in refused.stderr
    loaded = coopgraph("load", "--no-validate", str(path))
    assert loaded.returncode == 0, loaded.stderr
