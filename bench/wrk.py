"""Pages under wrk (`wrk -t2 -c32 -d<N>s`, /usr/bin/wrk): requests answered, and what failed,
read from wrk's own summary and bench/wrk_report.lua's status counts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from bench.measure import Failures

SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
THREADS, CONNECTIONS = 2, 32


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return found


def run_wrk(url: str, seconds: float) -> tuple[int, float, float, Failures]:
    """Load `url` for `seconds`: (2xx answers, elapsed seconds, wrk's CPU seconds, failures)."""
    command = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds:g}s",
        "-s",
        str(SCRIPT),
        url,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {output.strip()[:300]}")
    ok, elapsed, failures = parse_wrk(output)
    return ok, elapsed, usage.ru_utime + usage.ru_stime, failures


def parse_wrk(output: str) -> tuple[int, float, Failures]:
    """(2xx answers, elapsed seconds, failures) from wrk's output with bench/wrk_report.lua."""
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output)
    if total is None:
        raise RuntimeError(f"wrk printed no summary: {output.strip()[:300]}")
    elapsed = float(total[2]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[total[3]]
    failures = Failures()
    ok = 0
    errors = dict(re.findall(r"^error (\d+) (.*)$", output, re.MULTILINE))
    for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE):
        if status.startswith("2"):
            ok += int(count)
        else:
            failures.add(status, errors.get(status, ""), int(count))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        for name, count in zip(
            ("connect", "read", "write", "timeout"), socket.groups(), strict=True
        ):
            if int(count):
                failures.add(f"socket {name} error", "", int(count))
    return ok, elapsed, failures
