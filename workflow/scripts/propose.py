import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evolution import propose
from faqnas.records import genome_entry, read_population, write_json
from faqnas.space import SearchSpace

space = SearchSpace(snakemake.params.space)
dataset, generation = snakemake.params.dataset, int(snakemake.wildcards.g)
previous = (
    read_population(snakemake.input.previous[0], space)
    if snakemake.input.previous
    else None
)
genomes = propose(
    space, snakemake.params.search, snakemake.params.seed, dataset, generation, previous
)
for index, (path, genome) in enumerate(zip(snakemake.output.genomes, genomes)):
    write_json(path, genome_entry(genome, dataset, generation, index))
    print(f"{path}: {genome.phenotype_key}", file=sys.stderr)
