"""JSON files of a search: genomes, records and populations.

Every file a later stage reads is validated here, so a corrupt or hand-edited
file is reported with its path instead of silently steering the search, and
every file is written atomically, so a killed job never leaves half a file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import jsonschema

from .space import Genome, SearchSpace


class RecordError(ValueError):
    """A genome, record or population file that cannot be trusted."""


_COUNT = {"type": "integer", "minimum": 0}
_FRACTION = {"type": "number", "minimum": 0, "maximum": 1}

GENOME_SCHEMA = {
    "type": "object",
    "required": ["dataset", "generation", "index", "genes", "phenotype_key"],
    "properties": {
        "dataset": {"type": "string"},
        "generation": _COUNT,
        "index": _COUNT,
        "genes": {"type": "object"},
        "phenotype_key": {"type": "string"},
    },
}

RECORD_SCHEMA = {
    "type": "object",
    "required": [
        *GENOME_SCHEMA["required"],
        "seed",
        "training",
        "accuracy",
        "flops",
        "params",
        "objectives",
        "wall_time_s",
        "versions",
    ],
    "properties": {
        **GENOME_SCHEMA["properties"],
        "seed": _COUNT,
        "training": {
            "type": "object",
            "required": [
                "backend",
                "epochs",
                "lr",
                "batch_size",
                "accuracy_per_epoch",
                "loss_per_epoch",
                "best_accuracy",
                "best_epoch",
                "diverged",
            ],
            "properties": {
                "accuracy_per_epoch": {"type": "array", "items": _FRACTION},
                "loss_per_epoch": {"type": "array", "items": {"type": "number"}},
                "best_accuracy": _FRACTION,
                "diverged": {"type": "boolean"},
            },
        },
        "accuracy": _FRACTION,
        "flops": {
            "type": "object",
            "required": ["total", "classical", "quantum", "quantum_analytic"],
            "additionalProperties": _COUNT,
        },
        "params": {
            "type": "object",
            "required": ["total", "classical", "quantum"],
            "additionalProperties": _COUNT,
        },
        "objectives": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"type": "number", "minimum": 0},
        },
        "wall_time_s": {"type": "object"},
        "versions": {"type": "object"},
    },
}


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write JSON so that readers see either the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, indent=1, sort_keys=False, allow_nan=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: str | os.PathLike) -> Any:
    try:
        with open(path) as handle:
            return json.load(handle)
    except json.JSONDecodeError as err:
        raise RecordError(f"{path}: not valid JSON ({err})") from None
    except OSError as err:
        raise RecordError(f"{path}: cannot be read ({err.strerror})") from None


def genome_from_entry(entry: dict, space: SearchSpace, path: str | os.PathLike) -> Genome:
    """The genome an entry describes, after checking its genes and phenotype key."""
    try:
        genome = Genome.from_genes(entry["genes"])
        space.validate(genome)
    except (KeyError, TypeError, ValueError) as err:
        raise RecordError(f"{path}: genes are not a genome of the configured search space: {err}") from None
    if genome.phenotype_key != entry["phenotype_key"]:
        raise RecordError(
            f"{path}: phenotype_key {entry['phenotype_key']!r} does not match its genes "
            f"(expected {genome.phenotype_key!r}); the file was edited or corrupted"
        )
    if set(entry["genes"]) != set(space.gene_names):
        raise RecordError(f"{path}: genes must be exactly {space.gene_names}, got {sorted(entry['genes'])}")
    return genome


def _validate(entry: Any, schema: dict, path) -> None:
    try:
        jsonschema.validate(entry, schema)
    except jsonschema.ValidationError as err:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise RecordError(f"{path}: invalid at {where}: {err.message}") from None


def genome_entry(genome: Genome, dataset: str, generation: int, index: int) -> dict:
    return {
        "dataset": dataset,
        "generation": generation,
        "index": index,
        "genes": genome.to_genes(),
        "phenotype_key": genome.phenotype_key,
    }


def read_genome(path, space: SearchSpace) -> tuple[dict, Genome]:
    entry = read_json(path)
    _validate(entry, GENOME_SCHEMA, path)
    return entry, genome_from_entry(entry, space, path)


def read_record(path, space: SearchSpace) -> dict:
    return check_record(read_json(path), space, path)


def check_record(record: Any, space: SearchSpace, path) -> dict:
    """``record`` if it is a valid genome record; ``path`` names it in errors."""
    _validate(record, RECORD_SCHEMA, path)
    genome_from_entry(record, space, path)
    # Three objectives for a FLOPs-aware search, two (no F_Q) for the baseline.
    expected = objectives(record, flops_aware=len(record["objectives"]) == 3)
    if not all(math.isclose(a, b) for a, b in zip(record["objectives"], expected)) or len(
        record["objectives"]
    ) != len(expected):
        raise RecordError(
            f"{path}: objectives {record['objectives']} disagree with the record's own "
            f"flops, accuracy and params {expected}"
        )
    return record


def objectives(record: dict, flops_aware: bool = True) -> list[float]:
    """The minimised vector: (F_Q, 1 - acc, params), or without F_Q for the agnostic baseline."""
    objs = [1.0 - record["accuracy"], float(record["params"]["total"])]
    return [float(record["flops"]["quantum"]), *objs] if flops_aware else objs


def read_population(path, space: SearchSpace) -> dict:
    population = read_json(path)
    if not isinstance(population, dict) or not isinstance(population.get("members"), list):
        raise RecordError(f"{path}: a population file needs a 'members' list")
    for member in population["members"]:
        _validate(member, RECORD_SCHEMA, path)
        genome_from_entry(member, space, path)
    return population
