"""A class on a real JupyterHub, on one machine: the harness shared by the class-simulation test and its benchmark.

What it starts (everything on 127.0.0.1, everything under one temporary state folder):
- ``configurable-http-proxy`` from the npm registry, pinned (:data:`PROXY_SPEC`), installed once into a per-user
  cache folder (:func:`ensure_proxy`);
- JupyterHub with the dummy authenticator and ``SimpleLocalProcessSpawner`` (every student's home is a folder under
  the state folder); single-user servers with the IPC kernel transport (TCP ports collided under load) and, per user,
  a short ``JUPYTER_RUNTIME_DIR``, ``KETAMINE_COURSE_PROGRESS_DB`` and ``KETAMINE_COURSE_SUBMISSIONS_DIR`` in the
  home folder;
- one admin token, given to a service with a role (``api_tokens`` is pending deprecation).

A student is driven through the hub's proxy exactly like a browser's kernel traffic: the server's REST API starts a
kernel, the kernel websocket carries ``execute_request`` messages. The code sent is course code — the lesson's
``practice_quiz`` and the assignment's ``assessment_quiz`` — with widget buttons pressed by ``Button.click()`` (the
same handler a click in JupyterLab runs). All processes run as the same OS user: the simulation shows where each
student's files go, not OS-level isolation.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path

from tests.hub.plans import StudentPlan

PROXY_PACKAGE = "configurable-http-proxy"
PROXY_VERSION = "5.3.0"
PROXY_SPEC = f"{PROXY_PACKAGE}@{PROXY_VERSION}"
SERVICE = "class-simulation"
SCOPES = ["admin:users", "admin:servers", "tokens", "list:users", "read:users", "access:servers"]


def run_coroutine(coroutine):
    """Run ``coroutine`` to completion in a fresh event loop on its own thread.

    ``asyncio.run`` refuses to start when the calling thread already has a running loop — which is the case on a
    pytest-xdist worker that also ran the browser tests (Playwright's sync API keeps a loop running in the main
    thread for the session-scoped browser). A separate thread has no loop, whatever ran before.
    """
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class HubUnavailable(RuntimeError):
    """The hub cannot be started on this machine (no npm/node to fetch the proxy); the reason is the message."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def proxy_cache_dir() -> Path:
    return user_cache_path("ketamine-course", appauthor=False) / "hub-proxy" / PROXY_VERSION


def ensure_proxy() -> Path:
    """The ``configurable-http-proxy`` executable, installed from npm (pinned) into the cache on first use.

    Installs into a scratch folder and renames it into place, so an interrupted install never leaves a half tree."""
    target = proxy_cache_dir()
    executable = target / "node_modules" / ".bin" / PROXY_PACKAGE
    if executable.exists():
        return executable
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        raise HubUnavailable(f"npm and node are needed once to install {PROXY_SPEC} (JupyterHub's proxy)")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".install-", dir=target.parent))
    try:
        subprocess.run([npm, "install", "--prefix", str(scratch), "--no-audit", "--no-fund", "--silent",
                        "--no-save", PROXY_SPEC], check=True, capture_output=True, text=True, timeout=300)
        if not target.exists():
            scratch.rename(target)
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"npm install {PROXY_SPEC} failed: {exc.stderr[-2000:]}") from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not executable.exists():
        raise RuntimeError(f"npm installed {PROXY_SPEC} but {executable} is missing")
    return executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(size: int, low: int = 20000, high: int = 32000) -> int:
    """The first port of ``size`` consecutive free ports below Linux's ephemeral range (32768–60999), which the OS
    never hands out for a bind to port 0 (how kernels and other tests pick theirs)."""
    import random

    rng = random.Random()
    for _ in range(50):
        base = rng.randrange(low, high - size)
        try:
            for port in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no block of {size} free ports between {low} and {high}")


