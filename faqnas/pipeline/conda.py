"""faqnas inside the conda environment of ``snakemake --sdm conda``.

envs/faqnas.yaml installs faqnas itself with ``--editable ${FAQNAS_SOURCE}``
(pip expands environment variables in requirements), so jobs import the
package as installed, exactly as in the project's virtual environment.
"""

from __future__ import annotations

import os

SOURCE_VARIABLE = "FAQNAS_SOURCE"


def expose_checkout(basedir: str | os.PathLike) -> None:
    """Name the checkout the workflow runs from for envs/faqnas.yaml.

    Args:
        basedir: the workflow's base directory (the repository root).
    """
    os.environ[SOURCE_VARIABLE] = str(basedir)
