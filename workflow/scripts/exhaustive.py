import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.outcome import evaluations_table
from faqnas.records import check_record, read_json
from faqnas.space import SearchSpace
from faqnas.study import check_exhaustive

space = SearchSpace(snakemake.params.space)
records = [
    check_record(record, space, f"{path} [{k}]")
    for path in snakemake.input
    for k, record in enumerate(read_json(path))
]
records.sort(key=lambda r: r["index"])
check_exhaustive(records, space)
evaluations_table(records).to_csv(snakemake.output[0], sep="\t", index=False)
print(f"{len(records)} phenotypes evaluated", file=sys.stderr)
