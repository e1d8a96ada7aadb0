"""The ``coopgraph`` application: every command and group answers ``--help``."""

from __future__ import annotations

from typing import Any

from typer.main import get_command
from typer.testing import CliRunner

from coopgraph.cli.app import app
from support.commands import coopgraph


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            found += _paths(sub, (*prefix, name))
    return found


def test_every_command_has_help() -> None:
    every = _paths(get_command(app))
    assert ("validate",) in every and ("stats",) in every
    runner = CliRunner()
    for path in every:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage" in result.stdout
        assert len(result.stdout.strip().splitlines()) > 3, path


def test_the_installed_command_answers_help() -> None:
    result = coopgraph("--help")
    assert result.returncode == 0
    assert "Usage" in result.stdout and "serve" in result.stdout
