rule propose:
    input:
        previous=previous_population,
    output:
        genomes=expand(
            RESULTS / "{{search}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "propose.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "propose.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        seed=run_seed,
        dataset=run_dataset,
        space=config["search_space"],
        search=run_evolution,
    script:
        "../scripts/propose.py"


# FLOPs are profiled on the PennyLane model for a whole generation in one
# process: PennyLane's import costs seconds, more than profiling a genome.
rule profile:
    input:
        genomes=expand(
            RESULTS / "{{search}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
        data=dataset_file("data.json"),
    output:
        RESULTS / "{search}" / "gen{g}" / "flops.json",
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "profile.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "profile.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/profile.py"


rule evaluate:
    input:
        genome=RESULTS / "{search}" / "gen{g}" / "genomes" / "{i}.json",
        data=dataset_file("data.npz"),
        flops=RESULTS / "{search}" / "gen{g}" / "flops.json",
    output:
        record=RESULTS / "{search}" / "gen{g}" / "records" / "{i}.json",
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "evaluate_{i}.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "evaluate_{i}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    threads: TRAINING["threads"]
    # Measured peaks (docs/cluster.md): ~0.5 GB on tabular data, 0.8 GB on
    # full MNIST (1.6 GB with the PennyLane backend); minutes per epoch: under
    # 1, 2 on full MNIST, 12 with PennyLane on full MNIST.
    resources:
        mem_mb=lambda wc, input: 1200 + 4 * input.size_mb,
        runtime=lambda wc: 10
        + TRAINING["epochs"]
        * (
            (12 if TRAINING["backend"] == "pennylane" else 2)
            if run_dataset(wc) == "mnist"
            else 1
        ),
        gpu=1 if TRAINING["device"] == "cuda" else 0,
    params:
        seed=run_seed,
        dataset=run_dataset,
        objectives=lambda wc: run_of(wc.search).objectives,
        space=config["search_space"],
        training=TRAINING,
    script:
        "../scripts/evaluate.py"


checkpoint survive:
    input:
        records=generation_records,
        previous=previous_population,
        previous_status=previous_status,
    output:
        population=RESULTS / "{search}" / "gen{g}" / "population.json",
        status=RESULTS / "{search}" / "gen{g}" / "status.json",
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "survive.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "survive.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        search=run_evolution,
    script:
        "../scripts/survive.py"
