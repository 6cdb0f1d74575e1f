rule prepare:
    output:
        data=RESULTS / "{ds}" / "data.npz",
        summary=RESULTS / "{ds}" / "data.json",
        search=RESULTS / "{ds}" / "search.json",
    log:
        RESULTS / "{ds}" / "logs" / "prepare.log",
    benchmark:
        RESULTS / "{ds}" / "benchmarks" / "prepare.tsv"
    conda:
        "../../envs/faqnas.yaml"
    resources:
        mem_mb=lambda wc: 6000 if wc.ds == "mnist" else 1000,
        runtime=10,
    params:
        options=lambda wc: dataset_options(config, wc.ds),
        manifest=lambda wc: manifest(config, wc.ds),
        seed=config["seed"],
    script:
        "../scripts/prepare.py"
