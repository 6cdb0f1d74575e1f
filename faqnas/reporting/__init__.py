"""What a person reads: tables, figures, the per-search report page and the
cross-dataset summary."""
