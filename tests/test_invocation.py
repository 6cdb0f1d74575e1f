"""What the snakemake command is about to do, as the start-up checks see it."""

from __future__ import annotations

from argparse import Namespace

import pytest

from faqnas.pipeline.invocation import DRY_RUN, OTHER, RUN, UNKNOWN, command_without_dry_run, invocation_mode, mode_of


def args(**set_):
    defaults = dict(dryrun=False, touch=False, lint=None, unlock=False, report=None, report_after_run=False,
                    containerize=None, summary=False, list_rules=False, dag=None, cleanup_metadata=None,
                    delete_all_output=False)
    return Namespace(**{**defaults, **set_})


@pytest.mark.parametrize("given, mode", [
    ({}, RUN),
    ({"dryrun": True}, DRY_RUN),
    ({"touch": True}, DRY_RUN),
    ({"lint": "text"}, OTHER),
    ({"unlock": True}, OTHER),
    ({"report": "report.html"}, OTHER),
    ({"report": "report.html", "report_after_run": True}, RUN),
    ({"summary": True}, OTHER),
    ({"dag": "dot"}, OTHER),
    ({"cleanup_metadata": ["x"]}, OTHER),
    ({"containerize": "dockerfile"}, OTHER),
    ({"delete_all_output": True, "dryrun": True}, OTHER),
])
def test_modes(given, mode):
    assert mode_of(args(**given)) == mode


def test_without_a_command_line_the_mode_is_unknown():
    assert mode_of(None) == UNKNOWN
    assert invocation_mode() == UNKNOWN  # pytest is not snakemake's cli


@pytest.mark.parametrize("argv, expected", [
    (["snakemake", "-n", "--cores", "2"], "snakemake --cores 2"),
    (["/x/snakemake/__main__.py", "-np", "--cores", "2"], "snakemake -p --cores 2"),
    (["snakemake", "--dry-run", "--configfile", "a b.yaml"], "snakemake --configfile 'a b.yaml'"),
    (["snakemake", "--cores", "2", "-j2"], "snakemake --cores 2 -j2"),
])
def test_the_repairing_command_is_the_same_without_dry_run(argv, expected):
    assert command_without_dry_run(argv) == expected
