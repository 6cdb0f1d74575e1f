"""`snakemake --report` holds every figure and table, and renders in a browser."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from conftest import TINY, snakemake

pytestmark = pytest.mark.pipeline

EXPECTED = [
    "accuracy_vs_flops.png",
    "hypervolume.png",
    "compromise.png",
    "top1.png",
    "top2.png",
    "pareto.tsv",
    "top_k.tsv",
    "evaluations.tsv",
    "progress.tsv",
    "summary.tsv",
    "summary.png",
]


def build_report(workdir: Path, name: str) -> Path:
    snakemake(workdir, "--configfile", str(TINY), "--report", name)
    return workdir / name


@pytest.fixture(scope="module")
def report_zip(finished) -> zipfile.ZipFile:
    return zipfile.ZipFile(build_report(finished, "report.zip"))


def test_zip_report_holds_every_item(report_zip):
    names = [Path(n).name for n in report_zip.namelist()]
    missing = [item for item in EXPECTED if item not in names]
    assert not missing, f"not in report.zip: {missing}"


def test_report_figures_are_not_blank(report_zip):
    for name in report_zip.namelist():
        if name.endswith(".png") and "results/" in name:
            pixels = imread(io.BytesIO(report_zip.read(name)))
            assert np.std(pixels) > 0.01, f"{name} is blank"


def test_captions_are_rendered_with_config_values(finished):
    html = build_report(finished, "report.html").read_text()
    for item in EXPECTED:
        assert item in html, item
    # Captions are Jinja templates over the config: the values must be filled in.
    assert "{{" not in html.split("<script")[0]
    assert "Population 4" in html or "population 4" in html.lower()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "chromium and chromium-driver are needed: make test installs them"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1000"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    instance = webdriver.Chrome(service=Service(driver), options=options)
    yield instance
    instance.quit()


def test_report_page_loads_without_console_errors(finished, browser, tmp_path):
    page = build_report(finished, "report.html")
    browser.get(page.as_uri())
    browser.implicitly_wait(10)
    body = browser.find_element("tag name", "body")
    assert "Snakemake" in body.text or "Workflow" in body.text
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    shot = tmp_path / "report.png"
    browser.save_screenshot(str(shot))
    assert np.std(imread(shot)) > 0.01, "the report page rendered blank"
