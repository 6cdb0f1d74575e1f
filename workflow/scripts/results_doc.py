from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.study.results_doc import results_doc

results_doc(
    snakemake.input,
    snakemake.output.page,
    snakemake.output.figures,
    datasets=snakemake.params.datasets,
    missing=snakemake.params.missing,
    config=snakemake.params.config,
    checkout=snakemake.scriptdir,
)
