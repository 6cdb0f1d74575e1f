from faqnas.joblog import log_to

log_to(snakemake.log[0])

import pandas as pd

from faqnas.outcome import markdown_report
from faqnas.records import read_json

text = markdown_report(
    read_json(snakemake.input.summary),
    pd.read_csv(snakemake.input.pareto, sep="\t"),
    pd.read_csv(snakemake.input.progress, sep="\t", keep_default_na=False),
)
with open(snakemake.output[0], "w") as handle:
    handle.write(text)
