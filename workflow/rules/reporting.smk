rule accuracy_vs_flops:
    input:
        evaluations=RESULTS / "{search}" / "evaluations.tsv",
        pareto=RESULTS / "{search}" / "pareto.json",
        records=all_records,
    output:
        png=report(
            RESULTS / "{search}" / "figures" / "accuracy_vs_flops.png",
            caption="../report/accuracy_vs_flops.rst",
            category="Accuracy vs FLOPs",
            subcategory="{search}",
            labels={"search": "{search}", "figure": "accuracy vs FLOPs"},
        ),
        svg=RESULTS / "{search}" / "figures" / "accuracy_vs_flops.svg",
    log:
        RESULTS / "{search}" / "logs" / "accuracy_vs_flops.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "accuracy_vs_flops.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/accuracy_vs_flops.py"


rule hypervolume:
    input:
        progress=RESULTS / "{search}" / "progress.tsv",
    output:
        report(
            RESULTS / "{search}" / "figures" / "hypervolume.png",
            caption="../report/hypervolume.rst",
            category="Search progress",
            subcategory="{search}",
            labels={"search": "{search}", "figure": "hypervolume"},
        ),
    log:
        RESULTS / "{search}" / "logs" / "hypervolume.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "hypervolume.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/hypervolume.py"


rule circuits:
    input:
        summary=RESULTS / "{search}" / "summary.json",
        compromise=RESULTS / "{search}" / "compromise.json",
    output:
        report(
            directory(RESULTS / "{search}" / "figures" / "circuits"),
            patterns=["{circuit}.png"],
            caption="../report/circuits.rst",
            category="Circuits",
            subcategory="{search}",
            labels={"search": "{search}", "circuit": "{circuit}"},
        ),
    log:
        RESULTS / "{search}" / "logs" / "circuits.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "circuits.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/circuits.py"


rule dataset_report:
    input:
        summary=RESULTS / "{search}" / "summary.json",
        pareto=RESULTS / "{search}" / "pareto.tsv",
        progress=RESULTS / "{search}" / "progress.tsv",
        figures=rules.accuracy_vs_flops.output,
        hypervolume=rules.hypervolume.output,
        circuits=rules.circuits.output,
        final=final_outputs,
    output:
        RESULTS / "{search}" / "report.md",
    log:
        RESULTS / "{search}" / "logs" / "dataset_report.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "dataset_report.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/dataset_report.py"


rule summary:
    input:
        searches=expand(RESULTS / "{dataset}" / "summary.json", dataset=DATASETS),
        final=expand(RESULTS / "{dataset}" / "final.json", dataset=DATASETS),
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
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    script:
        "../scripts/summary.py"
