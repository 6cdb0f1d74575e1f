"""The JSON files of a search: genomes, records, populations and statuses.

Each kind of file has a JSON schema (what is checked when it is read) and a
``TypedDict`` beside it (what code may rely on). They are built and read
here only: every file a later stage reads is validated, so a corrupt or
hand-edited file is reported with its path instead of silently steering the
search, and every file is written atomically, so a killed job never leaves
half a file. docs/ARCHITECTURE.md shows an example of each.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, TypedDict

import jsonschema

from faqnas.files import atomic_write
from faqnas.search.objectives import N_OBJECTIVES, mode_of, objectives
from faqnas.search.space import Genome, SearchSpace


class RecordError(ValueError):
    """A genome, record, population or status file that cannot be trusted."""


class GenomeEntry(TypedDict):
    """``gen{g}/genomes/{i}.json``: one proposed genome."""

    dataset: str
    generation: int
    index: int
    genes: dict[str, int | str]
    phenotype_key: str


class Training(TypedDict):
    """How a record's genome was trained (`faqnas.evaluation.train.train`)."""

    backend: str
    dtype: str
    epochs: int
    lr: float
    batch_size: int
    accuracy_per_epoch: list[float]
    loss_per_epoch: list[float]
    best_accuracy: float
    best_epoch: int
    diverged: bool


class Flops(TypedDict):
    """Per sample, forward + backward: profiler total, classical and quantum
    (F_Q = total - classical), and the analytic quantum count."""

    total: int
    classical: int
    quantum: int
    quantum_analytic: int


class Params(TypedDict):
    total: int
    classical: int
    quantum: int


class Record(GenomeEntry):
    """``gen{g}/records/{i}.json``: a genome entry with its evaluation."""

    seed: int
    training: Training
    accuracy: float
    flops: Flops
    params: Params
    objectives: list[float]
    wall_time_s: dict[str, float]
    timestamps: dict[str, float]
    versions: dict[str, str]


class Member(Record):
    """A survivor: its record with its NSGA-II rank and crowding distance
    (``None`` for an infinite distance: JSON has no infinity)."""

    rank: int
    crowding: float | None


class Population(TypedDict):
    """``gen{g}/population.json``: the survivors of generation g and every
    phenotype evaluated in generations 0..g."""

    generation: int
    members: list[Member]
    evaluated_keys: list[str]


class Status(TypedDict):
    """``gen{g}/status.json``: the rank-0 front of the survivors and for how
    many generations it has been unchanged; whether that stops the search is
    decided by `faqnas.search.stopping.StoppingRule`."""

    generation: int
    stagnation: int
    rank0_front: list[list[float]]
    n_evaluated: int
    objectives: str


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
            "minItems": min(N_OBJECTIVES.values()),
            "maxItems": max(N_OBJECTIVES.values()),
            "items": {"type": "number", "minimum": 0},
        },
        "wall_time_s": {"type": "object"},
        "versions": {"type": "object"},
    },
}


STATUS_SCHEMA = {
    "type": "object",
    "required": ["generation", "stagnation", "rank0_front", "n_evaluated", "objectives"],
    "properties": {
        "generation": _COUNT,
        "stagnation": _COUNT,
        "rank0_front": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
        "n_evaluated": _COUNT,
        "objectives": {"type": "string"},
    },
}


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write ``data`` as JSON so that readers see either the old file or the whole new one.

    Raises:
        ValueError: ``data`` holds NaN or infinity, which JSON cannot hold.
    """
    text = json.dumps(data, indent=1, sort_keys=False, allow_nan=False) + "\n"
    atomic_write(path, lambda handle: handle.write(text.encode()))


def read_json(path: str | os.PathLike) -> Any:
    """The content of a JSON file.

    Raises:
        RecordError: the file cannot be read or is not valid JSON; the
            message names it.
    """
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


# One validator per schema: jsonschema.validate checks the schema itself on
# every call, which made validating a search's records take seconds.
_VALIDATORS: dict[int, tuple[dict, Any]] = {}


def _validate(entry: Any, schema: dict, path) -> None:
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:
        validator = jsonschema.validators.validator_for(schema)(schema)
        cached = _VALIDATORS[id(schema)] = (schema, validator)
    err = jsonschema.exceptions.best_match(cached[1].iter_errors(entry))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise RecordError(f"{path}: invalid at {where}: {err.message}")


def genome_entry(genome: Genome, dataset: str, generation: int, index: int) -> GenomeEntry:
    """The genome file of proposal ``index`` of ``generation``."""
    return {
        "dataset": dataset,
        "generation": generation,
        "index": index,
        "genes": genome.to_genes(),
        "phenotype_key": genome.phenotype_key,
    }


def read_genome(path, space: SearchSpace) -> tuple[GenomeEntry, Genome]:
    """A genome file and the genome it describes.

    Raises:
        RecordError: the file is unreadable, breaks the schema, or its genes
            are not a genome of ``space`` with its phenotype key.
    """
    entry = read_json(path)
    _validate(entry, GENOME_SCHEMA, path)
    return entry, genome_from_entry(entry, space, path)


def read_record(path, space: SearchSpace) -> Record:
    """A record file, checked by `check_record`.

    Raises:
        RecordError: as `check_record`, or the file is unreadable.
    """
    return check_record(read_json(path), space, path)


def check_record(record: Any, space: SearchSpace, path) -> Record:
    """``record`` if it is a valid record of a genome of ``space``.

    Args:
        record: the parsed JSON.
        space: the configured search space.
        path: names the record in errors.

    Raises:
        RecordError: the record breaks the schema, its genes are not a genome
            of ``space``, its phenotype key does not match them, or its
            objectives disagree with its own accuracy, FLOPs and params.
    """
    _validate(record, RECORD_SCHEMA, path)
    genome_from_entry(record, space, path)
    expected = objectives(record, mode_of(record["objectives"]))
    if not all(math.isclose(a, b) for a, b in zip(record["objectives"], expected)):
        raise RecordError(
            f"{path}: objectives {record['objectives']} disagree with the record's own "
            f"flops, accuracy and params {expected}"
        )
    return record


def read_population(path, space: SearchSpace) -> Population:
    """A population file whose members are valid records of ``space``.

    Raises:
        RecordError: the file is unreadable, has no ``members`` list, or a
            member is not a valid record.
    """
    population = read_json(path)
    if not isinstance(population, dict) or not isinstance(population.get("members"), list):
        raise RecordError(f"{path}: a population file needs a 'members' list")
    for member in population["members"]:
        check_record(member, space, path)
    return population


def read_status(path) -> Status:
    """A status file.

    Raises:
        RecordError: the file is unreadable or breaks the schema.
    """
    status = read_json(path)
    _validate(status, STATUS_SCHEMA, path)
    return status
