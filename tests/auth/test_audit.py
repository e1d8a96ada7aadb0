"""The audit log: appended, one JSON object a line, never rewritten."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from coopgraph.audit import AuditLog


def test_entries_are_appended_in_order_with_a_time(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(who="a", result="committed")
    log.append(who="b", result="refused")
    entries = list(log.entries())
    assert [e["who"] for e in entries] == ["a", "b"]
    assert all(e["when"].endswith("+00:00") for e in entries)


def test_concurrent_appends_never_interleave(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    threads = [
        threading.Thread(target=lambda i=i: [log.append(who=f"t{i}", n=n, pad="x" * 5000) for n in range(20)])
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    assert len(lines) == 80
    assert all(json.loads(line)["pad"] == "x" * 5000 for line in lines)


def test_a_line_cut_by_a_crash_is_skipped(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(who="a")
    with (tmp_path / "audit.jsonl").open("a") as f:
        f.write('{"who": "cut')
    assert [e["who"] for e in log.entries()] == ["a"]
