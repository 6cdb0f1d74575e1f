# `snakemake study`: the searches that check the paper's claims, compared in
# the (F_Q, 1 - accuracy) plane, and docs/results.md from them.


rule exhaustive_part:
    input:
        data=RESULTS / "{dataset}" / "data.npz",
        summary=RESULTS / "{dataset}" / "data.json",
    output:
        RESULTS / "{dataset}" / "exhaustive" / "part{c}.json",
    log:
        RESULTS / "{dataset}" / "logs" / "exhaustive" / "part{c}.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "exhaustive" / "part{c}.tsv"
    conda:
        "../../envs/faqnas.yaml"
    threads: TRAINING["threads"]
    # A part trains and profiles 1/exhaustive_jobs of the space's phenotypes
    # (faqnas/pipeline/resources.py); PennyLane's profiling adds ~0.8 GB.
    resources:
        mem_mb=lambda wc, input: 800 + evaluate_mem_mb(input.size_mb),
        runtime=lambda wc, input: exhaustive_runtime_min(
            input.size_mb, -(-N_PHENOTYPES // STUDY["exhaustive_jobs"])
        ),
    params:
        seed=config["seed"],
        space=config["search_space"],
        training=TRAINING,
        jobs=STUDY["exhaustive_jobs"],
        store=FLOPS_STORE,
    script:
        "../scripts/exhaustive_part.py"


rule exhaustive:
    input:
        expand(
            RESULTS / "{{dataset}}" / "exhaustive" / "part{c}.json",
            c=range(STUDY["exhaustive_jobs"]),
        ),
    output:
        report(
            RESULTS / "{dataset}" / "exhaustive" / "evaluations.tsv",
            caption="../report/exhaustive.rst",
            category="Study",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "table": "every phenotype"},
        ),
    log:
        RESULTS / "{dataset}" / "logs" / "exhaustive.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "exhaustive.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
    script:
        "../scripts/exhaustive.py"


rule compare:
    input:
        searches=lambda wc: [
            folder / "evaluations.tsv" for folder in study_folders(wc.dataset)
        ],
        exhaustive=lambda wc: (
            [RESULTS / wc.dataset / "exhaustive" / "evaluations.tsv"]
            if wc.dataset in STUDY["exhaustive"]
            else []
        ),
    output:
        searches=report(
            RESULTS / "{dataset}" / "study" / "searches.tsv",
            caption="../report/study_searches.rst",
            category="Study",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "table": "searches compared"},
        ),
        progress=RESULTS / "{dataset}" / "study" / "hypervolume.tsv",
        claims=RESULTS / "{dataset}" / "study" / "claims.json",
        fronts=report(
            RESULTS / "{dataset}" / "study" / "fronts.png",
            caption="../report/study_fronts.rst",
            category="Study",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "fronts"},
        ),
        hypervolume=report(
            RESULTS / "{dataset}" / "study" / "hypervolume.png",
            caption="../report/study_hypervolume.rst",
            category="Study",
            subcategory="{dataset}",
            labels={"dataset": "{dataset}", "figure": "hypervolume vs evaluations"},
        ),
    log:
        RESULTS / "{dataset}" / "logs" / "compare.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "compare.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        runs=lambda wc: [
            {"objectives": run.objectives, "seed": run.seed}
            for run in study_runs(config, wc.dataset)
        ],
    script:
        "../scripts/compare.py"


rule results_doc:
    input:
        claims=expand(RESULTS / "{dataset}" / "study" / "claims.json", dataset=DATASETS),
        searches=expand(
            RESULTS / "{dataset}" / "study" / "searches.tsv", dataset=DATASETS
        ),
        fronts=expand(RESULTS / "{dataset}" / "study" / "fronts.png", dataset=DATASETS),
        hypervolume=expand(
            RESULTS / "{dataset}" / "study" / "hypervolume.png", dataset=DATASETS
        ),
        paper_figures=expand(
            RESULTS / "{dataset}" / "figures" / "accuracy_vs_flops.png",
            dataset=DATASETS,
        ),
        data=expand(RESULTS / "{dataset}" / "data.json", dataset=DATASETS),
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
        datasets=DATASETS,
        config=config,
    script:
        "../scripts/results_doc.py"


rule study:
    input:
        rules.results_doc.output,
    localrule: True
