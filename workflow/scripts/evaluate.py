from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evaluation.evaluate import evaluate

evaluate(
    snakemake.input.genomes,
    snakemake.input.data,
    snakemake.input.description,
    snakemake.input.flops,
    snakemake.output.records,
    indices=snakemake.params.indices,
    run_seed=snakemake.params.seed,
    dataset=snakemake.params.dataset,
    mode=snakemake.params.mode,
    space=snakemake.params.space,
    training=snakemake.params.training,
    store=snakemake.params.store,
    threads=snakemake.threads,
)
