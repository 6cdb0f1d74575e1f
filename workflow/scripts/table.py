from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.tables.table import table

table(
    snakemake.input.parts,
    snakemake.input.data,
    snakemake.output.table,
    snakemake.output.description,
    dataset=snakemake.wildcards.dataset,
    seeds=snakemake.params.seeds,
    space=snakemake.params.space,
    training=snakemake.params.training,
    data_options=snakemake.params.options,
    checkout=snakemake.scriptdir,
)
