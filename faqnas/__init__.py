"""faqnas: FLOPs-aware hybrid quantum neural architecture search."""

__version__ = "0.1.0"

# Attributes imported on first use: `import faqnas` must not import torch,
# because every genome job imports the package and pays for what it loads.
_LAZY = {"load_model": "faqnas.final.export", "ModelFileError": "faqnas.final.export"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'faqnas' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
