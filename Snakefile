# faqnas: FLOPs-aware hybrid quantum neural architecture search (FAQNAS).
#
#   snakemake --cores 8                               every configured dataset
#   snakemake --cores 2 results/iris/report.md        one dataset
#   snakemake --cores 2 results/iris/final.tsv        its Pareto set re-trained
#   snakemake --cores 8 study                         the paper's claims, docs/results.md
#   snakemake --cores 8 tables                        tabular benchmarks, docs/tables/
#   snakemake --cores 8 flops_table                   F_Q of every circuit, docs/tables/flops.tsv.gz
#   snakemake --report report.html                    figures and tables
#
# Stages (workflow/rules/*.smk) mirror the package (faqnas/*/): data, search,
# evaluation, reporting, final, study, tables; docs/ARCHITECTURE.md maps each rule to its
# script and function.


from snakemake.utils import min_version

min_version("9.0")


# The defaults travel with the workflow, so a run in another --directory
# needs to override only what differs (--configfile).
configfile: f"{workflow.basedir}/config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/search.smk"
include: "workflow/rules/evaluation.smk"
include: "workflow/rules/reporting.smk"
include: "workflow/rules/final.smk"
include: "workflow/rules/study.smk"
include: "workflow/rules/tables.smk"


rule all:
    input:
        expand(RESULTS / "{dataset}" / "report.md", dataset=DATASETS),
        rules.summary.output,
    localrule: True
