# `snakemake study`: the searches that check the paper's claims, compared in
# the (F_Q, 1 - accuracy) plane, and docs/results.md from them.


rule exhaustive_part:
    input:
        data=RESULTS / "{ds}" / "data.npz",
        summary=RESULTS / "{ds}" / "data.json",
    output:
        RESULTS / "{ds}" / "exhaustive" / "part{c}.json",
    log:
        RESULTS / "{ds}" / "logs" / "exhaustive" / "part{c}.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "exhaustive" / "part{c}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    threads: TRAINING["threads"]
    # A part trains and profiles 1/exhaustive_jobs of the space's phenotypes,
    # each in ~0.2 s on tabular data and under 10 s on full MNIST
    # (docs/cluster.md); PennyLane's profiling doubles a genome job's memory.
    resources:
        mem_mb=lambda wc, input: 2000 + 4 * input.size_mb,
        runtime=lambda wc: 10
        + N_PHENOTYPES
        // STUDY["exhaustive_jobs"]
        * (10 if wc.ds == "mnist" else 1)
        // 60,
    params:
        seed=config["seed"],
        space=config["search_space"],
        training=TRAINING,
        jobs=STUDY["exhaustive_jobs"],
    script:
        "../scripts/exhaustive_part.py"


rule exhaustive:
    input:
        expand(
            RESULTS / "{{ds}}" / "exhaustive" / "part{c}.json",
            c=range(STUDY["exhaustive_jobs"]),
        ),
    output:
        report(
            RESULTS / "{ds}" / "exhaustive" / "evaluations.tsv",
            caption="../report/exhaustive.rst",
            category="Study",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "every phenotype"},
        ),
    log:
        RESULTS / "{ds}" / "logs" / "exhaustive.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "exhaustive.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/exhaustive.py"


rule compare:
    input:
        searches=lambda wc: [
            folder / "evaluations.tsv" for folder in study_folders(wc.ds)
        ],
        exhaustive=lambda wc: (
            [RESULTS / wc.ds / "exhaustive" / "evaluations.tsv"]
            if wc.ds in STUDY["exhaustive"]
            else []
        ),
    output:
        searches=report(
            RESULTS / "{ds}" / "study" / "searches.tsv",
            caption="../report/study_searches.rst",
            category="Study",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "table": "searches compared"},
        ),
        progress=RESULTS / "{ds}" / "study" / "hypervolume.tsv",
        claims=RESULTS / "{ds}" / "study" / "claims.json",
        fronts=report(
            RESULTS / "{ds}" / "study" / "fronts.png",
            caption="../report/study_fronts.rst",
            category="Study",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "figure": "fronts"},
        ),
        hypervolume=report(
            RESULTS / "{ds}" / "study" / "hypervolume.png",
            caption="../report/study_hypervolume.rst",
            category="Study",
            subcategory="{ds}",
            labels={"dataset": "{ds}", "figure": "hypervolume vs evaluations"},
        ),
    log:
        RESULTS / "{ds}" / "logs" / "compare.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "compare.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        runs=lambda wc: [
            {"objectives": run.objectives, "seed": run.seed}
            for run in study_runs(config, wc.ds)
        ],
    script:
        "../scripts/compare.py"


rule results_doc:
    input:
        claims=expand(RESULTS / "{ds}" / "study" / "claims.json", ds=DATASETS),
        searches=expand(RESULTS / "{ds}" / "study" / "searches.tsv", ds=DATASETS),
        fronts=expand(RESULTS / "{ds}" / "study" / "fronts.png", ds=DATASETS),
        hypervolume=expand(RESULTS / "{ds}" / "study" / "hypervolume.png", ds=DATASETS),
        paper_figures=expand(
            RESULTS / "{ds}" / "figures" / "accuracy_vs_flops.png", ds=DATASETS
        ),
        data=expand(RESULTS / "{ds}" / "data.json", ds=DATASETS),
    output:
        page="docs/results.md",
        figures=directory("docs/results"),
    log:
        RESULTS / "study" / "logs" / "results_doc.log",
    benchmark:
        RESULTS / "study" / "benchmarks" / "results_doc.tsv"
    conda:
        "../../envs/faqnas.yaml"
    params:
        datasets=DATASETS,
        config=config,
    script:
        "../scripts/results_doc.py"


rule study:
    input:
        rules.results_doc.output,
