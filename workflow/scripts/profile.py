import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas.evaluate import profile_genomes
from faqnas.records import read_genome, read_json, write_json
from faqnas.space import SearchSpace

space = SearchSpace(snakemake.params.space)
genomes = [read_genome(path, space)[1] for path in snakemake.input.genomes]
data = read_json(snakemake.input.data)
profiled = profile_genomes(genomes, data["n_features"], data["n_classes"])
write_json(snakemake.output[0], profiled)
for entry in profiled:
    print(f"{entry['phenotype_key']}: {entry['flops']} ({entry['profile_s']:.2f} s)", file=sys.stderr)
