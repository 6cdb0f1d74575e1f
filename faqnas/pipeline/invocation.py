"""What the running ``snakemake`` command is about to do, as seen from the Snakefile.

The start-up checks must know whether this command will run jobs (then it may
repair the results tree), is a dry run (then it must not change anything), or
does something else entirely (``--lint``, ``--unlock``, ``--report``, ...,
which must work whatever state the tree is in). Snakemake 9 decides that only
after the Snakefile is loaded, from the command line it parsed; the parsed
arguments are a local of ``snakemake.cli.args_to_api``, which is on the call
stack while the Snakefile is loaded, so they are read from there.
"""

from __future__ import annotations

import inspect
import shlex
import sys

RUN, DRY_RUN, OTHER, UNKNOWN = "run", "dry-run", "other", "unknown"

# snakemake.cli.args_to_api handles each of these instead of running jobs.
_OTHER_ACTIONS = (
    "lint", "list_target_rules", "list_rules", "print_compilation", "generate_unit_tests",
    "dag", "rulegraph", "filegraph", "d3dag", "unlock", "cleanup_metadata",
    "conda_cleanup_envs", "conda_create_envs_only", "list_conda_envs", "cleanup_shadow",
    "container_cleanup_images", "list_changes", "list_input_changes", "list_params_changes",
    "list_untracked", "summary", "detailed_summary", "archive", "delete_all_output",
    "delete_temp_output",
)  # fmt: skip


def _cli_args():
    for frame_info in inspect.stack(context=0):
        if frame_info.function == "args_to_api":
            args = frame_info.frame.f_locals.get("args")
            if args is not None and hasattr(args, "dryrun"):
                return args
    return None


def mode_of(args) -> str:
    """Classify parsed ``snakemake`` arguments.

    Args:
        args: the ``argparse.Namespace`` of Snakemake's command line, or None.

    Returns:
        ``RUN`` (jobs will run), ``DRY_RUN`` (``-n`` or ``--touch``: nothing
        may change), ``OTHER`` (lint, unlock, report, ...: leave the tree
        alone) or ``UNKNOWN`` (no command line found, e.g. the Python API:
        treated like a dry run by callers).
    """
    if args is None:
        return UNKNOWN
    if any(getattr(args, name, None) for name in _OTHER_ACTIONS):
        return OTHER
    if getattr(args, "containerize", None) is not None:
        return OTHER
    if getattr(args, "report", None) is not None and not getattr(args, "report_after_run", False):
        return OTHER
    if getattr(args, "dryrun", False) or getattr(args, "touch", False):
        return DRY_RUN
    return RUN


def invocation_mode() -> str:
    """The mode of the ``snakemake`` command loading this workflow (see :func:`mode_of`)."""
    return mode_of(_cli_args())


def command_without_dry_run(argv: list[str] | None = None) -> str:
    """The command line that was given, as it would run jobs: ``-n`` removed.

    Args:
        argv: the command line (default ``sys.argv``); its program is shown
            as ``snakemake``.

    Returns:
        A shell command, e.g. ``snakemake --cores 2`` for ``snakemake -n --cores 2``.
    """
    argv = list(sys.argv if argv is None else argv)
    words = ["snakemake"]
    for word in argv[1:]:
        if word in ("-n", "--dry-run", "--dryrun", "--touch", "-t"):
            continue
        if word.startswith("-") and not word.startswith("--") and "n" in word[1:] and word[1:].isalpha():
            word = "-" + word[1:].replace("n", "")  # -np -> -p
            if word == "-":
                continue
        words.append(word)
    return shlex.join(words)
