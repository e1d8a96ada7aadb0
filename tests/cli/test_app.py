"""The ``coopgraph`` application: every command and group answers ``--help``."""

from __future__ import annotations

from support.commands import coopgraph


def test_every_command_has_help() -> None:
    from typing import Any

    from typer.main import get_command

    from coopgraph.cli.app import app

    def paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        found = [prefix]
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                found += paths(sub, (*prefix, name))
        return found

    every = paths(get_command(app))
    assert ("validate",) in every and ("stats",) in every
    for path in every:
        result = coopgraph(*path, "--help")
        assert result.returncode == 0, path
        assert "Usage" in result.stdout
        assert len(result.stdout.strip().splitlines()) > 3, path
