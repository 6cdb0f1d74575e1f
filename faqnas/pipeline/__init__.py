"""What only the Snakemake workflow uses: config checks and the manifest
results are tied to, search folders, job logs, and recovering a killed
run's lock."""
