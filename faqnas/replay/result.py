"""What a replayed search returns."""

from __future__ import annotations

from dataclasses import dataclass

from faqnas.search.duplicates import first_of_each_phenotype
from faqnas.search.pareto import pareto_records


@dataclass(frozen=True)
class Replay:
    """A replayed search.

    Args:
        evaluations: every evaluation in order, as `faqnas.replay.lookup.replay_record`
            gives them (generation, index, phenotype key, genes, accuracy,
            F_Q, params, objectives); a phenotype proposed again (redraws ran
            out) appears again, as in the live search.
        pareto: the Pareto set of the evaluations, each phenotype's first
            record, in evaluation order (what finalize writes to pareto.json).
        generations: generations run, the initial population included.
        stop_reason: why it stopped.
    """

    evaluations: list[dict]
    pareto: list[dict]
    generations: int
    stop_reason: str


def replay_result(evaluations: list[dict], stop_reason: str) -> Replay:
    """A `Replay` of ``evaluations``, its Pareto set taken as finalize takes it.

    Raises:
        ValueError: ``evaluations`` is empty.
    """
    if not evaluations:
        raise ValueError("a replay evaluates at least one genome")
    return Replay(
        evaluations=evaluations,
        pareto=pareto_records(first_of_each_phenotype(evaluations)),
        generations=evaluations[-1]["generation"] + 1,
        stop_reason=stop_reason,
    )
