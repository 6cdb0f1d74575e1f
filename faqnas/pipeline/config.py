"""Checking a configuration before any job starts, and naming what it fixes.

A search runs for hours; a typo found after the first generation costs all of
it. Every problem is reported at start-up, each as the key, the value found
and what is allowed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import yaml

from faqnas.data.registry import BUILTIN_DATASETS, dataset_options

# Keys that may change between runs into the same results folder: they only
# decide how far the search goes or how its work is split into jobs, never
# what an evaluated genome looks like.
EXTENDABLE = {"search": ("max_generations", "patience", "top_k", "genomes_per_job")}


class ConfigError(ValueError):
    """A configuration that faqnas refuses, with every reason in the message."""


def load_schema(path: str | Path) -> dict:
    """The config schema (YAML) at ``path``."""
    with open(path) as handle:
        return yaml.safe_load(handle)


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "(top level)"


def _allowed(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_allowed(option) for option in schema["anyOf"])
    if "enum" in schema:
        return f"one of {schema['enum']}"
    kind = schema.get("type", "value")
    kind = " or ".join(kind) if isinstance(kind, list) else kind
    lo = schema.get("minimum", schema.get("exclusiveMinimum"))
    hi = schema.get("maximum", schema.get("exclusiveMaximum"))
    lo_op = ">" if "exclusiveMinimum" in schema else ">="
    hi_op = "<" if "exclusiveMaximum" in schema else "<="
    bounds = [f"{lo_op} {lo}" if lo is not None else "", f"{hi_op} {hi}" if hi is not None else ""]
    bounds_text = " and ".join(b for b in bounds if b)
    if "pattern" in schema:
        bounds_text = f"matching {schema['pattern']}"
    if "minItems" in schema and kind == "array":
        bounds_text = f"with at least {schema['minItems']} distinct item(s)"
    return f"{kind} {bounds_text}".strip()


def _describe(error: jsonschema.ValidationError) -> str:
    key = _key(error.absolute_path)
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        where = f"{key}." if error.absolute_path else ""
        allowed = f"allowed keys: {known}" if known else "see the schema"
        return "; ".join(f"unknown key {where}{name}, {allowed}" for name in unknown)
    if error.validator == "required":
        return f"{key}: {error.message}"
    if error.validator == "uniqueItems":
        return f"{key} = {error.instance!r}: items must be distinct"
    return f"{key} = {error.instance!r}: allowed is {_allowed(error.schema)}"


def check_config(config: dict, schema: dict, source: str = "config") -> None:
    """Check a whole config before any job starts.

    Args:
        config: the merged config.
        schema: the config schema (`load_schema`).
        source: names the config in the message.

    Raises:
        ConfigError: listing every schema violation and unknown dataset,
            each as the key, the value found and what is allowed.
    """
    validator = jsonschema.Draft202012Validator(schema)
    problems = [_describe(e) for e in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        known = [*BUILTIN_DATASETS, *config["csv_datasets"]]
        for name in config["datasets"]:
            if name not in known:
                problems.append(f"datasets: unknown dataset {name!r}; allowed are {known}")
        study = config["study"]
        named = (
            ("study.seeds", study["seeds"]),
            ("study.live", study["live"]),
            ("final.dataset_epochs", config["final"]["dataset_epochs"]),
            ("tables.datasets", config["tables"]["datasets"]),
        )
        for key, names in named:
            for name in names:
                # A dataset not searched this time is ignored, a typo is not.
                if name not in known:
                    problems.append(f"{key}: unknown dataset {name!r}; allowed are {known}")
        clash = sorted(set(config["csv_datasets"]) & set(BUILTIN_DATASETS))
        if clash:
            problems.append(f"csv_datasets: {clash} would shadow built-in datasets; rename them")
    if problems:
        raise ConfigError(f"{source} is not valid:\n  - " + "\n  - ".join(problems))


def manifest(config: dict, name: str) -> dict:
    """Everything that decides what the records of one dataset contain.

    Results made under another manifest must not be mixed with this run's.
    """
    search = {k: v for k, v in config["search"].items() if k not in EXTENDABLE["search"]}
    return {
        "dataset": name,
        "data": dataset_options(config, name),
        "seed": config["seed"],
        "search_space": config["search_space"],
        "search": search,
        "training": config["training"],
    }


def manifest_changes(old: dict, new: dict, prefix: str = "") -> list[str]:
    """Dotted keys whose values differ, with both values."""
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        dotted = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            changes += manifest_changes(a, b, f"{dotted}.")
        elif a != b:
            changes.append(f"{dotted}: results have {json.dumps(a)}, config has {json.dumps(b)}")
    return changes


def check_results_match(config: dict, results: Path, sources: dict | None = None) -> None:
    """Refuse a config whose search differs from what results/{ds} was made with.

    Args:
        config: the checked config.
        results: the results folder.
        sources: each dataset's source fingerprint
            (`faqnas.data.sources.check_sources`); when given, results made
            from other files are refused too (the manifest's ``source`` key).

    Raises:
        ConfigError: naming each dataset folder, the keys that differ with
            both values, and the command that starts it afresh.
    """
    problems = []
    for name in config["datasets"]:
        stored = results / name / "search.json"
        if not stored.exists():
            continue
        afresh = f"mv {stored.parent} {stored.parent}.old-{time.strftime('%Y%m%dT%H%M%S')}"
        try:
            old = json.loads(stored.read_text())
        except json.JSONDecodeError as err:
            problems.append(f"{stored} is corrupt ({err}); start that dataset afresh with: {afresh}")
            continue
        new = manifest(config, name)
        if sources is None:
            old = {k: v for k, v in old.items() if k != "source"}
        else:
            new["source"] = sources.get(name)
        changes = manifest_changes(old, new)
        if changes:
            hint = (
                "\n    source.* are sha256 digests of the dataset's files: the data changed "
                "since these results were made."
                if any(c.startswith("source") for c in changes)
                else ""
            )
            problems.append(
                f"{stored.parent} was made with another search; changed keys:\n      "
                + "\n      ".join(changes)
                + hint
                + f"\n    Restore those values, or start that dataset afresh with: {afresh}"
            )
    if problems:
        raise ConfigError("config does not match existing results:\n  - " + "\n  - ".join(problems))
