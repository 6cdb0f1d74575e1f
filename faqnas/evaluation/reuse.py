"""Evaluations that outlive the job, the record and the search that made them.

A genome *record* (``gen{g}/records/{i}.json``) is two things glued together:
where the genome sits (dataset, generation, index, genes, phenotype key, the
FLOPs profiled for its generation, the search's ``objectives``) and what
training it gave. The latter, the *evaluation*, depends only on

- the prepared data (``data.json``'s ``sha256``),
- the phenotype (its key),
- the training seed (``derive_seed(run seed, dataset, phenotype key)``),
- the training settings (``config["training"]``) and the faqnas version.

The evaluate job stores it, atomically and before writing its record, in a
per-dataset store ``results/{dataset}/evaluations/{phenotype_key}-{digest}.json``
(``digest`` covers everything above but the key), and looks there first. So a
job that Snakemake reruns (an incomplete marker, a repaired record, a study's
other search with the same seed) rebuilds its record from the stored
evaluation instead of training again, byte for byte the record it would have
written, with the original evaluation's timestamps.

The first valid evaluation stored for a key wins: two jobs that train the same
phenotype at once both write records from whichever was stored first, so every
record agrees with the store.

FLOPs are not part of an evaluation: they are the profile job's result, read
from the generation's ``flops.json`` exactly as for a fresh evaluation.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from faqnas import __version__
from faqnas.records import RecordError, check_record, read_json
from faqnas.search.objectives import FLOPS_AWARE, objectives
from faqnas.search.space import SearchSpace

STORE = "evaluations"

# The parts of a record that training produced, in record order.
_EVALUATED = ("seed", "training", "accuracy", "params")
# Training settings a record repeats in its ``training`` entry.
_REPEATED_SETTINGS = ("backend", "dtype", "epochs", "lr", "batch_size")


@dataclass(frozen=True)
class EvaluationKey:
    """What an evaluation depends on.

    Attributes:
        phenotype_key: the evaluated phenotype.
        data_sha256: ``sha256`` of the prepared dataset (``data.json``).
        seed: the training seed.
        settings: the training settings (``config["training"]``).
    """

    phenotype_key: str
    data_sha256: str
    seed: int
    settings: dict

    @property
    def digest(self) -> str:
        """16 hex digits of a hash of everything but the phenotype key.

        Returns:
            The digest, stable across Python runs and dict orders.
        """
        text = json.dumps(
            {
                "data_sha256": self.data_sha256,
                "seed": self.seed,
                "training": self.settings,
                "faqnas": __version__,
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def path(self, store: str | os.PathLike) -> Path:
        """Where this evaluation lives in ``store``.

        Args:
            store: the dataset's store folder (see :func:`store_folder`).

        Returns:
            ``store/{phenotype_key}-{digest}.json``.
        """
        return Path(store) / f"{self.phenotype_key}-{self.digest}.json"

    def identity(self) -> dict:
        """The key as it is written into a stored evaluation."""
        return {
            "phenotype_key": self.phenotype_key,
            "data_sha256": self.data_sha256,
            "seed": self.seed,
            "settings": self.settings,
            "faqnas": __version__,
        }


def store_folder(results: str | os.PathLike, dataset: str) -> Path:
    """The evaluation store of one dataset, shared by all its searches.

    Args:
        results: the results folder (``results``).
        dataset: the dataset name.

    Returns:
        ``results/{dataset}/evaluations``.
    """
    return Path(results) / dataset / STORE


def evaluation_of(record: dict, key: EvaluationKey) -> dict:
    """The evaluation part of a record, as it is stored.

    Args:
        record: a genome record (see docs/ARCHITECTURE.md).
        key: what the record's evaluation depends on.

    Returns:
        The key's identity plus seed, training, accuracy, params, training
        time, timestamps and versions of the record.
    """
    return {
        **key.identity(),
        **{name: record[name] for name in _EVALUATED},
        "wall_time_s": {"train": record["wall_time_s"]["train"]},
        "timestamps": record["timestamps"],
        "versions": record["versions"],
    }


def record_from(entry: dict, evaluation: dict, profiled: dict, mode: str) -> dict:
    """The record a genome gets from an evaluation.

    Keys come in the order `faqnas.evaluation.evaluate.evaluate_genome` writes them,
    so a record rebuilt from the evaluation of a fresh one is byte-identical.

    Args:
        entry: the genome file's content.
        evaluation: a stored evaluation (see :func:`evaluation_of`).
        profiled: the genome's entry of the generation's ``flops.json``.
        mode: the objectives the search minimises (`faqnas.search.objectives`).

    Returns:
        The record.
    """
    record = {
        **entry,
        **{name: evaluation[name] for name in ("seed", "training", "accuracy")},
        "flops": profiled["flops"],
        "params": evaluation["params"],
        "wall_time_s": {"train": evaluation["wall_time_s"]["train"], "profile": profiled["profile_s"]},
        "timestamps": evaluation["timestamps"],
        "versions": evaluation["versions"],
    }
    record["objectives"] = objectives(record, mode)
    return record


def check_trained_as(record: dict, key: EvaluationKey, path: str | os.PathLike) -> None:
    """Check that a record (or evaluation) was trained as ``key`` says.

    Args:
        record: a record or stored evaluation, already schema-checked.
        key: the expected seed and training settings.
        path: the file named in the error.

    Raises:
        RecordError: the seed, a training setting or the accuracy disagrees.
    """
    problems = []
    if record["seed"] != key.seed:
        problems.append(f"seed {record['seed']} is not the seed of this search ({key.seed})")
    for name in _REPEATED_SETTINGS:
        if record["training"].get(name) != key.settings.get(name):
            problems.append(
                f"training.{name} {record['training'].get(name)!r} is not the configured "
                f"{key.settings.get(name)!r}"
            )
    if record["accuracy"] != record["training"]["best_accuracy"]:
        problems.append(
            f"accuracy {record['accuracy']} is not training.best_accuracy "
            f"{record['training']['best_accuracy']}"
        )
    if problems:
        raise RecordError(f"{path}: " + "; ".join(problems))


def load_evaluation(
    path: str | os.PathLike,
    key: EvaluationKey,
    entry: dict,
    profiled: dict,
    space: SearchSpace,
) -> dict:
    """A stored evaluation, checked against its key and as the record it makes.

    Args:
        path: the stored evaluation (usually ``key.path(store)``).
        key: what the evaluation must have been made with.
        entry: the genome file the record is for.
        profiled: the genome's entry of ``flops.json``.
        space: the configured search space.

    Returns:
        The evaluation.

    Raises:
        RecordError: the file is missing, unreadable, made for another key,
            or would make an invalid record.
    """
    evaluation = read_json(path)
    if not isinstance(evaluation, dict):
        raise RecordError(f"{path}: a stored evaluation must be a JSON object")
    expected = key.identity()
    differing = sorted(k for k in expected if evaluation.get(k) != expected[k])
    if differing:
        raise RecordError(f"{path}: made for another evaluation (differs in {differing})")
    try:
        record = record_from(entry, evaluation, profiled, FLOPS_AWARE)
    except (KeyError, TypeError) as err:
        raise RecordError(f"{path}: not a complete evaluation (no {err})") from None
    check_record(record, space, path)
    check_trained_as(record, key, path)
    return evaluation


def store_evaluation(path: str | os.PathLike, evaluation: dict, is_valid: Callable[[Path], bool]) -> dict:
    """Store ``evaluation`` unless a valid one is there already.

    The file appears atomically and whole (hard link of a fully written
    temporary file), so a job killed at any moment leaves either no file or
    a complete one, and of two jobs storing the same key the first wins.

    Args:
        path: where the evaluation belongs.
        evaluation: the evaluation just made.
        is_valid: tells whether the file already at ``path`` is a valid
            evaluation of the same key (e.g. ``load_evaluation`` succeeds).

    Returns:
        The evaluation now stored: the existing valid one, or ``evaluation``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(evaluation, handle, indent=1, allow_nan=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
            return evaluation
        except FileExistsError:
            if is_valid(path):
                return read_json(path)
            os.replace(tmp, path)
            tmp = None
            return evaluation
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def evaluate_or_reuse(
    entry: dict,
    key: EvaluationKey,
    store: str | os.PathLike,
    profiled: dict,
    mode: str,
    space: SearchSpace,
    train: Callable[[], dict],
) -> tuple[dict, str]:
    """A genome's record, from the store when its evaluation is there.

    Args:
        entry: the genome file's content.
        key: what the evaluation depends on.
        store: the dataset's store folder.
        profiled: the genome's entry of the generation's ``flops.json``.
        mode: the objectives the search minimises.
        space: the configured search space.
        train: makes a fresh record (`faqnas.evaluation.evaluate.evaluate_genome`);
            called only when no valid evaluation is stored.

    Returns:
        The record, and a line saying whether it was reused or trained (and
        why a stored evaluation could not be used).

    Raises:
        RecordError: a freshly trained record disagrees with the key (a bug).
    """
    path = key.path(store)

    def stored_is_valid(candidate: Path) -> bool:
        try:
            load_evaluation(candidate, key, entry, profiled, space)
            return True
        except RecordError:
            return False

    why = "no stored evaluation"
    if path.exists():
        try:
            evaluation = load_evaluation(path, key, entry, profiled, space)
            record = record_from(entry, evaluation, profiled, mode)
            started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(evaluation["timestamps"]["started"]))
            return record, f"reused {path} (trained {started})"
        except RecordError as err:
            why = f"stored evaluation unusable: {err}"
    fresh = train()
    check_trained_as(fresh, key, "freshly trained record")
    evaluation = store_evaluation(path, evaluation_of(fresh, key), stored_is_valid)
    record = record_from(entry, evaluation, profiled, mode)
    how = "trained" if evaluation["timestamps"] == fresh["timestamps"] else "trained, but another job stored it first"
    return record, f"{how} ({why}); stored as {path}"


def same_result(record: dict, evaluation: dict) -> bool:
    """Whether a record holds what an evaluation says training gave.

    Args:
        record: a genome record.
        evaluation: a stored evaluation.

    Returns:
        True when seed, training, accuracy and params are equal (times and
        versions may differ: a record made before the store existed keeps its own).
    """
    return all(record[name] == evaluation[name] for name in _EVALUATED)
