import re
import sys
import time
from pathlib import Path

from snakemake.exceptions import WorkflowError

try:
    import faqnas
except ImportError:
    raise WorkflowError(
        "faqnas is not installed in the Python that runs Snakemake: run `make run` "
        "(or `pip install torch==2.13.0 && pip install -e .` in this checkout) first"
    ) from None

from faqnas.pipeline.config import (
    EXTENDABLE,
    ConfigError,
    check_config,
    check_results_match,
    load_schema,
    manifest,
)
from faqnas.data.registry import DatasetError, dataset_options
from faqnas.data.sources import check_sources, source_files
from faqnas.evaluation.reuse import store_folder
from faqnas.pipeline.batches import dataset_job_sizes, evaluate_jobs
from faqnas.pipeline.conda import expose_checkout
from faqnas.pipeline.resources import (
    evaluate_mem_mb,
    evaluate_runtime_min,
    part_runtime_min,
    prepare_mem_mb,
)
from faqnas.pipeline.consistency import ConsistencyError, settle
from faqnas.pipeline.invocation import (
    OTHER,
    RUN,
    command_without_dry_run,
    invocation_mode,
)
from faqnas.pipeline.progress import announce
from faqnas.pipeline.runlock import (
    clear_stale_locks,
    forget_run,
    held_locks,
    remember_run,
)
from faqnas.pipeline.runs import (
    SEARCH_PATTERN,
    Primary,
    parse_search_folder,
    search_folder,
    searches_of,
    study_runs,
)
from faqnas.records import read_json, read_status
from faqnas.search.space import PHENOTYPE_KEY_PATTERN, SearchSpace
from faqnas.search.stopping import StoppingRule

RESULTS = Path("results")
RUN_STARTED = time.time()
# F_Q of every circuit profiled here, shared by all searches, studies and tables.
FLOPS_STORE = str(RESULTS / "flops")
expose_checkout(workflow.basedir)

# run, dry-run, other (lint, unlock, report...: the tree is left alone) or
# unknown (no command line: treated like a dry run); jobs never check.
MODE = invocation_mode() if workflow.is_main_process else OTHER

