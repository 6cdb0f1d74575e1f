# `snakemake tables`: every phenotype of the search space (Table I) trained on the tables'
# datasets with each of their run seeds, in parts that a cluster runs side by
# side; published as docs/tables/{dataset}.tsv.gz.


rule table_part:
    input:
        data=RESULTS / "{dataset}" / "data.npz",
    output:
        RESULTS / "tables" / "{dataset}" / "seed{seed}" / "part{c}.tsv",
    log:
        RESULTS / "tables" / "{dataset}" / "logs" / "seed{seed}_part{c}.log",
    benchmark:
        RESULTS / "tables" / "{dataset}" / "benchmarks" / "seed{seed}_part{c}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    threads: TRAINING["threads"]
    resources:
        mem_mb=lambda wc, input: evaluate_mem_mb(input.size_mb),
        runtime=lambda wc, input: part_runtime_min(
            input.size_mb, -(-N_PHENOTYPES // TABLES["parts"])
        ),
    params:
        parts=TABLES["parts"],
        space=config["search_space"],
        training=TRAINING,
    script:
        "../scripts/table_part.py"


rule table:
    input:
        parts=lambda wc: expand(
            RESULTS / "tables" / wc.dataset / "seed{seed}" / "part{c}.tsv",
            seed=TABLES["seeds"],
            c=range(TABLES["parts"]),
        ),
        data=RESULTS / "{dataset}" / "data.json",
    output:
        table="docs/tables/{dataset}.tsv.gz",
        description="docs/tables/{dataset}.json",
    log:
        RESULTS / "tables" / "{dataset}" / "logs" / "table.log",
    benchmark:
        RESULTS / "tables" / "{dataset}" / "benchmarks" / "table.tsv"
    wildcard_constraints:
        dataset=unpublished(TABLES["datasets"], "docs/tables/{}.tsv.gz"),
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        seeds=TABLES["seeds"],
        space=config["search_space"],
        training=TRAINING,
        options=lambda wc: dataset_options(config, wc.dataset),
    script:
        "../scripts/table.py"


rule tables:
    input:
        expand("docs/tables/{dataset}.tsv.gz", dataset=TABLES["datasets"]),
    localrule: True
