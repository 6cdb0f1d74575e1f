import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evolution import survive
from faqnas.records import read_json, read_population, read_record, write_json
from faqnas.space import SearchSpace

space = SearchSpace(snakemake.params.space)
records = [read_record(path, space) for path in snakemake.input.records]
previous = (
    read_population(snakemake.input.previous[0], space)
    if snakemake.input.previous
    else None
)
previous_status = (
    read_json(snakemake.input.previous_status[0])
    if snakemake.input.previous_status
    else None
)
population, status = survive(
    records,
    previous,
    previous_status,
    int(snakemake.wildcards.g),
    snakemake.params.search,
)
write_json(snakemake.output.population, population)
write_json(snakemake.output.status, status)
print(
    f"generation {status['generation']}: rank-0 front of "
    f"{len(status['rank0_front'])} point(s), unchanged for {status['stagnation']} "
    f"generation(s), {status['n_evaluated']} phenotypes evaluated",
    file=sys.stderr,
)
