"""``coopgraph ingest``: errors as FILE:ROW:COLUMN and exit 1; a clean file becomes a pending
submission (or, with --check, nothing)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.commands import coopgraph

ACTORS = (
    "slug,kind,type,label_en,label_es,sector,country,source,locator\n"
    "ministry-of-culture-peru,organisation,Organisation,Ministry of Culture of Peru,"
    "Ministerio de Cultura del Perú,government-ministry,party/peru,"
    "source/colombia-bilateral-cooperation,Partners\n"
)


def env_for(folder: Path) -> dict[str, str]:
    return {**os.environ, "COOPGRAPH_IN_MEMORY": "true", "COOPGRAPH_SUBMISSIONS_DIR": str(folder / "subs")}


def test_a_clean_file_becomes_one_pending_submission(tmp_path: Path) -> None:
    file = tmp_path / "actors.csv"
    file.write_text(ACTORS, "utf-8")
    result = coopgraph("ingest", str(file), "--template", "actors", "--as", "carmen", env=env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "pending review" in result.stdout
    records = list((tmp_path / "subs").glob("*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    assert record["status"] == "pending"
    assert record["submitter"] == "carmen"
    assert record["origin"] == "csv actors (actors.csv)"
    content = records[0].with_suffix(".nt").read_text()
    assert "<https://w3id.org/coopgraph/id/organisation/ministry-of-culture-peru>" in content


def test_check_keeps_nothing(tmp_path: Path) -> None:
    file = tmp_path / "actors.csv"
    file.write_text(ACTORS, "utf-8")
    result = coopgraph("ingest", str(file), "-t", "actors", "--check", env=env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no error" in result.stdout
    assert not list((tmp_path / "subs").glob("*.json"))


def test_errors_are_printed_by_file_row_and_column_and_exit_1(tmp_path: Path) -> None:
    file = tmp_path / "money.csv"
    file.write_text(
        "slug,label_en,contributor,recipient,amount,currency,source,locator,quote\n"
        "x,X,party/peru,programme/ibermedia,1000,usd,source/colombia-bilateral-cooperation,a,q\n",
        "utf-8",
    )
    result = coopgraph("ingest", str(file), "--template", "contributions", env=env_for(tmp_path))
    assert result.returncode == 1
    assert "money.csv:2:currency: 'usd' is not an ISO 4217 currency code" in result.stderr
    assert not list((tmp_path / "subs").glob("*.json"))


def test_gate_errors_name_their_row_and_column(tmp_path: Path) -> None:
    file = tmp_path / "actors.csv"
    file.write_text(
        ACTORS
        + ACTORS.splitlines()[1]
        .replace("peru,", "chile,", 1)
        .replace("government-ministry", "no-such-sector")
        + "\n",
        "utf-8",
    )
    result = coopgraph("ingest", str(file), "--template", "actors", env=env_for(tmp_path))
    assert result.returncode == 1
    assert "actors.csv:3:sector:" in result.stderr


def test_an_unknown_template_names_the_known_ones(tmp_path: Path) -> None:
    file = tmp_path / "x.csv"
    file.write_text("a\n1\n", "utf-8")
    result = coopgraph("ingest", str(file), "--template", "nope", env=env_for(tmp_path))
    assert result.returncode == 2
    assert "actors" in result.stderr
