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
    resources:
        mem_mb=lambda wc: 8000 if wc.ds == "mnist" else 2000,
        runtime=lambda wc: 120 if wc.ds == "mnist" else 20,
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
