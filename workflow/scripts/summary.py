from faqnas.joblog import log_to

log_to(snakemake.log[0])

import pandas as pd

from faqnas.plots import summary_figure
from faqnas.records import read_json

columns = [
    "dataset",
    "best_accuracy",
    "cheapest_F_Q",
    "cheapest_accuracy",
    "cheapest_phenotype_key",
    "n_evaluations",
    "generations",
    "wall_time_s",
    "stop_reason",
]
table = pd.DataFrame([read_json(path) for path in snakemake.input])[columns]
table.to_csv(snakemake.output.table, sep="\t", index=False)
summary_figure(table, snakemake.output.figure)
