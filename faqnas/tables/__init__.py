"""Tabular benchmarks: every phenotype of Table I trained with the search's
protocol on the small datasets, with several training seeds, so that search
algorithms can be replayed and compared against the whole space.

``faqnas.tables.load("iris")`` returns a dataset's table as a DataFrame,
``faqnas.tables.load_flops()`` the FLOPs table; docs/tables/README.md
documents every column.
"""

from faqnas.tables.load import describe, flops_entries, load, load_flops

__all__ = ["describe", "flops_entries", "load", "load_flops"]
