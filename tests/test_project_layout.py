"""The project's top-level packages resolve inside the repository, and Scrapy sees the spider."""

from __future__ import annotations

import importlib
import os
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


SKIPPING_TESTS = {
    "test_a.py": "import pytest\n\n\ndef test_needs_a_service():\n    pytest.skip('service missing')\n\n\n"
    "@pytest.mark.xfail(strict=True)\ndef test_known_failure():\n    assert False\n",
    "test_b.py": "import pytest\n\npytest.skip('browser missing', allow_module_level=True)\n",
}


def _pytest_with_our_conftest(folder: Path, ci: str | None, *files: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider", *files]
    return subprocess.run(
        command, cwd=folder, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120
    )


def test_a_skip_is_a_failure_under_ci(tmp_path):
    for name, text in SKIPPING_TESTS.items():
        (tmp_path / name).write_text(text)
    ci_test = _pytest_with_our_conftest(tmp_path, "true", "test_a.py")
    assert ci_test.returncode == 1, ci_test.stdout
    assert "1 failed, 1 xfailed" in ci_test.stdout
    assert "CI=true: a skip is a failure here (a service the test needs is missing): service missing" in ci_test.stdout
    ci_module = _pytest_with_our_conftest(tmp_path, "true", "test_b.py")
    assert ci_module.returncode == 2, ci_module.stdout  # a collection error: nothing passes
    assert "browser missing" in ci_module.stdout
    local = _pytest_with_our_conftest(tmp_path, None, "test_a.py", "test_b.py")
    assert local.returncode == 0, local.stdout
    assert "2 skipped, 1 xfailed" in local.stdout
