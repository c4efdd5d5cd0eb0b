"""What the browser tests share: finding chromium, fetching the CDN scripts a static page asks for from local
packages, rendering a notebook as nbviewer does, and collecting page errors.

Offline by construction: every request a page makes is answered from disk (plotly.js from the plotly wheel,
require.js and the widget HTML manager from the npm registry, cached) or aborted. MathJax is answered by a small stub
(the tests check charts and quizzes, not typesetting).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import plotly
from nbconvert import HTMLExporter
from platformdirs import user_cache_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
NPM_PACKAGES = {"requirejs": "requirejs@2.3.8", "html-manager": "@jupyter-widgets/html-manager@1",
                "axe-core": "axe-core@4.14.1"}
MATHJAX_STUB = (
    "window.MathJax=window.MathJax||{Hub:{Config:function(){},Configured:function(){},Queue:function(){},"
    "Register:{StartupHook:function(){}},processSectionDelay:0},Ajax:{config:{}}};"
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def browser_unavailable_reason() -> str | None:
    """None when chromium and Playwright are usable, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@cache
def npm_package_dir(name: str) -> Path:
    """The unpacked npm package (``npm pack`` into a per-user cache, once)."""
    spec = NPM_PACKAGES[name]
    target = user_cache_path("ketamine-course", appauthor=False) / "browser-assets" / name
    if (target / "package.json").exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed once to fetch {spec} for the offline browser tests")
    with tempfile.TemporaryDirectory() as scratch:
        out = subprocess.run([npm, "pack", spec, "--pack-destination", scratch, "--silent"], check=True,
                             capture_output=True, text=True, timeout=300)
        tarball = Path(scratch) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            archive.extractall(scratch, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(scratch) / "package"), target)
    return target


def local_asset(url: str) -> tuple[bytes, str] | None:
    """(body, content type) to answer a CDN request with, or None to abort it."""
    if "cdn.plot.ly/plotly" in url:
        return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes(), "text/javascript"
    if "require" in url and url.endswith((".js", "require.min.js")):
        return (npm_package_dir("requirejs") / "require.js").read_bytes(), "text/javascript"
    if "html-manager" in url:
        return (npm_package_dir("html-manager") / "dist" / "embed-amd.js").read_bytes(), "text/javascript"
    if "mathjax" in url.lower():
        return MATHJAX_STUB.encode(), "text/javascript"
    return None


def notebook_html(path: Path) -> str:
    """The notebook as nbviewer renders it (nbconvert's lab template)."""
    body, _ = HTMLExporter(template_name="lab").from_filename(str(path))
    return body


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)


def open_offline(page, html_path: Path) -> PageReport:
    """Load ``html_path`` with every external request answered locally or aborted; collect errors."""
    report = PageReport()

    def route(route, request) -> None:
        if request.url.startswith("file://"):
            route.continue_()
            return
        asset = local_asset(request.url)
        if asset is None:
            report.aborted.append(request.url)
            route.abort()
        else:
            route.fulfill(status=200, body=asset[0], headers={"Content-Type": asset[1],
                                                                "Access-Control-Allow-Origin": "*"})

    page.route("**/*", route)
    page.on("pageerror", lambda exc: report.errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: report.errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.goto(html_path.as_uri(), wait_until="load")
    return report


def axe_violations(page) -> list[dict]:
    """Run axe-core (from the npm registry, injected into the page) and return its violations."""
    page.add_script_tag(path=str(npm_package_dir("axe-core") / "axe.min.js"))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
