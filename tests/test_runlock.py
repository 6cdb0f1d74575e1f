"""A run killed with SIGKILL leaves Snakemake's lock; the next start clears it."""

import subprocess
import sys

from faqnas.pipeline.runlock import clear_stale_locks, forget_run, remember_run


def make_lock(folder):
    (folder / "locks").mkdir(parents=True)
    (folder / "locks" / "0.input.lock").write_text("x")


def test_lock_of_a_dead_run_is_cleared(tmp_path, monkeypatch):
    make_lock(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    monkeypatch.setattr("os.getpid", lambda: dead.pid)
    remember_run(tmp_path)
    message = clear_stale_locks(tmp_path)
    assert f"pid {dead.pid}" in message
    assert not (tmp_path / "locks").exists()


def test_lock_of_a_live_run_is_kept(tmp_path):
    make_lock(tmp_path)
    remember_run(tmp_path)  # this very process: alive
    assert clear_stale_locks(tmp_path) == ""
    assert (tmp_path / "locks" / "0.input.lock").exists()


def test_lock_without_our_record_is_left_to_snakemake(tmp_path):
    make_lock(tmp_path)
    assert clear_stale_locks(tmp_path) == ""
    remember_run(tmp_path)
    forget_run(tmp_path)
    assert clear_stale_locks(tmp_path) == ""
    assert (tmp_path / "locks").exists()
