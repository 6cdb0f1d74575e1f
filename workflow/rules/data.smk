# The source files are inputs: a changed CSV or MNIST file re-prepares the
# dataset (and the changed fingerprint refuses results made from the old one).
rule prepare:
    input:
        sources=lambda wc: source_files(config, wc.dataset),
    output:
        data=RESULTS / "{dataset}" / "data.npz",
        description=RESULTS / "{dataset}" / "data.json",
        manifest=RESULTS / "{dataset}" / "search.json",
    log:
        RESULTS / "{dataset}" / "logs" / "prepare.log",
    benchmark:
        RESULTS / "{dataset}" / "benchmarks" / "prepare.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    resources:
        mem_mb=lambda wc, input: prepare_mem_mb(input.size_mb),
        runtime=10,
    params:
        options=lambda wc: dataset_options(config, wc.dataset),
        manifest=lambda wc: manifest(config, wc.dataset),
    script:
        "../scripts/prepare.py"
