"""faqnas' compiled kernels: the circuit simulation of the ``native``
strategy (`faqnas.evaluation.simulator.native`) and the fused training step
(`faqnas.evaluation.fused`).

The kernels are plain C++ without torch headers (``circuit.hpp``,
``circuit.cpp``, ``step.cpp``), compiled on first use with the machine's C++
compiler (``$CXX``, else ``c++``) for the machine's own CPU
(``-march=native``) into one shared library, and cached under
``$FAQNAS_CACHE`` (default ``~/.cache/faqnas``): one file per source,
compiler and CPU, so the nodes of a cluster with different CPUs each build
their own, once. Torch calls them through ctypes on the tensors' memory.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = (HERE / "circuit.cpp", HERE / "step.cpp")
HEADERS = (HERE / "circuit.hpp",)
# No -ffast-math and no FMA contraction: every element's arithmetic is then
# the same whatever vector width -march=native picks (circuit.hpp).
FLAGS = ("-O3", "-march=native", "-ffp-contract=off", "-std=c++17", "-shared", "-fPIC")


class NativeUnavailable(RuntimeError):
    """The kernels could not be built or loaded (the message says why)."""


def compiler() -> str:
    """The C++ compiler: ``$CXX`` if set, else ``c++`` or ``g++`` on the PATH.

    Raises:
        NativeUnavailable: none is found.
    """
    name = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++")
    found = shutil.which(name) if name else None
    if not found:
        raise NativeUnavailable(
            f"no C++ compiler found (CXX={os.environ.get('CXX')!r}, c++, g++) to build "
            f"faqnas' kernels ({', '.join(str(s) for s in SOURCES)})"
        )
    return found


def library_path(cxx: str) -> Path:
    """Where the library built from these sources by ``cxx`` for this CPU lives."""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line for line in f if line.startswith("flags")), "")
    except OSError:
        cpu = ""
    binary = Path(cxx).resolve()
    stat = binary.stat()
    parts = [p.read_bytes() for p in (*SOURCES, *HEADERS)]
    parts += [" ".join(FLAGS).encode(), cpu.encode(),
              f"{binary}:{stat.st_size}:{stat.st_mtime_ns}".encode()]
    key = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    cache = Path(os.environ.get("FAQNAS_CACHE") or Path.home() / ".cache" / "faqnas")
    return cache / f"native-{key}.so"


def build(cxx: str | None = None) -> Path:
    """Compile the library unless the cache already holds it; returns its path.

    Processes that start together (a generation's jobs) wait for one build.

    Raises:
        NativeUnavailable: no compiler, or it failed (its output is in the message).
    """
    cxx = cxx or compiler()
    path = library_path(cxx)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
                built = Path(tmp) / path.name
                result = subprocess.run(
                    [cxx, *FLAGS, *map(str, SOURCES), "-o", str(built)],
                    capture_output=True, text=True,
                )
                if result.returncode != 0:
                    raise NativeUnavailable(
                        f"{cxx} failed to build faqnas' kernels ({HERE}):\n"
                        f"{result.stderr.strip()}"
                    )
                os.replace(built, path)
    return path


_library: ctypes.CDLL | None = None
_failure: NativeUnavailable | None = None


def load() -> ctypes.CDLL:
    """The library, built if needed, loaded once per process.

    Raises:
        NativeUnavailable: it cannot be built or loaded (again on later calls).
    """
    global _library, _failure
    if _library is None and _failure is None:
        try:
            lib = ctypes.CDLL(str(build()))
        except NativeUnavailable as exc:
            _failure = exc
        except OSError as exc:
            _failure = NativeUnavailable(f"cannot load faqnas' kernels: {exc}")
        else:
            p, i64, i32, f64 = ctypes.c_void_p, ctypes.c_int64, ctypes.c_int, ctypes.c_double
            for suffix in ("f32", "f64"):
                getattr(lib, f"faqnas_forward_{suffix}").argtypes = [
                    i32, i32, p, p, p, p, i64, i64, p]
                getattr(lib, f"faqnas_backward_{suffix}").argtypes = [
                    i32, i32, p, p, p, p, i64, i64, p, p, p, p]
                step = getattr(lib, f"faqnas_step_{suffix}")
                step.argtypes = [i32, i32, p, i32, i64, i64, i64, p, p, p, p, p, p,
                                 f64, f64, f64, f64, f64]
                step.restype = f64
            _library = lib
    if _failure is not None:
        raise _failure
    return _library
