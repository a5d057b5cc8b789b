"""The project's top-level packages resolve inside the repository, and Scrapy sees the spider."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["crawler", "spiders", "pipelines"])
def test_package_is_the_repository_one(package):
    # `spiders` and `pipelines` are also names on PyPI: make sure ours is the one imported.
    module = importlib.import_module(package)
    assert Path(module.__file__).resolve().parent == ROOT / package


def test_scrapy_list_from_repository_root():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["communities"]
