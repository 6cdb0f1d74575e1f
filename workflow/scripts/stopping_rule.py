import sys

sys.stderr = open(snakemake.log[0], "w")

from faqnas.records import write_json

write_json(snakemake.output[0], dict(snakemake.params.items()))
