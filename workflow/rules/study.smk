# `snakemake study`: the paper's claims checked on the committed tabular
# benchmarks (replayed searches) and live searches, written to
# docs/results.md. It reads docs/tables/ only and never trains: a dataset
# whose table (`snakemake tables`) or live searches (`snakemake live`) are
# not there yet is named on the page as not measured.


rule replays:
    input:
        table="docs/tables/{dataset}.tsv.gz",
        description="docs/tables/{dataset}.json",
        flops=FLOPS_TABLE,
    output:
        RESULTS / "study" / "{dataset}" / "evaluations.tsv.gz",
    log:
        RESULTS / "study" / "{dataset}" / "logs" / "replays.log",
    benchmark:
        RESULTS / "study" / "{dataset}" / "benchmarks" / "replays.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        search=SEARCH,
        seeds=STUDY["replays"],
        budgets=STUDY["budgets"],
    script:
        "../scripts/replays.py"


rule live_table:
    input:
        searches=lambda wc: [
            folder / "evaluations.tsv" for folder in study_folders(wc.dataset)
        ],
        data=RESULTS / "{dataset}" / "data.json",
    output:
        table="docs/tables/live/{dataset}.tsv.gz",
        description="docs/tables/live/{dataset}.json",
    log:
        RESULTS / "study" / "{dataset}" / "logs" / "live_table.log",
    benchmark:
        RESULTS / "study" / "{dataset}" / "benchmarks" / "live_table.tsv"
    wildcard_constraints:
        dataset=unpublished(STUDY["live"], "docs/tables/live/{}.tsv.gz"),
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        runs=lambda wc: [
            {"objectives": run.objectives, "seed": run.seed}
            for run in study_runs(config, wc.dataset)
        ],
    script:
        "../scripts/live_table.py"


rule claims:
    input:
        evaluations=lambda wc: study_file(wc.dataset, "evaluations"),
        description=lambda wc: study_file(wc.dataset, "description"),
        flops=FLOPS_TABLE,
        table=lambda wc: study_file(wc.dataset, "table"),
    output:
        claims=RESULTS / "study" / "{dataset}" / "claims.json",
        measures=RESULTS / "study" / "{dataset}" / "measures.tsv",
        comparisons=RESULTS / "study" / "{dataset}" / "comparisons.tsv",
        figures=directory(RESULTS / "study" / "{dataset}" / "figures"),
    log:
        RESULTS / "study" / "{dataset}" / "logs" / "claims.log",
    benchmark:
        RESULTS / "study" / "{dataset}" / "benchmarks" / "claims.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        budgets=STUDY["budgets"],
        alpha=STUDY["alpha"],
        resamples=STUDY["resamples"],
    script:
        "../scripts/claims.py"


rule results_doc:
    input:
        claims=expand(RESULTS / "study" / "{dataset}" / "claims.json", dataset=STUDIED),
        comparisons=expand(
            RESULTS / "study" / "{dataset}" / "comparisons.tsv", dataset=STUDIED
        ),
        figures=expand(RESULTS / "study" / "{dataset}" / "figures", dataset=STUDIED),
    output:
        page="docs/results.md",
        figures=directory("docs/results"),
    log:
        RESULTS / "study" / "logs" / "results_doc.log",
    benchmark:
        RESULTS / "study" / "benchmarks" / "results_doc.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        datasets=STUDIED,
        missing=[
            ds for ds in [*TABLES["datasets"], *STUDY["live"]] if ds not in STUDIED
        ],
        config=config,
    script:
        "../scripts/results_doc.py"


rule study:
    input:
        rules.results_doc.output,
    localrule: True


rule live:
    input:
        expand("docs/tables/live/{dataset}.tsv.gz", dataset=STUDY["live"]),
    localrule: True
