import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from faqnas.joblog import log_to

log_to(snakemake.log[0])

import pandas as pd

from faqnas.records import read_json
from faqnas.results_page import results_markdown


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=snakemake.scriptdir).stdout.strip()


datasets = snakemake.params.datasets
page = Path(snakemake.output.page)
folder = Path(snakemake.output.figures)
folder.mkdir(parents=True, exist_ok=True)
figures = {}
for ds, paper, fronts, hv in zip(
    datasets, snakemake.input.paper_figures, snakemake.input.fronts, snakemake.input.hypervolume
):
    figures[ds] = {}
    for name, source in (("paper", paper), ("fronts", fronts), ("hypervolume", hv)):
        target = folder / f"{ds}_{name}.png"
        shutil.copyfile(source, target)
        figures[ds][name] = target.relative_to(page.parent).as_posix()

# Uncommitted changes anywhere in the checkout (pathspecs from its top, since
# git runs in the scripts folder), except the page and figures themselves.
changed = git(
    "status", "--porcelain", "--untracked-files=no", "--",
    ":(top)", ":(top,exclude)docs/results.md", ":(top,exclude)docs/results",
)
page.write_text(
    results_markdown(
        datasets,
        {ds: read_json(p) for ds, p in zip(datasets, snakemake.input.claims)},
        {ds: pd.read_csv(p, sep="\t") for ds, p in zip(datasets, snakemake.input.searches)},
        {ds: read_json(p) for ds, p in zip(datasets, snakemake.input.data)},
        snakemake.params.config,
        figures,
        git("rev-parse", "--short=12", "HEAD") or "unknown (not a git checkout)",
        bool(changed),
        datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
)
print(f"wrote {page} and {len(datasets) * 3} figures in {folder}", file=sys.stderr)
