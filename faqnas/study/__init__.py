"""Checking the paper's claims: the exhaustive evaluation, the comparison of
searches in the (F_Q, 1 - accuracy) plane, the verdict rules, and the
docs/results.md page."""
