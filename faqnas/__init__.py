"""faqnas: FLOPs-aware hybrid quantum neural architecture search."""

__version__ = "0.1.0"
