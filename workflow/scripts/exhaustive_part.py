import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

import torch

from faqnas.data import load_prepared
from faqnas.evaluate import evaluate_genome, profile_genomes
from faqnas.records import genome_entry, write_json
from faqnas.seeds import derive_seed
from faqnas.space import SearchSpace
from faqnas.study import exhaustive_share

torch.set_num_threads(snakemake.threads)
dataset, part = snakemake.wildcards.ds, int(snakemake.wildcards.c)
data = load_prepared(snakemake.input.data)
genomes = exhaustive_share(SearchSpace(snakemake.params.space), part, snakemake.params.jobs)
profiled = profile_genomes(genomes, data.X_train.shape[1], len(data.class_names))
records = []
for k, (genome, flops) in enumerate(zip(genomes, profiled)):
    # The seed a search gives this phenotype, so the exhaustive record equals
    # the record of any search of this dataset with the run seed.
    seed = derive_seed(snakemake.params.seed, dataset, genome.phenotype_key)
    entry = genome_entry(genome, dataset, 0, part + k * snakemake.params.jobs)
    records.append(
        evaluate_genome(entry, genome, data, snakemake.params.training, seed, flops)
    )
    print(f"{genome.phenotype_key}: accuracy {records[-1]['accuracy']:.4f}", file=sys.stderr)
write_json(snakemake.output[0], records)
