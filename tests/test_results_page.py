"""docs/results.md from the claims of a synthetic table and live searches."""

from __future__ import annotations

import re
import types

import pytest

from faqnas.study.results_doc import results_doc
from faqnas.study.verdicts import CLAIMS, RULES

from conftest import REPO, load_config
from test_study import BUDGETS, PAIRS, claimed  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def page(claimed, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("page")
    inputs = types.SimpleNamespace(
        claims=[claimed[ds].claims for ds in ("iris", "mnist")],
        comparisons=[claimed[ds].comparisons for ds in ("iris", "mnist")],
        figures=[claimed[ds].figures for ds in ("iris", "mnist")])
    results_doc(inputs, folder / "results.md", folder / "results", datasets=["iris", "mnist"],
                missing=["wine"], config=load_config(), checkout=REPO)
    return folder


def test_every_claim_has_the_papers_words_a_rule_a_test_and_a_verdict(page):
    text = (page / "results.md").read_text()
    rows = [line for line in text.splitlines() if re.match(r"\| (plateau|drivers|awareness|"
                                                           r"budget) \|", line)]
    # Plateau and drivers on the table, awareness on both, one budget row.
    assert [r.split(" | ")[0][2:] for r in rows] == [
        "plateau", "drivers", "awareness", "awareness", "budget"]
    for row in rows:
        verdict = row.rstrip(" |").rsplit(" | ", 1)[1]
        assert verdict.split(":")[0] in {"agrees", "disagrees", "not shown", "not measured"}
    for name in CLAIMS:
        assert CLAIMS[name] in text and RULES[name] in text
    assert "Not measured yet (no committed table or live searches): wine." in text


def test_the_page_names_its_tests_seeds_and_budgets(page):
    text = (page / "results.md").read_text()
    for words in ("Wilcoxon's signed-rank test", "Holm-adjusted", "A12", "scipy.stats.bootstrap",
                  "200 resamples", "bounds", "2 / 2^n"):
        assert words in text
    assert "measured after " + ", ".join(map(str, BUDGETS)) + " evaluations" in text
    seeds = ", ".join(f"{run} ← {table}" if run != table else str(run) for run, table in PAIRS)
    assert seeds in text
    assert "## Training-seed noise" in text and "## Configuration" in text


def test_the_figures_are_beside_the_page_with_their_captions(page):
    text = (page / "results.md").read_text()
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert sorted(links) == sorted([
        "results/iris_anytime.png", "results/iris_paper.png", "results/iris_plateau.png",
        "results/mnist_anytime.png", "results/mnist_paper.png"])
    assert all((page / link).exists() for link in links)
    assert "Pareto set in its three objectives (F_Q, 1 − accuracy, params), drawn in 2-D" in text
    assert "2-D front in (F_Q, accuracy)" in text and "Accuracy spans 0–100 %" in text


def test_nothing_to_report_is_an_error(tmp_path):
    inputs = types.SimpleNamespace(claims=[], comparisons=[], figures=[])
    with pytest.raises(ValueError, match="snakemake tables"):
        results_doc(inputs, tmp_path / "r.md", tmp_path / "r", datasets=[], missing=["iris"],
                    config=load_config(), checkout=REPO)
