rule propose:
    input:
        previous=previous_population,
    output:
        genomes=expand(
            RESULTS / "{{ds}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
    log:
        RESULTS / "{ds}" / "logs" / "gen{g}" / "propose.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "gen{g}" / "propose.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        seed=config["seed"],
        space=config["search_space"],
        search=EVOLUTION,
    script:
        "../scripts/propose.py"


# FLOPs are profiled on the PennyLane model for a whole generation in one
# process: PennyLane's import costs seconds, more than profiling a genome.
rule profile:
    input:
        genomes=expand(
            RESULTS / "{{ds}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
        data=RESULTS / "{ds}" / "data.json",
    output:
        RESULTS / "{ds}" / "gen{g}" / "flops.json",
    log:
        RESULTS / "{ds}" / "logs" / "gen{g}" / "profile.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "gen{g}" / "profile.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/profile.py"


rule evaluate:
    input:
        genome=RESULTS / "{ds}" / "gen{g}" / "genomes" / "{i}.json",
        data=RESULTS / "{ds}" / "data.npz",
        flops=RESULTS / "{ds}" / "gen{g}" / "flops.json",
    output:
        record=RESULTS / "{ds}" / "gen{g}" / "records" / "{i}.json",
    log:
        RESULTS / "{ds}" / "logs" / "gen{g}" / "evaluate_{i}.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "gen{g}" / "evaluate_{i}.tsv"
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
            if wc.ds == "mnist"
            else 1
        ),
        gpu=1 if TRAINING["device"] == "cuda" else 0,
    params:
        seed=config["seed"],
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
        population=RESULTS / "{ds}" / "gen{g}" / "population.json",
        status=RESULTS / "{ds}" / "gen{g}" / "status.json",
    log:
        RESULTS / "{ds}" / "logs" / "gen{g}" / "survive.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "gen{g}" / "survive.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        search=EVOLUTION,
    script:
        "../scripts/survive.py"
