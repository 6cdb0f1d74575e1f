"""The console line of a finished generation says where a search stands."""

import os
import time

from faqnas.pipeline.progress import announce, generation_line
from faqnas.search.stopping import StoppingRule

RULE = StoppingRule(max_generations=8, patience=2)


def status(generation, stagnation, front, objectives="flops_aware"):
    return {"generation": generation, "stagnation": stagnation, "rank0_front": front,
            "n_evaluated": 20 * (generation + 1), "objectives": objectives}


def test_line_names_generation_front_and_best_accuracy():
    line = generation_line("iris", status(3, 0, [[100.0, 0.25, 30.0], [10.0, 0.4, 20.0]]), RULE, 42.4)
    assert line == ("faqnas: iris: generation 3 of at most 8: 80 genomes evaluated, front changed, "
                    "2 on the rank-0 front, best accuracy 0.750, 42 s")


def test_line_says_when_and_why_the_search_stops():
    line = generation_line("wine/runs/flops_agnostic-seed1", status(5, 2, [[0.1, 30.0]], "flops_agnostic"),
                           RULE, 7)
    assert "front unchanged for 2 of 2" in line and "best accuracy 0.900" in line
    assert line.endswith("stops: rank-0 front unchanged for 2 generations (T=2)")


def test_a_generation_is_announced_once_and_only_if_it_finished_in_this_run(tmp_path, capsys):
    path = tmp_path / "status.json"
    path.write_text("{}")
    old = time.time() - 100
    os.utime(path, (old, old))
    announce("digits", path, status(0, 0, [[1.0, 0.5, 3.0]]), RULE, run_started=old + 50)
    assert capsys.readouterr().err == ""
    announce("digits", path, status(1, 0, [[1.0, 0.5, 3.0]]), RULE, run_started=old - 50)
    announce("digits", path, status(1, 0, [[1.0, 0.5, 3.0]]), RULE, run_started=old - 50)
    assert capsys.readouterr().err.count("generation 1 of at most 8") == 1
