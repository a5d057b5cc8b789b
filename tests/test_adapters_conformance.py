"""Every adapter in the registry follows the contract, with no per-adapter test code needed."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from crawler import platforms
from crawler.extraction import Extraction
from crawler.normalize import packs
from tests.conftest import FIXTURES, make_response

ADAPTERS = platforms.adapters()
HOSTILE_BODIES = {
    "empty": b"",
    "json_array": b"[1, 2, 3]",
    "json_wrong_types": b'{"about": {"stats": {"users_count": -5, "topics_count": "many"}}, "usage": {"users": []}}',
    "binary": bytes(range(256)) * 4,
    "deep_html": b"<div>" * 5000 + b"Members: 12" + b"</div>" * 5000,
    "invalid_utf8": b"<html><body>\xff\xfe Total members <strong>12</strong></body></html>",
}


def test_registry_lists_every_adapter_module():
    modules = {p.stem for p in Path(platforms.__file__).parent.glob("*.py")} - {"__init__", "base"}
    helper_modules = {m for m in modules if not hasattr(__import__(f"crawler.platforms.{m}", fromlist=["x"]), "NAME")}
    assert modules - helper_modules == set(platforms.ADAPTER_NAMES)
    assert [a.NAME for a in ADAPTERS] == list(platforms.ADAPTER_NAMES)
    assert ADAPTERS[-1].NAME == "generic"


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
def test_adapter_contract(adapter):
    assert Path(adapter.__file__).stem == adapter.NAME
    for function in ("detect", "extract", "endpoints"):
        assert callable(getattr(adapter, function)), function
        assert list(inspect.signature(getattr(adapter, function)).parameters) == ["response"], function
    doc = adapter.__doc__ or ""
    for section in ("Platform", "Endpoints", "Caveats"):
        assert section in doc, f"{adapter.NAME} docstring lacks {section}"
    assert (FIXTURES / adapter.NAME).is_dir(), f"no fixture folder for {adapter.NAME}"
    assert list((FIXTURES / adapter.NAME).glob("*.expected.json")), f"no golden case for {adapter.NAME}"


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
@pytest.mark.parametrize("body_name", sorted(HOSTILE_BODIES))
def test_adapters_survive_hostile_bodies(adapter, body_name):
    for content_type in ("text/html; charset=utf-8", "application/json"):
        response = make_response(HOSTILE_BODIES[body_name], "https://hostile.example/", {"Content-Type": content_type})
        adapter.detect(response)
        result = adapter.extract(response)
        assert isinstance(result, Extraction)
        assert all(isinstance(v, int) and 0 <= v < 2**63 for v in result.metrics.values())
        adapter.endpoints(response)


def test_every_language_pack_belongs_to_an_adapter():
    names = {adapter.NAME for adapter in ADAPTERS}
    assert set(packs.ENGINES) <= names
    for engine in packs.ENGINES:
        data = packs.pack(engine)
        assert not data or data["engine"] == engine
