"""Memory and time of ``coopgraph validate`` and ``coopgraph load`` on a large generated N-Triples file.

Each command runs in a subprocess of its own, whose peak resident memory (``wait4``) and wall
time are printed, memory also as a multiple of the file's size. The figures:

- ``validate``: refused at once past ``COOPGRAPH_MAX_VALIDATE_BYTES`` (64 MiB);
- ``load --no-validate`` into a new graph, then again into the same graph (the staged switch);
- ``library replace_graph``: what ``load`` does once validated, called directly, for code that has
  no ``--no-validate`` (an older checkout given with ``--src``).

Every command runs under an address-space limit (``--cap``, default 16 GiB) and a time limit,
so a runaway one is stopped rather than take the machine.

Usage::

    python bench/parsers.py 200M                    # this checkout
    python bench/parsers.py 200M --src /tmp/old/src # another checkout's src/ (before a change)
    python bench/parsers.py 2M --keep               # keep bench/output/parsers/
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "output" / "parsers"
GRAPH = "https://w3id.org/coopgraph/graph/bench-parsers"
UNITS = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}


def parse_size(text: str) -> int:
    """Bytes from ``200M``, ``2G``, ``500K`` or a plain number.

    >>> parse_size("200M"), parse_size("1500")
    (200000000, 1500)
    """
    text = text.strip().upper()
    if text and text[-1] in UNITS:
        return int(float(text[:-1]) * UNITS[text[-1]])
    return int(text)


def generate(path: Path, size: int, tag: str = "v") -> int:
    """Write at least ``size`` bytes of N-Triples to ``path`` (five triples a subject); the triple count.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     generate(Path(d) / "g.nt", 1000)
    10
    """
    count = written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            line = (
                f"<https://w3id.org/coopgraph/id/bench/{tag}/s{count // 5}> "
                f'<https://w3id.org/coopgraph/def#p{count % 5}> "value {count} of the {tag} graph"@en .\n'
            )
            f.write(line)
            written += len(line)
            count += 1
    return count


@dataclass
class Run:
    """One command's exit status, wall time and peak resident memory."""

    exit: int
    seconds: float
    peak_bytes: int
    tail: str


def measure(command: list[str], env: dict[str, str], cap: int, timeout: float) -> Run:
    """Run ``command`` under an address-space ``cap``; its peak RSS from ``wait4``."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    tail = (err.strip().splitlines() or [""])[-1][:160]
    return Run(process.returncode, seconds, usage.ru_maxrss * 1024, tail)


def main(argv: list[str] | None = None) -> int:
    """Generate the file, run the commands, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=parse_size, help="size of the generated file: 200M, 2G, 500K")
    parser.add_argument("--src", type=Path, help="the src/ folder to run (default: this checkout's)")
    parser.add_argument("--cap", type=parse_size, default=16 * 1024**3, help="address-space limit")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds each command may run")
    parser.add_argument("--keep", action="store_true", help="keep the generated file and store")
    args = parser.parse_args(argv)

    WORK.mkdir(parents=True, exist_ok=True)
    data = WORK / "generated.nt"
    triples = generate(data, args.size)
    size = data.stat().st_size
    print(f"file: {data.name}, {size / 1e6:.1f} MB, {triples:,} triples")
    store = WORK / "store"
    shutil.rmtree(store, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    env |= {"COOPGRAPH_STORE_DIR": str(store), "COOPGRAPH_PROJECT_DIR": str(HERE.parent)}
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    cli = [sys.executable, "-m", "coopgraph.cli"]
    library = (
        "import sys; from pathlib import Path; from coopgraph.store import EmbeddedStore\n"
        "s = EmbeddedStore(Path(sys.argv[1])); s.replace_graph(sys.argv[2], [Path(sys.argv[3])]); s.close()"
    )
    runs = [
        ("validate", [*cli, "validate", str(data)]),
        ("load --no-validate (new graph)", [*cli, "load", "--no-validate", "--graph", GRAPH, str(data)]),
        (
            "load --no-validate (same graph again)",
            [*cli, "load", "--no-validate", "--graph", GRAPH, str(data)],
        ),
        (
            "library replace_graph (new store)",
            [sys.executable, "-c", library, str(WORK / "lib"), GRAPH, str(data)],
        ),
    ]
    print(f"{'command':40} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'x file':>7}")
    for name, command in runs:
        if name.startswith("library"):
            shutil.rmtree(WORK / "lib", ignore_errors=True)
        run = measure(command, env, args.cap, args.timeout)
        print(
            f"{name:40} {run.exit:>4} {run.seconds:>8.1f} {run.peak_bytes / 1e6:>8.0f} "
            f"{run.peak_bytes / size:>7.2f}  {run.tail}"
        )
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
