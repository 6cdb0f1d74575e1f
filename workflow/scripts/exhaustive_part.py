from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.exhaustive import exhaustive_part

exhaustive_part(
    snakemake.input.data,
    snakemake.output[0],
    dataset=snakemake.wildcards.dataset,
    part=int(snakemake.wildcards.c),
    jobs=snakemake.params.jobs,
    run_seed=snakemake.params.seed,
    space=snakemake.params.space,
    training=snakemake.params.training,
    threads=snakemake.threads,
    store=snakemake.params.store,
)
