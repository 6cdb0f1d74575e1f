from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.tables.part import table_part

table_part(
    snakemake.input.data,
    snakemake.output[0],
    dataset=snakemake.wildcards.dataset,
    part=int(snakemake.wildcards.c),
    parts=snakemake.params.parts,
    run_seed=int(snakemake.wildcards.seed),
    space=snakemake.params.space,
    training=snakemake.params.training,
    threads=snakemake.threads,
)
