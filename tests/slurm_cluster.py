"""Local SLURM cluster for tests (``@pytest.mark.slurm``).

* :func:`ensure_cluster` makes a working single-node SLURM cluster available and
  returns the partition to submit to. A cluster that already answers is used as
  it is; otherwise ``../shared/slurm/start-local-slurm.sh`` (relative to the
  repository root) is run, which installs Debian's slurm packages if needed and
  starts munged, slurmctld and slurmd without systemd. That needs root; where
  it cannot be done (no root, no script, script failed) the ``slurm_partition``
  fixture fails with the reason.
* :func:`stop_started_daemons` stops only the daemons this process started,
  by pid, and leaves a cluster that was already running alone. The
  ``slurm_partition`` fixture calls it at the end of the test session, unless
  ``FAQNAS_SLURM_KEEP=1``.
* :func:`jobs_submitted_since` reads SLURM's own records (``scontrol show job``,
  which keeps finished jobs for MinJobAge seconds, 600 with the script; plus
  ``sacct`` where an accounting database answers) so that a test can check that
  its jobs really went through sbatch. Filter by job name and/or working
  directory so that only the test's own jobs count: the cluster is shared by
  everything on the machine.

Usage in a test module::

    from slurm_cluster import jobs_submitted_since, slurm_partition  # noqa: F401

    @pytest.mark.slurm
    def test_x(slurm_partition, tmp_path): ...

Environment knobs: ``FAQNAS_SLURM_SCRIPT`` (path of start-local-slurm.sh),
``FAQNAS_SLURM_KEEP=1`` (leave
started daemons running), and the script's own ``SLURM_DIR``, ``SLURM_CONF``,
``PARTITION``, ``WITH_DBD``, ...
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Union

import pytest

REPO = Path(__file__).resolve().parents[1]
START_SCRIPT = Path(
    os.environ.get(
        "FAQNAS_SLURM_SCRIPT", REPO.parent / "shared" / "slurm" / "start-local-slurm.sh"
    )
)
SLURM_DIR = Path(os.environ.get("SLURM_DIR", "/tmp/slurm"))
# Daemons the script may start, with their pid files (same paths as the script),
# in the order they are stopped.
PIDFILES = {
    "slurmd": SLURM_DIR / "slurmd.pid",
    "slurmctld": SLURM_DIR / "slurmctld.pid",
    "slurmdbd": SLURM_DIR / "slurmdbd.pid",
    "mariadbd": Path("/run/mysqld/mariadbd.pid"),
    "munged": Path("/run/munge/munged.pid"),
}


class ClusterUnavailable(RuntimeError):
    """No cluster answers and none could be started (no root/script, or it failed)."""


_state: dict = {"partition": None, "started": {}, "script_seconds": None}


# ---------------------------------------------------------------------- helpers
def _run(cmd: list[str], timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def _alive_pid(pidfile: Path, name: str) -> int | None:
    """Pid from *pidfile* if that process is alive and is really *name*."""
    try:
        pid = int(pidfile.read_text().split()[0])
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except (OSError, ValueError, IndexError):
        return None
    return pid if comm.startswith(name[:15]) else None


def _alive_daemons() -> dict[str, int]:
    return {n: p for n, pf in PIDFILES.items() if (p := _alive_pid(pf, n)) is not None}


def default_partition() -> str | None:
    """The partition marked ``*`` by sinfo (where sbatch submits without -p)."""
    if shutil.which("sinfo") is None:
        return None
    try:
        out = _run(["sinfo", "-h", "-o", "%P"], timeout=15)
    except subprocess.TimeoutExpired:
        return None
    names = out.stdout.split() if out.returncode == 0 else []
    for name in names:
        if name.endswith("*"):
            return name[:-1]
    return names[0] if names else None


def cluster_ready() -> bool:
    """True if a controller answers and a node can take jobs."""
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        return False
    try:
        if _run(["scontrol", "ping"], timeout=15).returncode != 0:
            return False
        st = _run(["sinfo", "-h", "-o", "%T"], timeout=15)
    except subprocess.TimeoutExpired:
        return False
    return st.returncode == 0 and any(
        s.rstrip("*~#$@+").startswith(("idle", "mix", "alloc", "completing"))
        for s in st.stdout.split()
    )


# ---------------------------------------------------------------------- start / stop
def ensure_cluster() -> str:
    """Make a local SLURM cluster available; return the partition to use.

    Idempotent and cached per process. Raises :class:`ClusterUnavailable` when
    no cluster answers and none can be started here (no root, no script, or
    the script failed, e.g. apt-get without network; the message holds the
    end of its output).
    """
    if _state["partition"] is not None and cluster_ready():
        return _state["partition"]
    if not cluster_ready():
        if not START_SCRIPT.is_file():
            raise ClusterUnavailable(
                f"no SLURM cluster answers and {START_SCRIPT} is missing"
            )
        if os.geteuid() != 0:
            raise ClusterUnavailable(
                "no SLURM cluster answers and starting one needs root"
            )
        before = _alive_daemons()
        t0 = time.monotonic()
        proc = subprocess.run(
            ["bash", str(START_SCRIPT), "start"],
            capture_output=True,
            text=True,
            timeout=900,
        )
        _state["script_seconds"] = time.monotonic() - t0
        after = _alive_daemons()
        # remember only what was not running before: that is ours to stop
        for name, pid in after.items():
            if before.get(name) != pid:
                _state["started"][name] = pid
        if proc.returncode != 0 or not cluster_ready():
            stop_started_daemons()  # do not leave a half-started cluster behind
            raise ClusterUnavailable(
                f"{START_SCRIPT} failed (rc={proc.returncode}):\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
    partition = os.environ.get("PARTITION") or default_partition()
    if not partition:
        raise RuntimeError("SLURM answers but sinfo lists no partition")
    _state["partition"] = partition
    return partition


def started_daemons() -> dict[str, int]:
    """Daemons (name -> pid) that :func:`ensure_cluster` started in this process."""
    return dict(_state["started"])


def stop_started_daemons(timeout: float = 15) -> list[str]:
    """Stop the daemons this process started (never others); return their names."""
    stopped = []
    for name, pidfile in PIDFILES.items():  # slurmd first, munged last
        pid = _state["started"].pop(name, None)
        if pid is None or _alive_pid(pidfile, name) != pid:
            continue
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
                time.sleep(0.2)
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        stopped.append(name)
    _state["partition"] = None
    return stopped


# ---------------------------------------------------------------------- SLURM records
_KEY = re.compile(r"(?:^|\s)([A-Za-z][A-Za-z0-9_/:]*)=")


def _parse_oneliner(line: str) -> dict[str, str]:
    """Parse one ``scontrol -o show job`` line (values may contain spaces)."""
    keys = list(_KEY.finditer(line))
    rec = {}
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
        rec[m.group(1)] = line[m.end() : end].strip()
    return rec


def _epoch(stamp: str) -> float | None:
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").timestamp()
    except (TypeError, ValueError):
        return None


def _scontrol_jobs() -> list[dict]:
    out = _run(["scontrol", "-o", "show", "job"], timeout=30)
    if out.returncode != 0:
        return []
    jobs = []
    for line in out.stdout.splitlines():
        if "JobId=" not in line:
            continue
        r = _parse_oneliner(line)
        jobs.append(
            {
                "JobId": r.get("JobId", ""),
                "JobName": r.get("JobName", ""),
                "JobState": r.get("JobState", ""),
                "Partition": r.get("Partition", ""),
                "WorkDir": r.get("WorkDir", ""),
                "Comment": r.get("Comment", ""),
                "ExitCode": r.get("ExitCode", ""),
                "SubmitTime": r.get("SubmitTime", ""),
                "source": "scontrol",
            }
        )
    return jobs


def _sacct_jobs(t0: float) -> list[dict]:
    if shutil.which("sacct") is None:
        return []
    start = datetime.fromtimestamp(t0 - 60).strftime("%Y-%m-%dT%H:%M:%S")
    fields = (
        "JobIDRaw,JobName%200,State,Partition,WorkDir%400,Comment%200,ExitCode,Submit"
    )
    try:
        out = _run(
            [
                "sacct",
                "-X",
                "-P",
                "-n",
                "-a",
                "-S",
                start,
                "-E",
                "now",
                "--format",
                fields,
            ],
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        return []
    if out.returncode != 0:  # no accounting database (accounting_storage/none)
        return []
    keys = [
        "JobId",
        "JobName",
        "JobState",
        "Partition",
        "WorkDir",
        "Comment",
        "ExitCode",
        "SubmitTime",
    ]
    jobs = []
    for line in out.stdout.splitlines():
        parts = line.split("|")
        if len(parts) == len(keys):
            rec = dict(zip(keys, parts))
            rec["JobState"] = rec["JobState"].split()[0] if rec["JobState"] else ""
            rec["source"] = "sacct"
            jobs.append(rec)
    return jobs


def jobs_submitted_since(
    t0: float,
    name_filter: Union[str, Callable[[dict], bool], None] = None,
    workdir: Union[str, os.PathLike, None] = None,
) -> list[dict]:
    """SLURM's records of the jobs submitted at or after epoch time *t0*.

    *name_filter*: a string that must occur in the job name (snakemake's jobs are
    named ``<slurm-jobname-prefix>_<run uuid>``), or a predicate on the record.
    *workdir*: keep only jobs whose working directory (sbatch -D) is this path.
    Each record is a dict with JobId, JobName, JobState, Partition, WorkDir,
    Comment (snakemake writes ``rule_<name>[_wildcards_<...>]``), ExitCode,
    SubmitTime and source ("scontrol" or "sacct"), sorted by JobId.
    """
    floor_t0 = int(t0)  # SubmitTime has one-second resolution
    records = {r["JobId"]: r for r in _sacct_jobs(t0)}
    records.update({r["JobId"]: r for r in _scontrol_jobs()})  # live view wins
    wd = str(Path(workdir).resolve()) if workdir is not None else None
    result = []
    for rec in records.values():
        ts = _epoch(rec["SubmitTime"])
        if ts is None or ts < floor_t0:
            continue
        if wd is not None and str(Path(rec["WorkDir"]).resolve()) != wd:
            continue
        if callable(name_filter):
            if not name_filter(rec):
                continue
        elif name_filter is not None and name_filter not in rec["JobName"]:
            continue
        result.append(rec)
    return sorted(result, key=lambda r: int(re.match(r"\d+", r["JobId"]).group()))


# ---------------------------------------------------------------------- pytest fixture
@pytest.fixture(scope="session")
def slurm_partition():
    """Partition of a running local cluster; stops what it started at session end."""
    try:
        partition = ensure_cluster()
    except ClusterUnavailable as e:
        # A cluster test that silently skips would hide a broken profile.
        pytest.fail(f"a local SLURM cluster could not be started: {e}")
    yield partition
    if os.environ.get("FAQNAS_SLURM_KEEP") != "1":
        stop_started_daemons()
