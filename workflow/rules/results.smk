rule stopping_rule:
    output:
        RESULTS / "{ds}" / "stopping_rule.json",
    log:
        RESULTS / "{ds}" / "logs" / "stopping_rule.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "stopping_rule.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        max_generations=SEARCH["max_generations"],
        patience=SEARCH["patience"],
    script:
        "../scripts/stopping_rule.py"


# The stopping rule is an input file, not a param: when it changes, finalize
# must rerun and walk the survival checkpoints further, which a changed param
# alone does not make Snakemake 9 do once finalize's outputs exist.
rule finalize:
    input:
        stopping_rule=rules.stopping_rule.output[0],
        records=all_records,
        populations=finished_search("population"),
        statuses=finished_search("status"),
    output:
        pareto=RESULTS / "{ds}" / "pareto.json",
        pareto_table=report(
            RESULTS / "{ds}" / "pareto.tsv",
            caption="../report/pareto.rst",
            category="Pareto set",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "Pareto set"},
        ),
        top_k=report(
            RESULTS / "{ds}" / "top_k.tsv",
            caption="../report/top_k.rst",
            category="Pareto set",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "top-K"},
        ),
        compromise=RESULTS / "{ds}" / "compromise.json",
        evaluations=report(
            RESULTS / "{ds}" / "evaluations.tsv",
            caption="../report/evaluations.rst",
            category="Evaluations",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "all genomes"},
        ),
        progress=report(
            RESULTS / "{ds}" / "progress.tsv",
            caption="../report/progress.rst",
            category="Search progress",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "per generation"},
        ),
        summary=RESULTS / "{ds}" / "summary.json",
    log:
        RESULTS / "{ds}" / "logs" / "finalize.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "finalize.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        top_k=SEARCH["top_k"],
    script:
        "../scripts/finalize.py"