def venv_script(name: str) -> Path:
    """A console script next to this Python (the venv the course is installed in)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: install requirements-test.txt (it pins jupyterhub)")
    return path


# --- the hub -------------------------------------------------------------------------------------------------------

HUB_CONFIG = '''\
"""Written by tests/hub/classroom.py: a throwaway hub for a class simulation."""
import json
import os
from pathlib import Path

settings = json.loads(Path(__file__).with_name("settings.json").read_text())
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + settings["state"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = settings["state"] + "/cookie_secret"
c.JupyterHub.pid_file = settings["state"] + "/hub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0
c.JupyterHub.log_level = "WARN"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % settings["proxy_api_port"]
c.ConfigurableHTTPProxy.pid_file = settings["state"] + "/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = settings["homes"] + "/{username}"
c.LocalProcessSpawner.interrupt_timeout = 1
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.args = settings["server_args"]
c.Spawner.start_timeout = settings["timeout"]
c.Spawner.http_timeout = settings["timeout"]
c.Spawner.default_url = "/lab/tree/lessons/00-start-here.ipynb"
# Server ports come from a block below the kernel's ephemeral range: a random port (the default) was once taken by
# a TCP kernel of a test running beside this one before the server bound it, and the hub waited for it in vain.
_ports = iter(range(settings["server_port_base"], settings["server_port_base"] + 200))


def give_port(spawner):
    spawner.port = next(_ports)


c.Spawner.pre_spawn_hook = give_port


def per_user(template):
    return lambda spawner: template.format(username=spawner.user.name, runtime=settings["runtime"])


c.Spawner.environment = {key: per_user(value) for key, value in settings["environment"].items()}
c.JupyterHub.services = [{"name": settings["service"], "api_token": settings["token"]}]
c.JupyterHub.load_roles = [{"name": settings["service"], "scopes": settings["scopes"],
                            "services": [settings["service"]]}]
'''


@dataclass
class Hub:
    """A running hub: its URL, admin token, state folder and the students' home folders."""

    state: Path
    runtime: Path
    url: str
    token: str
    process: subprocess.Popen
    log_path: Path

    @property
    def homes(self) -> Path:
        return self.state / "homes"

    def home(self, user: str) -> Path:
        return self.homes / user

    def progress_db(self, user: str) -> Path:
        return self.home(user) / ".ketamine-course" / "progress.sqlite"

    def submissions(self, user: str) -> Path:
        return self.home(user) / "submissions"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


