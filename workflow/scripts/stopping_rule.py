from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.records import write_json

write_json(snakemake.output[0], dict(snakemake.params.items()))
