"""The repository launches as is on Binder (repo2docker): Python 3.11 from runtime.txt, the pinned requirements.txt,
no build scripts, and README links that open JupyterLab on a lesson that exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_runtime_python_meets_the_package_requirement() -> None:
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    minimum = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert minimum == ">=3.11" and int(runtime.split(".")[1]) >= 11


def test_binder_installs_only_the_pinned_requirements() -> None:
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")]
    assert "-e ." in packages  # the course package, from the repository itself
    assert all("==" in line for line in packages if line != "-e ."), "every runtime dependency is pinned"
    for name in ("postBuild", "environment.yml", "apt.txt", "start", "Dockerfile"):
        assert not (ROOT / name).exists() and not (ROOT / "binder" / name).exists(), name


def test_binder_and_nbviewer_links_open_lessons_that_exist() -> None:
    binder = re.findall(r"https://mybinder\.org/v2/gh/[^)\s>]+", README)
    assert binder, "README has no Binder link"
    for url in binder:
        labpath = parse_qs(urlparse(url).query).get("labpath")
        assert labpath and (ROOT / unquote(labpath[0])).is_file(), url
    nbviewer = re.findall(r"https://nbviewer\.org/github/[^)\s>]+", README)
    assert nbviewer, "README has no nbviewer link"
    for url in nbviewer:
        path = urlparse(url).path.split("/blob/main/", 1)[-1] if "/blob/" in url else None
        assert path is None or (ROOT / path).is_file(), url
    assert "REPOSITORY_URL" in README
