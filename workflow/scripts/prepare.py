import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.data import prepare_dataset, save_prepared
from faqnas.records import write_json
from faqnas.seeds import derive_seed

name = snakemake.wildcards.ds
prepared = prepare_dataset(
    name, snakemake.params.options, derive_seed(snakemake.params.seed, name, "split")
)
save_prepared(prepared, snakemake.output.data, snakemake.output.summary)
write_json(snakemake.output.search, snakemake.params.manifest)
print(f"prepared {name}: {prepared.summary()}", file=sys.stderr)
