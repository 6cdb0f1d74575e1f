"""Every rule leads to one script and one package function, as the map in
docs/ARCHITECTURE.md says."""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from conftest import REPO

RULE = re.compile(r"^\s*(?:rule|checkpoint) (\w+):", re.MULTILINE)
# A family of rules defined in a loop (the evaluate rules, one per share of a
# generation): named by the script they run.
FAMILY = re.compile(r"^\s*rule:\n(?:\s+.*\n)*?\s+script:\n\s+\"\.\./scripts/(\w+)\.py\"", re.MULTILINE)
TARGETS = {"all", "study", "tables", "live"}  # rules that only name inputs


def workflow_rules() -> dict[str, str]:
    """Rule name (or family) -> the .smk file that defines it."""
    files = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    return {name: path.stem for path in files
            for name in RULE.findall(path.read_text()) + FAMILY.findall(path.read_text())}


def architecture_map() -> dict[str, tuple[str, str, str]]:
    """Rule -> (stage, script, function) from the table of docs/ARCHITECTURE.md."""
    rows = {}
    for line in (REPO / "docs" / "ARCHITECTURE.md").read_text().splitlines():
        cells = [c.replace("`", "").strip() for c in line.strip("|").split("|")]
        if len(cells) == 6 and cells[1].split(" ")[0] in workflow_rules():
            rows[cells[1].split(" ")[0]] = (cells[0], cells[2], cells[3])
    return rows


def script_calls(path) -> list[str]:
    """The package functions a script imports, besides its log redirection."""
    tree = ast.parse(path.read_text())
    return [
        f"{node.module}.{alias.name}"
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module.startswith("faqnas")
        for alias in node.names
        if alias.name != "log_to"
    ]


def test_every_rule_is_in_the_map():
    rules = set(workflow_rules()) - TARGETS
    assert set(architecture_map()) == rules


@pytest.mark.parametrize("rule", sorted(set(workflow_rules()) - TARGETS))
def test_rule_script_function_and_stage_agree(rule):
    stage, script, function = architecture_map()[rule]
    smk = workflow_rules()[rule]
    assert script == f"{rule}.py"
    assert f'"../scripts/{rule}.py"' in (REPO / "workflow" / "rules" / f"{smk}.smk").read_text()
    # The rule file, the stage and the subpackage have one name.
    assert smk == stage and function.startswith(f"faqnas.{stage}.")
    # A thin script: one package call, the one the map names.
    assert script_calls(REPO / "workflow" / "scripts" / script) == [function]
    module, name = function.rsplit(".", 1)
    target = getattr(importlib.import_module(module), name)
    doc = target.__doc__ or ""
    assert doc.strip(), f"{function} has no docstring"
    # Only rules with several inputs take a keyword; all of them document them.
    if target.__code__.co_kwonlyargcount:
        assert "Args:" in doc, f"{function} does not document its arguments"


def test_scripts_have_no_logic():
    for path in (REPO / "workflow" / "scripts").glob("*.py"):
        tree = ast.parse(path.read_text())
        kinds = {type(node).__name__ for node in tree.body}
        assert kinds <= {"ImportFrom", "Import", "Expr"}, f"{path.name} holds {kinds}"