def user_environment() -> dict[str, str]:
    """Per-user variables (``{username}`` and ``{runtime}`` filled in by the hub for each spawn)."""
    return {
        # IPC sockets live here; an AF_UNIX path must stay under ~100 bytes, so this is short, not in the home
        "JUPYTER_RUNTIME_DIR": "{runtime}/{username}",
        "KETAMINE_COURSE_PROGRESS_DB": "{home}/.ketamine-course/progress.sqlite",
        "KETAMINE_COURSE_SUBMISSIONS_DIR": "{home}/submissions",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def start_hub(state: Path, timeout_s: float = 240, niceness: int = 0) -> Hub:
    """Start JupyterHub (and through it the proxy) with its state in ``state``; wait until its API answers.

    ``niceness`` > 0 runs the hub, proxy, servers and kernels at a lower CPU priority (``nice``)."""
    proxy = ensure_proxy()
    state.mkdir(parents=True, exist_ok=True)
    (state / "homes").mkdir(exist_ok=True)
    runtime = Path(tempfile.mkdtemp(prefix="kh-"))  # short: /tmp/kh-xxxxxxxx
    token = secrets.token_hex(32)
    port = free_port()
    server_args = ["--KernelManager.transport=ipc", "--ServerApp.shutdown_no_activity_timeout=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        server_args.append("--allow-root")  # else the hub reports a bare 500 and the server stays pending
    environment = {k: v.replace("{home}", str(state / "homes" / "{username}")) for k, v in user_environment().items()}
    settings = {
        "port": port, "hub_port": free_port(), "proxy_api_port": free_port(), "state": str(state),
        "homes": str(state / "homes"), "runtime": str(runtime), "proxy": str(proxy),
        "singleuser": str(venv_script("jupyterhub-singleuser")), "server_args": server_args, "timeout": timeout_s,
        "environment": environment, "service": SERVICE, "token": token, "scopes": SCOPES,
        "server_port_base": free_port_block(200),
    }
    (state / "settings.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
    (state / "jupyterhub_config.py").write_text(HUB_CONFIG, encoding="utf-8")
    log_path = state / "hub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETAMINE_COURSE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    command = [str(venv_script("jupyterhub")), "-f", str(state / "jupyterhub_config.py")]
    nice = shutil.which("nice")
    if nice and niceness:  # the hub and every server and kernel it starts yield the CPU to other tests running
        command = [nice, "-n", str(niceness), *command]  # beside it (xdist): a slower class, no starved neighbours
    with log_path.open("wb") as log:
        process = subprocess.Popen(command,
                                   cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(state, runtime, f"http://127.0.0.1:{port}", token, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            status, _ = run_coroutine(_request(hub, "GET", "/hub/api/"))
            if status == 200:
                return hub
        except OSError:
            pass
        time.sleep(0.3)
    stop_hub(hub)
    raise RuntimeError(f"JupyterHub did not answer within 60 s:\n{hub.log_tail()}")


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def stop_hub(hub: Hub) -> list[int]:
    """Stop the hub (it stops every server and the proxy); kill what is left by pid. Returns pids still alive."""
    import psutil

    pids = _descendants(hub.process.pid)
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    for pid in pids:  # orphans (a server or kernel the hub could not stop): end them, by pid only
        try:
            process = psutil.Process(pid)
            process.terminate()
            process.wait(timeout=5)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            process.kill()
    shutil.rmtree(hub.runtime, ignore_errors=True)
    return [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]


def memory_pss_mb(hub: Hub) -> dict[str, list[float]]:
    """Proportional set size (MB) of the hub, the proxy, each single-user server and each kernel; and the CPU
    seconds (user + system) each process has used so far (keys ``<kind>_cpu_s``)."""
    import psutil

    out: dict[str, list[float]] = {"hub": [], "proxy": [], "server": [], "kernel": []}
    out.update({f"{kind}_cpu_s": [] for kind in list(out)})
    root = psutil.Process(hub.process.pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            cmd = " ".join(process.cmdline())
            pss = process.memory_full_info().pss / 2**20
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        kind = ("hub" if process.pid == root.pid else "proxy" if PROXY_PACKAGE in cmd
                else "server" if "jupyterhub-singleuser" in cmd else "kernel" if "ipykernel" in cmd else None)
        if kind:
            out[kind].append(pss)
            out[f"{kind}_cpu_s"].append(times.user + times.system)
    return out


# --- REST and kernel traffic (tornado: installed with JupyterHub and Jupyter Server) --------------------------------

async def _request(hub: Hub, method: str, path: str, body: Any = None, timeout_s: float = 180) -> tuple[int, Any]:
    """One hub API call. The long timeout is deliberate: on a busy 2-core machine the hub's event loop was seen
    unresponsive for 53 s while 30 servers started."""
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

    request = HTTPRequest(hub.url + path, method=method, headers={"Authorization": f"token {hub.token}"},
                          body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
                          connect_timeout=timeout_s, request_timeout=timeout_s, allow_nonstandard_methods=True)
    try:
        # tornado queues requests beyond max_clients (default 10) and times queued ones out (599): 30 students at
        # once need more
        response = await AsyncHTTPClient(max_clients=128).fetch(request)
    except HTTPClientError as exc:
        text = exc.response.body.decode(errors="replace") if exc.response is not None else ""
        return exc.code, text
    text = response.body.decode() if response.body else ""
    return response.code, json.loads(text) if text.strip().startswith(("{", "[")) else text


async def api(hub: Hub, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200, 201, 202, 204)) -> Any:
    status, data = await _request(hub, method, path, body)
    if status not in ok:
        raise RuntimeError(f"{method} {path} → {status}: {str(data)[:500]}")
    return data


async def create_users(hub: Hub, names: list[str]) -> None:
    await api(hub, "POST", "/hub/api/users", {"usernames": names})


async def start_servers(hub: Hub, names: list[str], timeout_s: float) -> dict[str, float]:
    """Ask the hub to spawn every server at once; seconds from the requests until each server is ready."""
    started = time.perf_counter()
    await asyncio.gather(*(api(hub, "POST", f"/hub/api/users/{n}/server") for n in names))
    ready: dict[str, float] = {}
    while len(ready) < len(names):
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError(f"servers not ready after {timeout_s:.0f} s: {sorted(set(names) - set(ready))}")
        models = await api(hub, "GET", "/hub/api/users?state=active&limit=1000")
        for model in models:
            server = model.get("servers", {}).get("")
            if server and server.get("ready") and model["name"] not in ready:
                ready[model["name"]] = time.perf_counter() - started
        await asyncio.sleep(0.5)
    return ready


async def stop_servers(hub: Hub, names: list[str]) -> None:
    await asyncio.gather(*(api(hub, "DELETE", f"/hub/api/users/{n}/server", ok=(202, 204)) for n in names))


@dataclass
class Kernel:
    """One kernel in one student's server, reached through the proxy: REST to start it, websocket to run code."""

    hub: Hub
    user: str
    kernel_id: str = ""
    connection: Any = None
    session: str = field(default_factory=lambda: uuid.uuid4().hex)

    async def start(self) -> Kernel:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        model = await api(self.hub, "POST", f"/user/{self.user}/api/kernels", {"name": "python3"})
        self.kernel_id = model["id"]
        ws_url = self.hub.url.replace("http://", "ws://") + f"/user/{self.user}/api/kernels/{self.kernel_id}/channels"
        request = HTTPRequest(ws_url, headers={"Authorization": f"token {self.hub.token}"}, request_timeout=60)
        self.connection = await websocket_connect(request)
        return self

    async def execute(self, code: str, timeout_s: float = 120) -> tuple[str, float]:
        """Run ``code``; return (its stdout, seconds from request to execute_reply). Raises on an error."""
        msg_id = uuid.uuid4().hex
        message = {"header": {"msg_id": msg_id, "username": self.user, "session": self.session,
                              "msg_type": "execute_request", "version": "5.3"},
                   "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                   "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                               "allow_stdin": False, "stop_on_error": True}}
        started = time.perf_counter()
        await self.connection.write_message(json.dumps(message))
        stdout, reply, elapsed, idle = [], None, 0.0, False
        deadline = time.monotonic() + timeout_s
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{self.user}: no reply within {timeout_s} s to {code[:80]!r}")
            raw = await asyncio.wait_for(self.connection.read_message(), remaining)
            if raw is None:
                raise ConnectionError(f"{self.user}: kernel websocket closed")
            if isinstance(raw, bytes):
                continue  # binary frames (buffers) do not belong to this protocol's text messages
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])
            elif kind == "error":
                raise RuntimeError(f"{self.user}: {msg['content']['ename']}: {msg['content']['evalue']}\n"
                                   + "\n".join(msg["content"]["traceback"])[-3000:])
            elif kind == "execute_reply":
                reply, elapsed = msg, time.perf_counter() - started
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return "".join(stdout), elapsed

    async def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.kernel_id:
            await api(self.hub, "DELETE", f"/user/{self.user}/api/kernels/{self.kernel_id}", ok=(204, 404))


# --- what a student does ---------------------------------------------------------------------------------------------

SETUP_CODE = """\
import json, os
from ketamine_course.quiz.session import assessment_quiz, practice_quiz
practice = practice_quiz({lesson!r})
print(json.dumps({{"db": os.environ["KETAMINE_COURSE_PROGRESS_DB"], "cwd": os.getcwd()}}))
"""

CHECK_CODE = """\
_q = practice.question({question_id!r})
_q.set_response(json.loads({response!r}))
_q.check_button.click()
"""

SUBMIT_CODE = """\
assessment = assessment_quiz({assignment_file!r})
for _id, _response in json.loads({responses!r}).items():
    assessment.question(_id).set_response(_response)
assessment.student.value = {student!r}
assessment.submit_button.click()
print(assessment.submission_status.value)
"""


@dataclass
class ClassResult:
    ready_s: dict[str, float]
    answer_s: list[float]
    setup_s: list[float]
    memory_mb: dict[str, list[float]]
    submit_status: dict[str, str]
    kernel_info: dict[str, dict[str, str]]
    total_s: float = 0.0
    stop_s: float = 0.0


async def run_student(hub: Hub, plan: StudentPlan, lesson: str, assignment_file: str, answer_s: list[float],
                      setup_s: list[float], status: dict[str, str], info: dict[str, dict[str, str]]) -> Kernel:
    kernel = await Kernel(hub, plan.user).start()
    out, took = await kernel.execute(SETUP_CODE.format(lesson=lesson))
    setup_s.append(took)
    info[plan.user] = json.loads(out.strip().splitlines()[-1])
    for question_id, response in plan.practice:
        _, took = await kernel.execute(CHECK_CODE.format(question_id=question_id, response=json.dumps(response)))
        answer_s.append(took)
    out, _ = await kernel.execute(SUBMIT_CODE.format(assignment_file=assignment_file,
                                                     responses=json.dumps(plan.assessment), student=plan.student))
    status[plan.user] = out
    return kernel


async def run_class(hub: Hub, plans: list[StudentPlan], lesson: str, assignment_file: str,
                    prepare_home: Callable[[Path], None], spawn_timeout_s: float = 240) -> ClassResult:
    """Create the users, give each a home with the handout, start every server, run every student at once, measure
    memory with every kernel alive, then shut kernels and servers down."""
    started = time.perf_counter()
    names = [p.user for p in plans]
    for name in names:
        prepare_home(hub.home(name))
    await create_users(hub, names)
    ready = await start_servers(hub, names, spawn_timeout_s)
    answer_s: list[float] = []
    setup_s: list[float] = []
    status: dict[str, str] = {}
    info: dict[str, dict[str, str]] = {}
    kernels = await asyncio.gather(*(run_student(hub, p, lesson, assignment_file, answer_s, setup_s, status, info)
                                     for p in plans))
    memory = memory_pss_mb(hub)
    await asyncio.gather(*(k.close() for k in kernels))
    stop_started = time.perf_counter()
    await stop_servers(hub, names)
    while True:
        models = await api(hub, "GET", "/hub/api/users?state=active&limit=1000")
        if not models or time.perf_counter() - stop_started > 60:
            break
        await asyncio.sleep(0.3)
    result = ClassResult(ready, answer_s, setup_s, memory, status, info)
    result.stop_s = time.perf_counter() - stop_started
    result.total_s = time.perf_counter() - started
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
