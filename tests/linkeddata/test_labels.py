"""Tests of coopgraph.linkeddata.labels and formats: languages, labels, local links, extensions."""

from __future__ import annotations

import pytest

from coopgraph.errors import ParameterError
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES, format_override, split_extension
from coopgraph.linkeddata.labels import local_url, parse_accept_language, pick_label
from coopgraph.negotiation import by_extension


def test_helpers() -> None:
    assert split_extension("party/colombia.nq")[1] is by_extension("nq", RESOURCE_MEDIA_TYPES)
    assert split_extension("article/12-a") == ("article/12-a", None)
    assert format_override("trig") is by_extension("trig", RESOURCE_MEDIA_TYPES)
    with pytest.raises(ParameterError, match="format"):
        format_override("xlsx")
    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8") == ["fr", "en"]
    assert pick_label({"en": "Spain", "es": "España"}, ["es"]) == "España"
    assert local_url("https://w3id.org/coopgraph/def#Country", "http://h/") == "http://h/def#Country"
