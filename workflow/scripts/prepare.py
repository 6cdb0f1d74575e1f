from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.data.prepare import prepare

prepare(
    snakemake.output.data,
    snakemake.output.description,
    snakemake.output.manifest,
    name=snakemake.wildcards.dataset,
    options=snakemake.params.options,
    manifest=snakemake.params.manifest,
)
