"""Bearer tokens: created once, stored hashed (0600), checked, revoked; roles ordered."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coopgraph.auth.tokens import Role, TokenStore, allows
from coopgraph.cli.app import app
from coopgraph.errors import Forbidden, ParameterError, Unauthorized


def test_a_token_is_stored_hashed_with_a_salt_in_a_private_file(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token = store.create("alice", Role.curator)
    text = (tmp_path / "tokens.json").read_text()
    assert token.split(".", 1)[1] not in text
    entry = json.loads(text)["tokens"]["alice"]
    assert set(entry) == {"role", "salt", "hash", "created"}
    assert stat.S_IMODE((tmp_path / "tokens.json").stat().st_mode) == 0o600
    assert store.check(token).name == "alice"


def test_same_secret_two_names_two_hashes(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    store.create("a", Role.curator)
    store.create("b", Role.curator)
    entries = json.loads((tmp_path / "tokens.json").read_text())["tokens"]
    assert entries["a"]["salt"] != entries["b"]["salt"]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "x",
        lambda t: t[:-1],
        lambda t: "nobody." + t.split(".", 1)[1],
        lambda t: t.split(".")[0],
        lambda t: "",
    ],
)
def test_a_wrong_token_is_unauthorised(tmp_path: Path, mangle) -> None:  # type: ignore[no-untyped-def]
    store = TokenStore(tmp_path / "tokens.json")
    token = store.create("alice", Role.admin)
    with pytest.raises(Unauthorized):
        store.check(mangle(token))


def test_roles_are_ordered() -> None:
    assert allows(Role.admin, Role.curator) and allows(Role.curator, Role.contributor)
    assert not allows(Role.contributor, Role.curator) and not allows(Role.curator, Role.admin)


def test_authorise_says_401_403_and_writes_off(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    with pytest.raises(Forbidden, match="writes are off"):
        store.authorise(None, Role.curator)
    contributor = store.create("c", Role.contributor)
    with pytest.raises(Unauthorized):
        store.authorise(None, Role.curator)
    with pytest.raises(Forbidden, match="contributor"):
        store.authorise(contributor, Role.curator)


def test_revoked_tokens_stop_working(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    token = store.create("alice", Role.curator)
    assert store.revoke("alice") and not store.revoke("alice")
    store.create("bob", Role.curator)  # the file stays, with another token
    with pytest.raises(Unauthorized):
        store.check(token)


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "../etc", "alice"])
def test_bad_or_taken_names_are_refused(tmp_path: Path, name: str) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    store.create("alice", Role.curator)
    with pytest.raises(ParameterError):
        store.create(name, Role.curator)


def test_the_commands_create_list_and_revoke(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"COOPGRAPH_STORE_DIR": str(tmp_path)}
    created = runner.invoke(app, ["token", "create", "--role", "curator", "--name", "carmen"], env=env)
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[0]
    assert TokenStore(tmp_path / "tokens.json").check(token).role == Role.curator
    listed = runner.invoke(app, ["token", "list", "--format", "json"], env=env)
    assert json.loads(listed.stdout)[0]["name"] == "carmen" and token not in listed.stdout
    assert runner.invoke(app, ["token", "revoke", "carmen"], env=env).exit_code == 0
    assert runner.invoke(app, ["token", "revoke", "carmen"], env=env).exit_code == 1
    bad = runner.invoke(app, ["token", "create", "--role", "root", "--name", "x"], env=env)
    assert bad.exit_code != 0
