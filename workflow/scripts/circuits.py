import sys

from faqnas.joblog import log_to

log_to(snakemake.log[0])

from pathlib import Path

from faqnas.circuits import draw_figure
from faqnas.records import read_json
from faqnas.space import Genome

folder = Path(snakemake.output[0])
folder.mkdir(parents=True, exist_ok=True)
chosen = {"compromise": read_json(snakemake.input.compromise)}
for rank, entry in enumerate(read_json(snakemake.input.summary)["top_k"], start=1):
    chosen[f"top{rank}"] = entry
for name, entry in chosen.items():
    draw_figure(Genome.from_genes(entry["genes"]), folder / f"{name}.png")
    print(f"{name}: {entry['phenotype_key']}", file=sys.stderr)
