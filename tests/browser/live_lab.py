"""A real JupyterLab server for browser tests: started on 127.0.0.1 with a free port, a token, and every Jupyter
folder (and the quiz progress store) in a temporary directory; stopped through its own process handle."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ketamine_course.notebooks import lesson_paths
from ketamine_course.quiz.progress import PROGRESS_STORE_ENV


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    url: str
    token: str
    root: Path
    progress_db: Path

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lesson_url(self, stem: str) -> str:
        return f"{self.url}/lab/tree/{stem}.ipynb?token={self.token}&reset"


@contextmanager
def running_lab(scratch: Path):
    """Yield a LabServer serving copies of the lessons (the committed notebooks are never opened or autosaved)."""
    root = scratch / "course"
    root.mkdir()
    for path in lesson_paths():
        shutil.copy(path, root / path.name)
    dirs = {name: scratch / name.lower() for name in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR",
                                                      "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR")}
    for folder in dirs.values():
        folder.mkdir()
    notification = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    progress_db = scratch / "progress.sqlite"
    env = {**os.environ, **{k: str(v) for k, v in dirs.items()}, PROGRESS_STORE_ENV: str(progress_db)}
    port, token = free_port(), secrets.token_hex(16)
    log = (scratch / "lab.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", "--allow-root", "--expose-app-in-browser", f"--ServerApp.root_dir={root}",
         "--ContentsManager.allow_hidden=False", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root,
    )
    server = LabServer(f"http://127.0.0.1:{port}", token, root, progress_db)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.api("GET", "/api/status")
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (scratch / "lab.log").read_text()[-2000:]
                    raise RuntimeError(f"JupyterLab did not start; log: {tail}") from exc
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
