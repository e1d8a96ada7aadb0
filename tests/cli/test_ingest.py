"""``coopgraph ingest``: errors as FILE:ROW:COLUMN and exit 1; a clean file becomes a pending
submission (or, with --check, nothing)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.commands import coopgraph

CG = "https://w3id.org/coopgraph/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

ACTORS = (
    "slug,kind,type,label_en,label_es,sector,country,source,locator\n"
    "ministry-of-culture-peru,organisation,Organisation,Ministry of Culture of Peru,"
    "Ministerio de Cultura del Perú,government-ministry,party/peru,"
    "source/colombia-bilateral-cooperation,Partners\n"
)


def env_for(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COOPGRAPH_IN_MEMORY": "true",
        "COOPGRAPH_SUBMISSIONS_DIR": str(folder / "subs"),
        "COOPGRAPH_AUDIT_LOG": str(folder / "audit.jsonl"),
    }


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
    [line] = [json.loads(text) for text in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert line["who"] == "carmen" and line["result"] == "pending" and line["submission"] == record["id"]


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


# a participation of a node that only the on-disk store has (not the knowledge folders)
STORE_ONLY = "https://w3id.org/coopgraph/id/organisation/only-in-the-store"
PARTICIPATION = f"activity,agent,role\nprogramme/ibermedia,{STORE_ONLY},partner\n"


def test_check_reads_the_on_disk_store_read_only(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from coopgraph.config import Settings
    from coopgraph.store import EmbeddedStore, load_project

    folder = tmp_path / "store"
    store = EmbeddedStore(folder)
    load_project(store, Settings(in_memory=True))
    node = ox.NamedNode(STORE_ONLY)
    store.put_graphs(
        {
            "https://w3id.org/coopgraph/graph/extra": [
                ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(CG + "Organisation")),
                ox.Triple(node, ox.NamedNode(RDFS_LABEL), ox.Literal("Only in the store", language="en")),
            ]
        }
    )
    store.close()
    before = sorted((p.name, p.stat().st_size) for p in folder.iterdir())
    file = tmp_path / "participations.csv"
    file.write_text(PARTICIPATION, "utf-8")
    env = {
        **os.environ,
        "COOPGRAPH_STORE_DIR": str(folder),
        "COOPGRAPH_SUBMISSIONS_DIR": str(tmp_path / "subs"),
    }
    env.pop("COOPGRAPH_IN_MEMORY", None)
    result = coopgraph("ingest", str(file), "-t", "participations", "--check", env=env)
    assert result.returncode == 0, result.stderr
    assert "read-only" in result.stderr
    assert sorted((p.name, p.stat().st_size) for p in folder.iterdir()) == before


def test_without_a_store_the_project_is_loaded_in_memory(tmp_path: Path) -> None:
    file = tmp_path / "participations.csv"
    file.write_text(PARTICIPATION, "utf-8")
    env = {
        **os.environ,
        "COOPGRAPH_STORE_DIR": str(tmp_path / "none"),
        "COOPGRAPH_SUBMISSIONS_DIR": str(tmp_path / "subs"),
    }
    env.pop("COOPGRAPH_IN_MEMORY", None)
    result = coopgraph("ingest", str(file), "-t", "participations", "--check", env=env)
    # the knowledge folders do not have the node, so the gate refuses the link
    assert result.returncode == 1
    assert "participations.csv:2:" in result.stderr
    assert not (tmp_path / "none").exists()  # a check creates no store
