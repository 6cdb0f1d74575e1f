from faqnas.pipeline.joblog import log_to

log_to(snakemake.log[0])

from faqnas.final.train import final_train

final_train(
    snakemake.input.pareto,
    snakemake.input.data,
    snakemake.output.record,
    snakemake.output.model,
    dataset=snakemake.wildcards.dataset,
    phenotype_key=snakemake.wildcards.key,
    seed_index=int(snakemake.wildcards.s),
    run_seed=snakemake.params.seed,
    training=snakemake.params.training,
    epochs=snakemake.params.epochs,
    patience=snakemake.params.patience,
    threads=snakemake.threads,
)
