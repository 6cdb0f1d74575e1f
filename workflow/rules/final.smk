# After a dataset's search: its Pareto set trained again from scratch with
# final.seeds seeds, one job each, scored on the held-out test split.


rule final_train:
    input:
        pareto=RESULTS / "{dataset}" / "pareto.json",
        data=RESULTS / "{dataset}" / "data.npz",
    output:
        record=RESULTS / "{dataset}" / "final" / "{key}" / "seed{s}.json",
        model=RESULTS / "{dataset}" / "final" / "{key}" / "seed{s}.pt",
    log:
        RESULTS / "{dataset}" / "logs" / "final" / "{key}_seed{s}.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "final" / "{key}_seed{s}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    threads: TRAINING["threads"]
    resources:
        mem_mb=lambda wc, input: evaluate_mem_mb(input.size_mb),
        runtime=lambda wc, input: evaluate_runtime_min(
            input.size_mb, final_epochs(wc.dataset), TRAINING["backend"]
        ),
        gpu=1 if TRAINING["device"] == "cuda" else 0,
    params:
        seed=config["seed"],
        training=TRAINING,
        epochs=lambda wc: final_epochs(wc.dataset),
        patience=FINAL["patience"],
    script:
        "../scripts/final_train.py"


rule final_table:
    input:
        records=final_records,
        compromise=RESULTS / "{dataset}" / "compromise.json",
    output:
        table=report(
            RESULTS / "{dataset}" / "final.tsv",
            caption="../report/final_table.rst",
            category="Final re-training",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "table": "re-trained Pareto set"},
        ),
        summary=RESULTS / "{dataset}" / "final.json",
    log:
        RESULTS / "{dataset}" / "logs" / "final_table.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "final_table.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/final_table.py"


rule final_figure:
    input:
        table=rules.final_table.output.table,
        summary=rules.final_table.output.summary,
    output:
        report(
            RESULTS / "{dataset}" / "figures" / "final_accuracy_vs_flops.png",
            caption="../report/final_figure.rst",
            category="Final re-training",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "accuracy vs F_Q, re-trained"},
        ),
    log:
        RESULTS / "{dataset}" / "logs" / "final_figure.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "final_figure.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/final_figure.py"
