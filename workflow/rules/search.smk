rule propose:
    input:
        previous=previous_population,
    output:
        genomes=expand(
            RESULTS / "{{search}}" / "gen{{g}}" / "genomes" / "{i}.json", i=POPULATION
        ),
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "propose.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "propose.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        seed=run_seed,
        dataset=run_dataset,
        space=config["search_space"],
        search=run_evolution,
    script:
        "../scripts/propose.py"


checkpoint survive:
    input:
        records=generation_records,
        previous=previous_population,
        previous_status=previous_status,
    output:
        population=RESULTS / "{search}" / "gen{g}" / "population.json",
        status=RESULTS / "{search}" / "gen{g}" / "status.json",
    log:
        RESULTS / "{search}" / "logs" / "gen{g}" / "survive.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "gen{g}" / "survive.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        space=config["search_space"],
        search=run_evolution,
    script:
        "../scripts/survive.py"


rule stopping_rule:
    output:
        RESULTS / "{search}" / "stopping_rule.json",
    log:
        RESULTS / "{search}" / "logs" / "stopping_rule.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "stopping_rule.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        max_generations=SEARCH["max_generations"],
        patience=SEARCH["patience"],
    script:
        "../scripts/stopping_rule.py"


# The stopping rule is an input file, not a param: when it changes, finalize
# must rerun and walk the survival checkpoints further, which a changed param
# alone does not make Snakemake 9 do once finalize's outputs exist. A
# checkpoint: the final stage re-trains the Pareto set it finds.
checkpoint finalize:
    input:
        stopping_rule=rules.stopping_rule.output[0],
        records=all_records,
        populations=finished_search("population"),
        statuses=finished_search("status"),
    output:
        pareto=RESULTS / "{search}" / "pareto.json",
        pareto_table=report(
            RESULTS / "{search}" / "pareto.tsv",
            caption="../report/pareto.rst",
            category="Pareto set",
            subcategory="{search}",
            labels={"search": "{search}", "table": "Pareto set"},
        ),
        top_k=report(
            RESULTS / "{search}" / "top_k.tsv",
            caption="../report/top_k.rst",
            category="Pareto set",
            subcategory="{search}",
            labels={"search": "{search}", "table": "top-K"},
        ),
        compromise=RESULTS / "{search}" / "compromise.json",
        evaluations=report(
            RESULTS / "{search}" / "evaluations.tsv",
            caption="../report/evaluations.rst",
            category="Evaluations",
            subcategory="{search}",
            labels={"search": "{search}", "table": "all genomes"},
        ),
        progress=report(
            RESULTS / "{search}" / "progress.tsv",
            caption="../report/progress.rst",
            category="Search progress",
            subcategory="{search}",
            labels={"search": "{search}", "table": "per generation"},
        ),
        summary=RESULTS / "{search}" / "summary.json",
    log:
        RESULTS / "{search}" / "logs" / "finalize.log",
    benchmark:
        RESULTS / "{search}" / "benchmarks" / "finalize.tsv"
    localrule: True
    conda:
        "../../envs/faqnas.yaml"
    params:
        dataset=run_dataset,
        space=config["search_space"],
        top_k=SEARCH["top_k"],
    script:
        "../scripts/finalize.py"