try:
    check_config(
        config,
        load_schema(Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"),
    )
    # Bad data is found here, before any job, dry runs included.
    SOURCES = None if MODE == OTHER else check_sources(config)
    check_results_match(config, RESULTS, SOURCES)
except (ConfigError, DatasetError) as err:
    raise WorkflowError(str(err)) from None

if workflow.is_main_process:
    cleared = clear_stale_locks(Path(".snakemake"))
    if cleared:
        print(cleared, file=sys.stderr)


onstart:
    remember_run(Path(".snakemake"))


onsuccess:
    forget_run(Path(".snakemake"))


onerror:
    forget_run(Path(".snakemake"))


DATASETS = config["datasets"]
SEARCH = config["search"]
TRAINING = config["training"]
POPULATION = range(SEARCH["population"])
# What propose and survive may depend on: the rest of `search` only decides
# how far the search goes, and must not make finished generations rerun.
EVOLUTION = {k: v for k, v in SEARCH.items() if k not in EXTENDABLE["search"]}
STOPPING = StoppingRule(SEARCH["max_generations"], SEARCH["patience"])
FINAL = config["final"]
TABLES = config["tables"]
STUDY = config["study"]
# The evaluate rules: each dataset's generations split into jobs of
# `search.genomes_per_job` genomes (faqnas.pipeline.batches).
EVALUATE_JOBS = evaluate_jobs(
    dataset_job_sizes(config, list(dict.fromkeys([*DATASETS, *STUDY["live"]]))),
    SEARCH["population"],
)
N_PHENOTYPES = SearchSpace(config["search_space"]).n_phenotypes()
# What `snakemake study` checks the claims on: the committed tables and live
# searches there are (docs/tables/ of the working directory). Decided when
# the workflow is read, so that `study` never schedules training; make the
# missing ones with `snakemake tables` or `snakemake live` first.
STUDIED_TABLES = [
    ds for ds in TABLES["datasets"] if Path(f"docs/tables/{ds}.tsv.gz").exists()
]
STUDIED = [
    *STUDIED_TABLES,
    *(
        ds
        for ds in STUDY["live"]
        if ds not in STUDIED_TABLES and Path(f"docs/tables/live/{ds}.tsv.gz").exists()
    ),
]
# A published table is a source: the rules that make one match only datasets
# whose table is not there. Snakemake would otherwise remake it, with all
# the training behind it, whenever its script is newer than the table, and a
# git checkout orders files' times at random. Delete a table to make it again.
FLOPS_TABLE = "docs/tables/flops.tsv.gz"
FLOPS_PUBLISHED = Path(FLOPS_TABLE).exists()


def unpublished(datasets, path):
    """Wildcard pattern: those of ``datasets`` whose ``path`` (a format with
    ``{}`` for the dataset) does not exist; a pattern matching nothing when
    all do."""
    return (
        "|".join(re.escape(ds) for ds in datasets if not Path(path.format(ds)).exists())
        or "(?!)"
    )


# results/{dataset} holds the configured search; a study's other searches
# (other objectives, seeds) live in results/{dataset}/runs/{objectives}-seed{seed}.
PRIMARY = Primary.of(config)

# Every search this run covers is checked before the DAG is built: a run
# repairs what is broken (and says so), a dry run lists it and fails, so no
# command reports success over broken results (faqnas/pipeline/consistency.py).
if MODE != OTHER:
    if held_locks(Path(".snakemake")):
        print(
            "faqnas: another snakemake run holds this directory; results not checked",
            file=sys.stderr,
        )
    else:
        try:
            for line in settle(
                config,
                RESULTS,
                Path(".snakemake"),
                EVOLUTION,
                repair=MODE == RUN,
                command=command_without_dry_run(),
            ):
                print(f"faqnas: {line}", file=sys.stderr)
        except ConsistencyError as err:
            raise WorkflowError(str(err)) from None


wildcard_constraints:
    dataset="[A-Za-z0-9_]+",
    search=SEARCH_PATTERN,
    g=r"\d+",
    i=r"\d+",
    c=r"\d+",
    s=r"\d+",
    seed=r"\d+",
    key=PHENOTYPE_KEY_PATTERN,


def run_of(search):
    return parse_search_folder(search, PRIMARY)


def run_seed(wildcards):
    return run_of(wildcards.search).seed


def run_dataset(wildcards):
    return run_of(wildcards.search).dataset


def run_mode(wildcards):
    return run_of(wildcards.search).objectives


def run_evolution(wildcards):
    """EVOLUTION with the objectives of this search."""
    return {**EVOLUTION, "objectives": run_mode(wildcards)}


def job_runtime(job):
    """Resource function: the wall-time limit of an evaluate job, for all of its genomes."""
    return lambda wc, input: evaluate_runtime_min(
        input.size_mb, TRAINING["epochs"], TRAINING["backend"], job.size or 1
    )


def dataset_file(name):
    """Input function: a file of the prepared dataset a search runs on."""
    return lambda wc: RESULTS / run_dataset(wc) / name


def study_folders(dataset):
    return [
        RESULTS / search_folder(run, PRIMARY) for run in study_runs(config, dataset)
    ]


def study_file(dataset, kind):
    """Input function's value: a studied dataset's ``evaluations`` (replays on
    its table, or its published live searches), ``description`` or ``table``
    (a list: empty for live searches)."""
    if dataset in STUDIED_TABLES:
        files = {
            "evaluations": RESULTS / "study" / dataset / "evaluations.tsv.gz",
            "description": f"docs/tables/{dataset}.json",
            "table": [f"docs/tables/{dataset}.tsv.gz"],
        }
    else:
        files = {
            "evaluations": f"docs/tables/live/{dataset}.tsv.gz",
            "description": f"docs/tables/live/{dataset}.json",
            "table": [],
        }
    return files[kind]


def gen_dir(search, g):
    return RESULTS / search / f"gen{g}"


def last_generation(search):
    """Walk the survival checkpoints until the stopping rule stops the search.
    Decided from the config when the DAG is built, so raising max_generations
    or patience later continues a finished search instead of re-running it."""

    def status_of(g):
        path = checkpoints.survive.get(search=search, g=g).output.status
        status = read_status(path)
        announce(search, path, status, STOPPING, RUN_STARTED)
        return status

    return STOPPING.last_generation(status_of)


def search_outputs(search, name):
    """One output of every generation of a finished search."""
    return [
        gen_dir(search, g) / f"{name}.json" for g in range(last_generation(search) + 1)
    ]


def generation_records(wildcards):
    return expand(
        gen_dir(wildcards.search, wildcards.g) / "records/{i}.json", i=POPULATION
    )


def previous_population(wildcards):
    g = int(wildcards.g)
    return [] if g == 0 else [gen_dir(wildcards.search, g - 1) / "population.json"]


def previous_status(wildcards):
    g = int(wildcards.g)
    return [] if g == 0 else [gen_dir(wildcards.search, g - 1) / "status.json"]


def finished_search(name):
    """Input function: one file per generation of the finished search."""
    return lambda wc: search_outputs(wc.search, name)


def all_records(wildcards):
    return [
        gen_dir(wildcards.search, g) / "records" / f"{i}.json"
        for g in range(last_generation(wildcards.search) + 1)
        for i in POPULATION
    ]


def final_epochs(dataset):
    return FINAL["dataset_epochs"].get(dataset, FINAL["epochs"])


def final_records(wildcards):
    """One record per (Pareto-optimal architecture, seed) of a dataset's
    search; the Pareto set is known once its finalize checkpoint has run."""
    pareto = checkpoints.finalize.get(search=wildcards.dataset).output.pareto
    return [
        RESULTS / wildcards.dataset / "final" / r["phenotype_key"] / f"seed{s}.json"
        for r in read_json(pareto)
        for s in range(FINAL["seeds"])
    ]


def final_outputs(wildcards):
    """The final stage's files a search's report shows: only the configured
    search of a dataset (results/{dataset}) is re-trained."""
    if wildcards.search not in DATASETS:
        return []
    return [
        RESULTS / wildcards.search / "final.tsv",
        RESULTS / wildcards.search / "final.json",
        RESULTS / wildcards.search / "figures" / "final_accuracy_vs_flops.png",
    ]
