"""Searches replayed against a tabular benchmark (docs/tables): the
pipeline's own proposal, survival and stopping functions, with table lookups
instead of training, so that hundreds of searches take seconds.

With a table row of run seed s standing for exactly what a live search with
``seed: s`` trains, a replayed search evaluates the same genomes in the same
order and finds the same Pareto set as the live pipeline
(tests/test_replay_pipeline.py).

- `faqnas.replay.lookup`: a table row and its F_Q as a record;
- `faqnas.replay.search`: `replay_search`, NSGA-II as the pipeline runs it;
- `faqnas.replay.random_search`: `random_search`, uniform over phenotypes;
- `faqnas.replay.variants`: the four variants at equal budgets, and their
  fronts after a number of evaluations;
- `faqnas.replay.result`: `Replay`, what every replay returns.
"""

from faqnas.replay.random_search import random_search
from faqnas.replay.result import Replay
from faqnas.replay.search import replay_search
from faqnas.replay.variants import VARIANTS, front_after, replay_variant

__all__ = ["Replay", "VARIANTS", "front_after", "random_search", "replay_search", "replay_variant"]
