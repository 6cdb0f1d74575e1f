"""The results tree checked at start-up, so that no run reports success over it broken.

Snakemake decides what to run from files, dates and its own metadata. Around
the survival checkpoints that view has blind spots (Snakemake 9.27): a
population file deleted by a failed ``survive``, a record deleted or corrupted
by hand, or a complete record still carrying an incomplete marker leave a
tree over which Snakemake says "Nothing to be done" while ``pareto.json`` and
``report.md`` show results that no longer follow from the records.

So before the DAG is built, every search folder the run covers is walked:

- each genome, record (schema, genes, objectives, seed, training settings,
  FLOPs of its generation, the stored evaluation of `faqnas.evaluation.reuse`),
  ``flops.json``, population and status file is validated;
- each population and status must be what ``survive`` makes of the records
  and of the previous generation (recomputed and compared);
- the Pareto set of a finished search must be that of the current records.

A run that will execute jobs then repairs what is broken, one line per action:
an invalid record or genome is moved aside to
``results/{ds}/rejected/<UTC time>/<its path>`` (user data is never deleted),
and what is derived from it (that generation's population and status, the
later ones, the search's tables, figures and report, the cross-dataset
summary) is deleted, so Snakemake rebuilds it; the evaluate
jobs that rerun find their evaluations in the store and do not train again.
A dry run changes nothing: it lists every problem with its path and the
command that repairs it, and fails.

Incomplete markers (`faqnas.pipeline.markers`) of these folders are settled as well:
a marked record, genome, FLOPs, population or status file that passes the
checks above is complete (all are written atomically), so its marker is
removed and the file kept; any other marked file is deleted to be remade.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from faqnas.evaluation.reuse import (
    EvaluationKey,
    check_trained_as,
    evaluation_of,
    load_evaluation,
    same_result,
    store_folder,
)
from faqnas.pipeline.markers import clear_marker, incomplete_markers
from faqnas.pipeline.runs import Primary, parse_search_folder
from faqnas.records import RecordError, check_record, read_genome, read_json, write_json
from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.objectives import mode_of
from faqnas.search.pareto import pareto_records
from faqnas.search.seeds import derive_seed
from faqnas.search.space import SearchSpace
from faqnas.search.stopping import StoppingRule
from faqnas.search.survive import select_survivors

REJECTED = "rejected"
# What finalize and the figure rules make of a finished search.
FINALIZE_OUTPUTS = (
    "pareto.json", "pareto.tsv", "top_k.tsv", "compromise.json", "evaluations.tsv",
    "progress.tsv", "summary.json",
)  # fmt: skip
# The final stage's tables are remade from a rebuilt Pareto set (its models,
# inputs of those tables, rerun by Snakemake as the Pareto set is newer).
SEARCH_OUTPUTS = (*FINALIZE_OUTPUTS, "figures", "report.md", "final.tsv", "final.json")
# The summary across datasets. (The study reads committed tables, not
# searches, so nothing of it follows from a search folder.)
SUMMARY_OUTPUTS = ("summary/summary.tsv", "summary/summary.png")
PREPARE_OUTPUTS = ("data.npz", "data.json", "search.json")


KEPT = "complete, although the job that wrote it was killed before Snakemake marked it done"


class ConsistencyError(RuntimeError):
    """The results tree is inconsistent and this command may not repair it."""


@dataclass(frozen=True)
class Search:
    """One search folder and what its files must look like.

    Attributes:
        folder: ``results/{ds}`` or ``results/{ds}/runs/{objectives}-seed{seed}``.
        dataset: the dataset searched.
        objectives: ``flops_aware`` or ``flops_agnostic``.
        seed: the run seed of this search.
        primary: whether this is the configured search (``results/{ds}``).
    """

    folder: Path
    dataset: str
    objectives: str
    seed: int
    primary: bool


@dataclass
class Plan:
    """What the check found, as actions; nothing is changed until :meth:`apply`.

    Attributes:
        move: invalid user data to move aside, path -> problem.
        delete: derived files to delete, path -> why.
        clear: markers of complete files to remove, path -> marker file.
        forget: markers of files that do not exist (nothing to say).
        store: evaluations of valid records missing from the store, path -> evaluation.
        marked: every marked file that exists, path -> marker file.
        missing: files of a generation that was already past them, path -> what remakes it.
    """

    results: Path
    marked: dict[Path, Path] = field(default_factory=dict)
    missing: dict[Path, str] = field(default_factory=dict)
    move: dict[Path, str] = field(default_factory=dict)
    delete: dict[Path, str] = field(default_factory=dict)
    clear: dict[Path, Path] = field(default_factory=dict)
    forget: list[Path] = field(default_factory=list)
    store: dict[Path, dict] = field(default_factory=dict)

    @property
    def repairs(self) -> int:
        """How many files must be moved aside or deleted."""
        return len(self.move) + len(self.delete)

    def delete_if_present(self, path: Path, why: str) -> bool:
        if path.exists() and path not in self.move:
            self.delete.setdefault(path, why)
            return True
        return False

    def rejected_path(self, path: Path, stamp: str) -> Path:
        """Where ``path`` goes when moved aside."""
        dataset = path.relative_to(self.results).parts[0]
        base = self.results / dataset
        return base / REJECTED / stamp / path.relative_to(base)

    def describe(self, stamp: str, dry: bool) -> list[str]:
        """One line per move and deletion."""
        verb = ("would move", "would delete") if dry else ("moved", "deleted")
        lines = [f"{problem} -> {verb[0]} it to {self.rejected_path(path, stamp)}" for path, problem in self.move.items()]
        lines += [f"{path} is missing; {what} remakes it" for path, what in self.missing.items()]
        lines += [f"{verb[1]} {path}: {why}" for path, why in self.delete.items()]
        return lines

    def apply(self, snakemake_dir: Path, stamp: str) -> list[str]:
        """Carry the plan out.

        Args:
            snakemake_dir: the ``.snakemake`` folder (markers).
            stamp: the UTC time naming this run's ``rejected/`` folder.

        Returns:
            One line per move, deletion and kept marked file.
        """
        for path in self.move:
            target = self.rejected_path(path, stamp)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
        for path in self.delete:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        for path, evaluation in self.store.items():
            if not path.exists():
                write_json(path, evaluation)
        gone = [*self.move, *self.delete]
        settled = [m for p, m in self.marked.items() if any(p == q or q in p.parents for q in gone)]
        for marker in [*self.clear.values(), *self.forget, *settled]:
            clear_marker(marker, snakemake_dir)
        stored = sorted({path.parent for path in self.store})
        return (
            self.describe(stamp, dry=False)
            + [f"kept {path}: {KEPT}" for path in self.clear if path not in gone]
            + [f"stored the evaluations of existing records in {folder}, for reuse" for folder in stored]
        )


def searches(config: dict, results: Path) -> list[Search]:
    """The search folders a run covers.

    Args:
        config: the workflow config.
        results: the results folder.

    Returns:
        ``results/{ds}`` of every configured dataset, and every study search
        ``results/{ds}/runs/*`` of those datasets that exists.
    """
    primary = Primary.of(config)
    out = []
    for dataset in config["datasets"]:
        out.append(Search(results / dataset, dataset, primary.objectives, primary.seed, True))
        runs = results / dataset / "runs"
        for folder in sorted(runs.iterdir()) if runs.is_dir() else []:
            name = f"{dataset}/runs/{folder.name}"
            try:
                run = parse_search_folder(name, primary)
            except ValueError:
                continue
            if folder.is_dir() and run.dataset == dataset and (run.objectives, run.seed) != (
                primary.objectives,
                primary.seed,
            ):
                out.append(Search(folder, dataset, run.objectives, run.seed, False))
    return out


@dataclass
class _Expect:
    population: int
    space: SearchSpace
    evolution: dict
    training: dict
    max_generations: int
    patience: int


def _generations(folder: Path) -> list[int]:
    return sorted(
        int(p.name[3:]) for p in folder.glob("gen*") if p.is_dir() and p.name[3:].isdigit()
    )


def _data_sha(results: Path, dataset: str) -> str | None:
    try:
        return read_json(results / dataset / "data.json")["sha256"]
    except (RecordError, KeyError, TypeError):
        return None


class _SearchCheck:
    """The walk over one search folder; fills a :class:`Plan`."""

    def __init__(self, search: Search, expect: _Expect, plan: Plan, marked: dict[Path, Path]):
        self.search, self.expect, self.plan, self.marked = search, expect, plan, marked
        self.store = store_folder(plan.results, search.dataset)
        self.data_sha = _data_sha(plan.results, search.dataset)
        self.data_mtime = (plan.results / search.dataset / "data.json").stat().st_mtime if self.data_sha else 0.0
        self.broken_from: int | None = None
        self.records: dict[int, list[dict]] = {}
        self.populations: dict[int, dict] = {}
        self.statuses: dict[int, dict] = {}

    def broken(self, g: int) -> None:
        self.broken_from = g if self.broken_from is None else min(self.broken_from, g)

    def key(self, phenotype_key: str) -> EvaluationKey:
        seed = derive_seed(self.search.seed, self.search.dataset, phenotype_key)
        return EvaluationKey(phenotype_key, self.data_sha or "", seed, self.expect.training)

    def valid(self, path: Path) -> None:
        """``path`` passed its checks: a marker on it only says the job was killed late."""
        if path in self.marked:
            self.plan.clear[path] = self.marked[path]

    def position(self, entry: dict, path: Path, g: int, i: int) -> None:
        found = (entry["dataset"], entry["generation"], entry["index"])
        if found != (self.search.dataset, g, i):
            raise RecordError(f"{path}: says dataset/generation/index {found}, its place is {(self.search.dataset, g, i)}")

    def checked(self, path: Path, g: int, check, remade_by: str | None = None):
        """``check(path)``, or None when the file is absent or invalid.

        An invalid file is moved aside, or deleted when ``remade_by`` a job
        (it is derived, not user data); its generation is then broken.
        """
        if not path.exists():
            return None
        try:
            value = check(path)
        except RecordError as err:
            if remade_by:
                self.plan.delete[path] = f"{err}; the {remade_by} job remakes it"
            else:
                self.plan.move[path] = str(err)
            self.broken(g)
            return None
        self.valid(path)
        return value

    def genome(self, path: Path, g: int, i: int) -> dict | None:
        def check(path):
            entry, _ = read_genome(path, self.expect.space)
            self.position(entry, path, g, i)
            return entry

        return self.checked(path, g, check)

    def flops(self, path: Path, genomes: list[dict | None], g: int) -> list[dict] | None:
        def check(path):
            profiled = read_json(path)
            if not isinstance(profiled, list) or len(profiled) != self.expect.population:
                raise RecordError(f"{path}: expected a list of {self.expect.population} entries")
            for i, (entry, genome) in enumerate(zip(profiled, genomes)):
                if not isinstance(entry, dict) or not isinstance(entry.get("flops"), dict):
                    raise RecordError(f"{path}: entry {i} has no FLOPs")
                if genome is not None and entry.get("phenotype_key") != genome["phenotype_key"]:
                    raise RecordError(f"{path}: entry {i} is for {entry.get('phenotype_key')}, genome {i} is {genome['phenotype_key']}")
            return profiled

        return self.checked(path, g, check, remade_by="profile")

    def record(self, path: Path, g: int, i: int, genome: dict | None, profiled: dict | None) -> dict | None:
        def check(path):
            record = check_record(read_json(path), self.expect.space, path)
            self.position(record, path, g, i)
            if genome is not None and (record["genes"], record["phenotype_key"]) != (
                genome["genes"],
                genome["phenotype_key"],
            ):
                raise RecordError(f"{path}: genes differ from its genome file {path.parent.parent / 'genomes' / path.name}")
            found = mode_of(record["objectives"])
            if found != self.search.objectives:
                raise RecordError(
                    f"{path}: {found} objectives in a {self.search.objectives} search"
                )
            key = self.key(record["phenotype_key"])
            check_trained_as(record, key, path)
            if profiled is not None and record["flops"] != profiled["flops"]:
                raise RecordError(f"{path}: flops {record['flops']} are not its generation's {profiled['flops']}")
            self.stored(record, key, path, genome, profiled)
            return record

        return self.checked(path, g, check)

    def stored(self, record: dict, key: EvaluationKey, path: Path, genome, profiled) -> None:
        """Compare a record with its stored evaluation, or plan to store it."""
        if not self.data_sha:
            return
        stored_path = key.path(self.store)
        if stored_path.exists():
            try:
                evaluation = read_json(stored_path)
                if evaluation.get("phenotype_key") == key.phenotype_key and same_result(record, evaluation):
                    return  # agrees with a record that passed every check
            except (RecordError, AttributeError, KeyError):
                pass
            # Either the record or the stored evaluation is wrong: a valid
            # stored evaluation wins (the record is rebuilt from it).
            entry = genome or {k: record[k] for k in ("dataset", "generation", "index", "genes", "phenotype_key")}
            profiled = profiled or {
                "phenotype_key": record["phenotype_key"],
                "flops": record["flops"],
                "profile_s": record["wall_time_s"].get("profile", 0.0),
            }
            try:
                evaluation = load_evaluation(stored_path, key, entry, profiled, self.expect.space)
            except RecordError as err:
                self.plan.move[stored_path] = str(err)
            else:
                raise RecordError(
                    f"{path}: disagrees with its stored evaluation {stored_path} "
                    f"(accuracy {record['accuracy']}, stored {evaluation['accuracy']})"
                )
        # Only a record made from the current data.json's data: one older than
        # it (prepare ran again) is retrained by Snakemake, not stored.
        if path.stat().st_mtime >= self.data_mtime:
            self.plan.store.setdefault(stored_path, evaluation_of(record, key))

    def survival(self, g: int, genomes: list, profiled, records: list[dict | None], has_next: bool) -> None:
        folder = self.search.folder / f"gen{g}"
        files = [folder / "population.json", folder / "status.json"]
        present = [p for p in files if p.exists()]
        gone = [folder / "genomes" / f"{i}.json" for i, e in enumerate(genomes) if e is None]
        gone += [folder / "flops.json"] if profiled is None else []
        gone += [folder / "records" / f"{i}.json" for i, r in enumerate(records) if r is None]
        if present or has_next:  # the search was past this generation
            for path in gone:
                if not path.exists():
                    job = {"genomes": "propose", "records": "evaluate"}.get(path.parent.name, "profile")
                    self.plan.missing[path] = f"its {job} job"
        if not present:
            if has_next:
                self.broken(g)  # a hole: later generations were bred from nothing
            return
        previous = (None, None) if g == 0 else (self.populations.get(g - 1), self.statuses.get(g - 1))
        why, actual = None, None
        if self.broken_from is not None and self.broken_from < g:
            why = f"follows from generation {self.broken_from}, which is rebuilt"
        elif len(present) < 2:
            why = f"{(set(files) - set(present)).pop()} is missing"
        elif gone:
            why = f"made from files now missing or invalid: {', '.join(map(str, gone))}"
        elif g > 0 and None in previous:
            why = f"generation {g - 1} has no population"
        else:
            try:
                actual = [read_json(p) for p in files]
            except RecordError as err:
                why = str(err)
            else:
                search = {**self.expect.evolution, "objectives": self.search.objectives}
                if actual != list(select_survivors(records, previous[0], previous[1], g, search)):
                    why = "does not follow from the generation's records"
        if why is None:
            for p in files:
                self.valid(p)
            self.populations[g], self.statuses[g] = actual
            return
        for p in present:
            self.plan.delete_if_present(p, why)
        self.broken(g)

    def run(self) -> None:
        gens = _generations(self.search.folder)
        P = self.expect.population
        for g in range(gens[-1] + 1 if gens else 0):
            folder = self.search.folder / f"gen{g}"
            genomes = [self.genome(folder / "genomes" / f"{i}.json", g, i) for i in range(P)]
            profiled = self.flops(folder / "flops.json", genomes, g)
            records = [
                self.record(folder / "records" / f"{i}.json", g, i, genomes[i], profiled[i] if profiled else None)
                for i in range(P)
            ]
            self.records[g] = records
            self.survival(g, genomes, profiled, records, has_next=g < gens[-1])
        self.outputs()

    def finished_records(self) -> list[dict] | None:
        """Records of generations 0..L, L the generation the config stops at; None if not reached."""
        out = []
        for g in sorted(self.statuses):
            if g not in self.populations:
                return None
            out += self.records[g]
            rule = StoppingRule(self.expect.max_generations, self.expect.patience)
            stop, _ = rule.decide(g, self.statuses[g]["stagnation"])
            if stop:
                return out
        return None

    def outputs(self) -> None:
        folder = self.search.folder
        present = [folder / name for name in SEARCH_OUTPUTS if (folder / name).exists()]
        marked = [p for p in self.marked if any(p == q or q in p.parents for q in (folder / n for n in SEARCH_OUTPUTS))]
        if not present:
            return
        why = None
        if self.broken_from is not None:
            why = f"made from generation {self.broken_from} on, which is rebuilt"
        elif marked:
            why = f"{marked[0]} was being written when its job was killed"
        elif any(not (folder / name).exists() for name in FINALIZE_OUTPUTS):
            missing = [name for name in FINALIZE_OUTPUTS if not (folder / name).exists()]
            why = f"finalize's outputs are incomplete ({', '.join(missing)} missing)"
        else:
            try:
                rule = read_json(folder / "stopping_rule.json")
            except RecordError:
                rule = None
            if rule == {"max_generations": self.expect.max_generations, "patience": self.expect.patience}:
                finished = self.finished_records()
                if finished is None:
                    why = "the search has not reached its last generation"
                elif _pareto(finished) != _read_or_none(folder / "pareto.json"):
                    why = "pareto.json is not the Pareto set of the current records"
        if why is None:
            return
        for path in present:
            self.plan.delete_if_present(path, why)
        if self.search.primary:
            for name in SUMMARY_OUTPUTS:
                self.plan.delete_if_present(self.plan.results / name, f"summarises {folder}, which is rebuilt")


def _read_or_none(path: Path):
    try:
        return read_json(path)
    except RecordError:
        return None


def _pareto(records: list[dict]) -> list[dict]:
    """The Pareto set as finalize writes it (a repeated phenotype counts once)."""
    return pareto_records(first_of_each_phenotype(records))


def check_tree(config: dict, results: Path, snakemake_dir: Path, evolution: dict) -> Plan:
    """Walk every search the run covers and plan the repairs; change nothing.

    Args:
        config: the workflow config (checked, and matching the results' manifests).
        results: the results folder.
        snakemake_dir: the ``.snakemake`` folder.
        evolution: the search settings propose and survive depend on (the
            ``search`` config without the extendable keys).

    Returns:
        The plan.
    """
    plan = Plan(results)
    expect = _Expect(
        config["search"]["population"],
        SearchSpace(config["search_space"]),
        evolution,
        config["training"],
        config["search"]["max_generations"],
        config["search"]["patience"],
    )
    workdir = Path(snakemake_dir).parent  # marked paths are relative to it
    for path, marker in incomplete_markers(snakemake_dir).items():
        if (workdir / path).exists():
            plan.marked[workdir / path] = marker
        else:
            plan.forget.append(marker)
    covered = searches(config, results)
    for search in covered:
        # A study search's folder lies inside its dataset's: each file belongs
        # to the innermost search folder holding it.
        inner = [s.folder for s in covered if search.folder in s.folder.parents]
        mine = {
            p: m for p, m in plan.marked.items()
            if search.folder in p.parents and not any(f in p.parents for f in inner)
        }  # fmt: skip
        _SearchCheck(search, expect, plan, mine).run()
        # Other marked files of the search that a killed job may have left
        # half-made; the study's and exhaustive evaluation's are left to
        # Snakemake, which checks their jobs' markers itself.
        for name in ("stopping_rule.json", *(PREPARE_OUTPUTS if search.primary else ())):
            if search.folder / name in mine:
                plan.delete_if_present(search.folder / name, "its job was killed while writing it")
    return plan


def stamp_now() -> str:
    """The UTC time that names this run's rejected/ folder."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def settle(
    config: dict,
    results: Path,
    snakemake_dir: Path,
    evolution: dict,
    repair: bool,
    command: str,
) -> list[str]:
    """Check the results tree and repair it, or refuse to go on.

    Args:
        config: the workflow config.
        results: the results folder.
        snakemake_dir: the ``.snakemake`` folder.
        evolution: as for :func:`check_tree`.
        repair: whether this command runs jobs and may change the tree.
        command: the command that repairs it, named when refusing.

    Returns:
        Lines to show the user, one per action; none when all is well.

    Raises:
        ConsistencyError: ``repair`` is false and something needs repairing;
            the message lists every problem with its path, and ``command``.
    """
    plan = check_tree(config, results, snakemake_dir, evolution)
    stamp = stamp_now()
    if repair:
        lines = plan.apply(snakemake_dir, stamp)
        if plan.repairs:
            lines.insert(
                0,
                f"the results tree was inconsistent ({plan.repairs} file(s)); repaired, and "
                "what follows is rebuilt (stored evaluations are reused, not retrained):",
            )
        return lines
    if plan.repairs:
        raise ConsistencyError(
            f"the results tree is inconsistent ({plan.repairs} file(s)); this command changes nothing.\n  - "
            + "\n  - ".join(plan.describe(stamp, dry=True))
            + f"\nRepair it (and rebuild what follows, reusing stored evaluations) with:\n    {command}"
        )
    return [
        f"{path} is {KEPT}: a run keeps it, although a dry run may list its job" for path in plan.clear
    ]
