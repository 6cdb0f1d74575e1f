"""When a search stops: the paper's rule (Alg. 1, lines 9 and 29), in one place.

A search stops after generation g when its rank-0 front has been unchanged
for ``patience`` (T) generations, or when g reaches ``max_generations`` (G).
The survival checkpoint records only the facts (the stagnation count, in
``status.json``); the decision is taken from them by `StoppingRule` wherever
it is needed: when Snakemake builds the DAG (how many generations to run),
and when a finished search is summarised (why it stopped). Raising G or T
after a search stopped therefore continues it instead of rerunning it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Sequence

from faqnas.records import Status, read_json, write_json


@dataclass(frozen=True)
class StoppingRule:
    """The stopping rule of a search.

    Args:
        max_generations: G, generations after the initial population.
        patience: T, generations the rank-0 front may stay unchanged.

    Raises:
        ValueError: ``patience`` < 1 or ``max_generations`` < 0.
    """

    max_generations: int
    patience: int

    def __post_init__(self):
        if self.patience < 1:
            raise ValueError(f"stagnation patience T must be >= 1, got {self.patience}")
        if self.max_generations < 0:
            raise ValueError(f"max_generations G must be >= 0, got {self.max_generations}")

    def decide(self, generation: int, stagnation: int) -> tuple[bool, str]:
        """Whether to stop after ``generation`` (0 = initial population), and why."""
        if stagnation >= self.patience:
            return True, f"rank-0 front unchanged for {stagnation} generations (T={self.patience})"
        if generation >= self.max_generations:
            return True, f"reached the last generation (G={self.max_generations})"
        return False, ""

    def decisions(self, statuses: Sequence[Status]) -> list[dict]:
        """Each status (generations 0, 1, ...) with ``stop`` and ``reason`` added."""
        out = []
        for generation, status in enumerate(statuses):
            stop, reason = self.decide(generation, status["stagnation"])
            out.append({**status, "stop": stop, "reason": reason})
        return out

    def last_generation(self, status_of: Callable[[int], Status]) -> int:
        """The generation the search stops after.

        Args:
            status_of: the status of generation g; in the workflow it waits
                for that generation's survival checkpoint.
        """
        generation = 0
        while not self.decide(generation, status_of(generation)["stagnation"])[0]:
            generation += 1
        return generation

    @classmethod
    def read(cls, path) -> "StoppingRule":
        """The rule stored by `stopping_rule`."""
        return cls(**read_json(path))


def stopping_rule(path, max_generations: int, patience: int) -> None:
    """Rule ``stopping_rule``: store the configured rule as a file.

    Finalize reads it as an input, so that a changed rule reruns finalize (a
    changed param alone does not make Snakemake 9 rerun a job whose outputs
    exist).

    Raises:
        ValueError: as `StoppingRule`.
    """
    write_json(path, asdict(StoppingRule(max_generations, patience)))
