"""The one Jinja environment of every HTML page (``src/coopgraph/templates/``).

Examples
--------
>>> "base.html" in TEMPLATES.list_templates()
True
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

TEMPLATES = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
"""Autoescaped HTML templates; block tags leave no blank lines behind."""
