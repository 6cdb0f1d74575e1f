"""The duplicate-phenotype policy of the search, in one place.

Every phenotype is meant to be trained once: proposals redraw offspring whose
phenotype was evaluated before (`faqnas.search.nsga2.propose_offspring`).
When redraws run out (a small or converged space) a duplicate is accepted
rather than shrinking the population. Its record is the same point in
objective space as the first one, so everything that reasons about the set
of evaluated genomes (survival, the Pareto set, tables of a finished search)
keeps only the first record of each phenotype.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

Entry = TypeVar("Entry", bound=dict)


def first_of_each_phenotype(records: Sequence[Entry]) -> list[Entry]:
    """``records`` without repeated phenotype keys, the first of each kept, in order."""
    seen: set[str] = set()
    out = []
    for record in records:
        if record["phenotype_key"] not in seen:
            seen.add(record["phenotype_key"])
            out.append(record)
    return out


def check_distinct(records: Sequence[dict]) -> None:
    """Raise ValueError naming the repeated phenotype keys of ``records``.

    A repeat means a caller passed population members (survivors repeat
    across generations) or raw records instead of `first_of_each_phenotype`.
    """
    keys = [r["phenotype_key"] for r in records]
    if len(set(keys)) != len(keys):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"records repeat phenotype keys {repeated}; pass each evaluated record once")
