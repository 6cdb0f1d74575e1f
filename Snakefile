# faqnas: FLOPs-aware hybrid quantum neural architecture search (FAQNAS).
#
#   snakemake --cores 8                          every configured dataset
#   snakemake --cores 2 results/iris/report.md   one dataset
#   snakemake --cores 8 study                    the paper's claims checked, docs/results.md
#   snakemake --report report.html               figures and tables


from snakemake.utils import min_version

min_version("9.0")


# The defaults travel with the workflow, so a run in another --directory
# needs to override only what differs (--configfile).
configfile: f"{workflow.basedir}/config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/search.smk"
include: "workflow/rules/results.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/study.smk"


# Only the per-genome training jobs and the exhaustive parts are worth a
# cluster job; the rest take seconds and would spend longer in the queue than
# running here.
localrules:
    all,
    prepare,
    propose,
    profile,
    survive,
    stopping_rule,
    finalize,
    accuracy_vs_flops,
    hypervolume,
    circuits,
    dataset_report,
    summary,
    exhaustive,
    compare,
    results_doc,
    study,


rule all:
    input:
        expand(RESULTS / "{ds}" / "report.md", ds=DATASETS),
        rules.summary.output,
