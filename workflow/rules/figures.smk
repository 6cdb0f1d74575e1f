rule accuracy_vs_flops:
    input:
        evaluations=RESULTS / "{ds}" / "evaluations.tsv",
        pareto=RESULTS / "{ds}" / "pareto.json",
        records=all_records,
    output:
        png=report(
            RESULTS / "{ds}" / "figures" / "accuracy_vs_flops.png",
            caption="../report/accuracy_vs_flops.rst",
            category="Accuracy vs FLOPs",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "figure": "accuracy vs FLOPs"},
        ),
        svg=RESULTS / "{ds}" / "figures" / "accuracy_vs_flops.svg",
    log:
        RESULTS / "{ds}" / "logs" / "accuracy_vs_flops.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "accuracy_vs_flops.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/accuracy_vs_flops.py"


rule hypervolume:
    input:
        progress=RESULTS / "{ds}" / "progress.tsv",
    output:
        report(
            RESULTS / "{ds}" / "figures" / "hypervolume.png",
            caption="../report/hypervolume.rst",
            category="Search progress",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "figure": "hypervolume"},
        ),
    log:
        RESULTS / "{ds}" / "logs" / "hypervolume.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "hypervolume.tsv"
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/hypervolume.py"


rule circuits:
    input:
        summary=RESULTS / "{ds}" / "summary.json",
        compromise=RESULTS / "{ds}" / "compromise.json",
    output:
        report(
            directory(RESULTS / "{ds}" / "figures" / "circuits"),
            patterns=["{circuit}.png"],
            caption="../report/circuits.rst",
            category="Circuits",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "circuit": "{circuit}"},
        ),
    log:
        RESULTS / "{ds}" / "logs" / "circuits.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "circuits.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/circuits.py"


rule dataset_report:
    input:
        summary=RESULTS / "{ds}" / "summary.json",
        pareto=RESULTS / "{ds}" / "pareto.tsv",
        progress=RESULTS / "{ds}" / "progress.tsv",
        figures=rules.accuracy_vs_flops.output,
        hypervolume=rules.hypervolume.output,
        circuits=rules.circuits.output,
    output:
        RESULTS / "{ds}" / "report.md",
    log:
        RESULTS / "{ds}" / "logs" / "dataset_report.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "dataset_report.tsv"
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/dataset_report.py"


rule summary:
    input:
        expand(RESULTS / "{ds}" / "summary.json", ds=DATASETS),
    output:
        table=report(
            RESULTS / "summary" / "summary.tsv",
            caption="../report/summary_table.rst",
            category="Across datasets",
            labels={"table": "summary"},
        ),
        figure=report(
            RESULTS / "summary" / "summary.png",
            caption="../report/summary_figure.rst",
            category="Across datasets",
            labels={"figure": "summary"},
        ),
    log:
        RESULTS / "summary" / "logs" / "summary.log",
    benchmark:
        RESULTS / "summary" / "benchmarks" / "summary.tsv"
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/summary.py"
