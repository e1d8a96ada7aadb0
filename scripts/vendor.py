"""Copy the browser libraries from ``node_modules/`` into the package (``make vendor`` runs it).

Each package of ``package.json`` gives its built browser files (never source maps) and its
licence files to ``src/coopgraph/static/vendor/<name>/``; axe-core, used only by the browser
tests, goes to ``tests/browser/vendor/``. ``graphology-layout-forceatlas2`` ships CommonJS only,
so it is bundled by esbuild into one script. ``src/coopgraph/static/vendor/VERSIONS.json``
records each package's version, licence and files with their sizes.

Run ``npm ci`` first (``make vendor`` does); the service itself never needs node or npm.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
STATIC_VENDOR = ROOT / "src" / "coopgraph" / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
LICENSES = Path(__file__).resolve().parent / "licenses"
LICENSE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "NOTICE", "LICENSE-3RD-PARTY.txt")
SOURCE_MAP = re.compile(rb"\n?[ \t]*(//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)\s*$")
PATCHES = {
    # ReDoc's sidebar shows the Redocly logo from its CDN: an empty local image instead
    "redoc.standalone.js": (
        (
            b"https://cdn.redoc.ly/redoc/logo-mini.svg",
            b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E",
        ),
    ),
    # YASGUI's CORS error message links to MDN: the address stays readable, the link goes
    "yasgui.min.js": (
        (
            b'<a target="_blank" rel="noopener noreferrer" href="https://developer.mozilla.org/en-US/docs/Web/Security/Same-origin_policy">https://developer.mozilla.org/en-US/docs/Web/Security/Same-origin_policy</a>',
            b"https://developer.mozilla.org/en-US/docs/Web/Security/Same-origin_policy",
        ),
        # the awol prefix IRI, written with escapes (same string at run time) so that no
        # vendored text looks like a path of a machine
        (b"`http://bblfish.net\x2fwork\x2fatom-owl/", b"`http://bblfish.net\\x2fwork\\x2fatom-owl/"),
    ),
}
"""Replacements made in a vendored file so that it asks no outside host for anything."""
FA2_ENTRY = """\
export { default as forceAtlas2 } from "graphology-layout-forceatlas2";
export { default as FA2Layout } from "graphology-layout-forceatlas2/worker";
"""


@dataclass(frozen=True)
class Package:
    """One npm package: where its files go and which files to copy (relative to the package)."""

    npm: str
    target: Path
    files: tuple[str, ...]


PACKAGES = (
    Package("@zazuko/yasgui", STATIC_VENDOR / "yasgui", ("build/yasgui.min.js", "build/yasgui.min.css")),
    Package(
        "swagger-ui-dist",
        STATIC_VENDOR / "swagger-ui",
        (
            "swagger-ui-bundle.js",
            "swagger-ui-bundle.js.LICENSE.txt",
            "swagger-ui.css",
            "favicon-32x32.png",
        ),
    ),
    Package(
        "redoc",
        STATIC_VENDOR / "redoc",
        ("bundles/redoc.standalone.js", "bundles/redoc.standalone.js.LICENSE.txt"),
    ),
    Package("sigma", STATIC_VENDOR / "sigma", ("dist/sigma.min.js",)),
    Package("graphology", STATIC_VENDOR / "graphology", ("dist/graphology.umd.min.js",)),
    Package("graphology-layout-forceatlas2", STATIC_VENDOR / "graphology-layout-forceatlas2", ()),
    Package("d3", STATIC_VENDOR / "d3", ("dist/d3.min.js",)),
    Package("@observablehq/plot", STATIC_VENDOR / "observablehq-plot", ("dist/plot.umd.min.js",)),
    Package("axe-core", TEST_VENDOR, ("axe.min.js",)),
)


def package_json(npm: str) -> dict[str, object]:
    """The ``package.json`` of an installed package."""
    data: dict[str, object] = json.loads((NODE_MODULES / npm / "package.json").read_text(encoding="utf-8"))
    return data


def copy_script(source: Path, target: Path) -> None:
    """Copy a file, dropping a trailing source-map comment (the maps are not vendored)."""
    data = source.read_bytes()
    if source.suffix in (".js", ".css"):
        data = SOURCE_MAP.sub(b"\n", data)
    for old, new in PATCHES.get(source.name, ()):
        if old not in data:
            raise SystemExit(f"{source}: {old!r} is gone; review PATCHES in scripts/vendor.py")
        data = data.replace(old, new)
    target.write_bytes(data)


def bundle_forceatlas2(target: Path) -> None:
    """Bundle ForceAtlas2 (and its web-worker supervisor) into one script with a global.

    The script defines ``graphologyLayoutForceAtlas2`` with ``forceAtlas2`` (the synchronous
    layout, ``forceAtlas2.assign(graph, {iterations})``) and ``FA2Layout`` (the web worker).
    """
    esbuild = NODE_MODULES / ".bin" / "esbuild"
    out = target / "graphology-layout-forceatlas2.min.js"
    command = [
        str(esbuild),
        "--bundle",
        "--minify",
        "--format=iife",
        "--global-name=graphologyLayoutForceAtlas2",
        "--platform=browser",
        "--legal-comments=none",
        f"--outfile={out}",
        "--sourcefile=forceatlas2-entry.js",
    ]
    subprocess.run(command, input=FA2_ENTRY.encode(), check=True, cwd=ROOT)


def licence_files(package: Package) -> list[Path]:
    """The licence files of a package: its own, or the one kept in ``scripts/licenses/``."""
    folder = NODE_MODULES / package.npm
    found = [folder / name for name in LICENSE_NAMES if (folder / name).is_file()]
    if not found:
        kept = LICENSES / f"{package.npm.replace('@', '').replace('/', '-')}.LICENSE.txt"
        if not kept.is_file():
            raise SystemExit(f"{package.npm} ships no licence file and {kept} is missing")
        found = [kept]
    return found


def vendor(package: Package) -> dict[str, object]:
    """Copy one package's files and licences; return its entry of ``VERSIONS.json``."""
    meta = package_json(package.npm)
    if package.target == TEST_VENDOR:
        package.target.mkdir(parents=True, exist_ok=True)
        for old in package.target.iterdir():
            old.unlink()
    else:
        shutil.rmtree(package.target, ignore_errors=True)
        package.target.mkdir(parents=True)
    for name in package.files:
        copy_script(NODE_MODULES / package.npm / name, package.target / Path(name).name)
    if package.npm == "graphology-layout-forceatlas2":
        bundle_forceatlas2(package.target)
    for licence in licence_files(package):
        name = licence.name if licence.parent != LICENSES else "LICENSE.txt"
        if package.target == TEST_VENDOR:
            name = f"axe-core.{name}"
        shutil.copyfile(licence, package.target / name)
    copied = [p for p in sorted(package.target.iterdir()) if p.is_file()]
    files = {
        p.relative_to(ROOT).as_posix(): {
            "bytes": p.stat().st_size,
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
        }
        for p in copied
    }
    return {
        "version": meta["version"],
        "license": meta.get("license"),
        "homepage": meta.get("homepage"),
        "folder": package.target.relative_to(ROOT).as_posix(),
        "bytes": sum(p.stat().st_size for p in copied),
        "patched": [name for name in files if Path(name).name in PATCHES],
        "files": files,
    }


def main() -> int:
    """Vendor every package; write ``VERSIONS.json``; print the sizes."""
    if not NODE_MODULES.is_dir():
        print("node_modules/ is missing: run `npm ci` first (or `make vendor`)", file=sys.stderr)
        return 1
    versions = {package.npm: vendor(package) for package in PACKAGES}
    record = {
        "generated": "by scripts/vendor.py (`make vendor`); do not edit",
        "packages": versions,
    }
    (STATIC_VENDOR / "VERSIONS.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    width = max(len(name) for name in versions)
    for name, entry in versions.items():
        print(f"{name:<{width}}  {entry['version']:<8}  {int(str(entry['bytes'])) / 1024:8.1f} KiB")
    total = sum(int(str(e["bytes"])) for e in versions.values())
    print(f"{'total':<{width}}  {'':<8}  {total / 1024:8.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
