"""Stripe's official samples, run unchanged: where they are, their virtualenvs, their servers.

The samples (MIT, with their COMMIT) are never copied into this repository: CI puts a read-only
``shared/`` folder beside the clone, so they are at ``<repo>/../shared/stripe/samples``
(``STRIPE_SAMPLES_DIR`` points elsewhere, e.g. from a worktree). Each sample's server runs in a
virtualenv built from the sample's own pinned requirements file, kept under ``.venv-samples/``
(git-ignored) and keyed by a hash of that file, so it is built once per requirements change.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def default_samples_dir() -> Path:
    return REPO.parent / "shared/stripe/samples"


SAMPLES = Path(os.environ.get("STRIPE_SAMPLES_DIR") or default_samples_dir())
VENVS = REPO / ".venv-samples"
LAUNCHER = Path(__file__).with_name("launch_sample.py")
START_TIMEOUT = 30.0  # seconds for Flask to listen; a bound, not a measurement


def sample_dir(name: str) -> Path:
    """A sample's folder, or a failure saying where it was looked for."""
    path = SAMPLES / name
    if not (path / "server/python/server.py").is_file():
        raise RuntimeError(
            f"Stripe's sample {name!r} is not at {path}. The sample tests need Stripe's official "
            "samples in ../shared/stripe/samples beside the repository (as CI provides them), "
            "or STRIPE_SAMPLES_DIR naming that folder."
        )
    return path


def sample_python(name: str) -> Path:
    """The Python of the sample's virtualenv, built first if its requirements changed."""
    requirements = sample_dir(name) / "server/python/requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    venv = VENVS / f"{name.replace('/', '-')}-{digest}"
    python = venv / "bin/python"
    VENVS.mkdir(exist_ok=True)
    with _locked(VENVS / ".lock"):
        if not python.exists():
            _build(venv, requirements)
    return python


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One builder at a time (parallel test runs share the folder)."""
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _build(venv: Path, requirements: Path) -> None:
    """Build in a side folder and rename it into place, so a half-built one is never used.
    (Only ``bin/python`` is run from it, which a renamed virtualenv keeps working.)"""
    building = venv.with_name(venv.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(building)], check=True)  # noqa: S603
    pip = [str(building / "bin/python"), "-m", "pip", "install", "--quiet", "-r"]
    subprocess.run([*pip, str(requirements)], check=True)  # noqa: S603
    building.rename(venv)


@dataclass
class SampleServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_sample(name: str, env: dict[str, str], log: Path) -> SampleServer:
    """Start the sample's ``server.py`` with ``env`` (its ``.env`` variables and
    ``STRIPE_API_BASE``; ``DOMAIN``, where Checkout returns to, is the server's own URL) and
    wait until it listens."""
    python = sample_python(name)
    port = _free_port()
    server_dir = sample_dir(name) / "server/python"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only if the runner has none
        "PYTHONDONTWRITEBYTECODE": "1",  # the samples folder is read-only
        "PYTHONUNBUFFERED": "1",  # what the sample prints reaches the log at once
        "DOMAIN": f"http://127.0.0.1:{port}",
        **env,
    }
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our launcher, fixed arguments
            [str(python), str(LAUNCHER), str(port)],
            cwd=server_dir,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = SampleServer(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while not _listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"sample {name} did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
