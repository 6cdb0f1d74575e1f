# FLOPs are profiled on the PennyLane model once per circuit, into the FLOPs
# store shared by every search, study and table of this directory; the
# circuits a generation lacks are profiled in one process: PennyLane's import
# costs seconds, more than profiling a genome.
rule profile:
    input:
        genomes=expand(
            RESULTS / "{{search}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
        data=dataset_file("data.json"),
        # Its circuits need no profiling; ancient: remaking the table must
        # not remake every generation.
        published=[ancient(FLOPS_TABLE)] if FLOPS_PUBLISHED else [],
    output:
        RESULTS / "{search}" / "gen{g}" / "flops.json",
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "profile.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "profile.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        store=FLOPS_STORE,
    script:
        "../scripts/profile.py"


# The jobs worth a cluster job: each trains a share of a generation's genomes
# (`search.genomes_per_job`; one rule per share, `evaluate` for one genome
# per job) and writes each genome's record as soon as it has it.
for job in EVALUATE_JOBS:

    rule:
        name:
            job.name
        input:
            genomes=job.files(RESULTS / "{search}" / "gen{g}" / "genomes"),
            data=dataset_file("data.npz"),
            description=dataset_file("data.json"),
            flops=RESULTS / "{search}" / "gen{g}" / "flops.json",
        output:
            records=job.files(RESULTS / "{search}" / "gen{g}" / "records"),
        log:
            RESULTS / "{search}" / "logs" / "gen{g}" / f"{job.label}.log",
        benchmark:
            RESULTS / "{search}" / "benchmarks" / "gen{g}" / f"{job.label}.tsv"
        wildcard_constraints:
            search=searches_of(job.datasets),
        conda:
            "../../envs/faqnas.yaml"
        threads: TRAINING["threads"]
        resources:
            mem_mb=lambda wc, input: evaluate_mem_mb(input.size_mb),
            runtime=job_runtime(job),
            gpu=1 if TRAINING["device"] == "cuda" else 0,
        params:
            indices=job.genome_indices,
            seed=run_seed,
            dataset=run_dataset,
            mode=run_mode,
            space=config["search_space"],
            training=TRAINING,
            # Finished evaluations of the dataset, shared by its searches: a job
            # that finds its own there reuses it instead of training.
            store=lambda wc: str(store_folder(RESULTS, run_dataset(wc))),
        script:
            "../scripts/evaluate.py"


# `snakemake flops_table`: the FLOPs store filled for every phenotype of the
# search space, in the tables' parts, and published as docs/tables/flops.tsv.gz
# (one table for every dataset: F_Q depends on the circuit only).
rule flops_part:
    output:
        RESULTS / "tables" / "flops" / "part{c}.tsv",
    log:
        RESULTS / "tables" / "flops" / "logs" / "part{c}.log",
    benchmark:
        RESULTS / "tables" / "flops" / "benchmarks" / "part{c}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    # Profiling needs no data: a second per circuit at the most (~0.3 s on
    # Table I), PennyLane's memory.
    resources:
        mem_mb=evaluate_mem_mb(0),
        runtime=part_runtime_min(0, -(-N_PHENOTYPES // TABLES["parts"])),
    params:
        parts=TABLES["parts"],
        space=config["search_space"],
        store=FLOPS_STORE,
    script:
        "../scripts/flops_part.py"


# Published, the table is a source (see `unpublished`): the target is there.
if FLOPS_PUBLISHED:

    rule flops_table:
        input:
            FLOPS_TABLE,
        localrule: True

else:

    rule flops_table:
        input:
            expand(
                RESULTS / "tables" / "flops" / "part{c}.tsv", c=range(TABLES["parts"])
            ),
        output:
            FLOPS_TABLE,
        log:
            RESULTS / "tables" / "flops" / "logs" / "flops_table.log",
        benchmark:
            RESULTS / "tables" / "flops" / "benchmarks" / "flops_table.tsv"
        localrule: True
        conda:
            "../../envs/faqnas.yaml"
        params:
            space=config["search_space"],
        script:
            "../scripts/flops_table.py"
