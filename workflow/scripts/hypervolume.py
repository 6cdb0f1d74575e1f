from faqnas.joblog import log_to

log_to(snakemake.log[0])

import pandas as pd

from faqnas.plots import hypervolume_progress

progress = pd.read_csv(snakemake.input.progress, sep="\t")
last = progress.iloc[-1]
hypervolume_progress(
    progress["hypervolume"].tolist(), int(last["generation"]), last["reason"], snakemake.output[0]
)
