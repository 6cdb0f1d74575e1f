from faqnas.joblog import log_to

log_to(snakemake.log[0])

from faqnas import outcome, summary
from faqnas.records import read_json, read_population, read_record, write_json
from faqnas.space import SearchSpace

space = SearchSpace(snakemake.params.space)
evaluated = [read_record(path, space) for path in snakemake.input.records]
# A phenotype evaluated twice (redraws ran out) is the same point twice.
records = list({r["phenotype_key"]: r for r in reversed(evaluated)}.values())[::-1]
populations = [read_population(path, space) for path in snakemake.input.populations]
statuses = outcome.stop_decisions(
    [read_json(path) for path in snakemake.input.statuses],
    **read_json(snakemake.input.stopping_rule),
)

pareto = summary.pareto_records(records)
compromise = summary.compromise_record(records)
top_k = summary.top_k(records, snakemake.params.top_k)
wall_time = outcome.search_wall_time(evaluated)

write_json(snakemake.output.pareto, pareto)
write_json(snakemake.output.compromise, compromise)
pareto_table = summary.pareto_table(records)
pareto_table["compromise"] = pareto_table["phenotype_key"] == compromise["phenotype_key"]
pareto_table.to_csv(snakemake.output.pareto_table, sep="\t", index=False)
outcome.evaluations_table(top_k).to_csv(snakemake.output.top_k, sep="\t", index=False)
outcome.evaluations_table(evaluated).to_csv(
    snakemake.output.evaluations, sep="\t", index=False
)
outcome.progress_table(populations, statuses, records).to_csv(
    snakemake.output.progress, sep="\t", index=False
)
write_json(
    snakemake.output.summary,
    {
        **summary.dataset_summary(snakemake.params.dataset, records, wall_time),
        "generations": len(statuses),
        "stop_reason": statuses[-1]["reason"],
        "pareto_size": len(pareto),
        "compromise": compromise["phenotype_key"],
        "top_k": [{"phenotype_key": r["phenotype_key"], "genes": r["genes"]} for r in top_k],
    },
)
