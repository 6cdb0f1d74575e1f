import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

import torch

from faqnas.data import load_prepared
from faqnas.evaluate import evaluate_genome
from faqnas.records import read_genome, read_json, write_json
from faqnas.seeds import derive_seed
from faqnas.space import SearchSpace

torch.set_num_threads(snakemake.threads)
entry, genome = read_genome(snakemake.input.genome, SearchSpace(snakemake.params.space))
seed = derive_seed(snakemake.params.seed, snakemake.params.dataset, genome.phenotype_key)
profiled = read_json(snakemake.input.flops)[int(snakemake.wildcards.i)]
record = evaluate_genome(
    entry,
    genome,
    load_prepared(snakemake.input.data),
    snakemake.params.training,
    seed,
    profiled,
    flops_aware=snakemake.params.objectives == "flops_aware",
)
write_json(snakemake.output.record, record)
print(
    f"{genome.phenotype_key}: accuracy {record['accuracy']:.4f}, "
    f"F_Q {record['flops']['quantum']}, params {record['params']['total']}, "
    f"diverged {record['training']['diverged']}, "
    f"trained in {record['wall_time_s']['train']:.1f} s",
    file=sys.stderr,
)
