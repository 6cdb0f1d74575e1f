"""Checking the paper's claims (docs/results.md) on the tabular benchmarks
and live searches: paired comparisons of the search variants at equal
budgets, the table's seed noise, plateau and what accuracy follows, each
with its test and the rule of its verdict."""
