"""The golden-copy comparison: floats to a relative 1e-12, everything else exactly."""

from golden.snapshot import differences

GOLDEN = {
    "gen1/records/0.json": {
        "index": 0,
        "accuracy": 0.5,
        "phenotype_key": "q2_angle_L1_RX_CZ_linear",
        "training": {"loss_per_epoch": [1.2433943541985726]},
    }
}


def _changed(path, value):
    copy = {name: {**record, "training": {**record["training"]}} for name, record in GOLDEN.items()}
    *keys, last = path
    target = copy
    for key in keys:
        target = target[key]
    target[last] = value
    return copy


def test_last_bit_differences_in_floats_pass():
    current = _changed(["gen1/records/0.json", "training", "loss_per_epoch"], [1.2433943541985728])
    assert differences(current, GOLDEN) == []
    assert differences(GOLDEN, GOLDEN, rel=0) == []


def test_real_changes_are_reported_with_their_path():
    record = "gen1/records/0.json"
    cases = {
        (record, "accuracy"): 0.500000001,
        (record, "index"): 1,
        (record, "phenotype_key"): "q2_angle_L1_RY_CZ_linear",
        (record, "training", "loss_per_epoch"): [1.2433943541985726, 1.0],
    }
    for path, value in cases.items():
        found = differences(_changed(list(path), value), GOLDEN)
        assert len(found) == 1 and found[0].startswith("/" + "/".join(path)), (path, found)
    assert differences({}, GOLDEN) and differences({**GOLDEN, "extra": 1}, GOLDEN)
    assert differences(_changed([record, "accuracy"], 1), GOLDEN)  # an int where a float was
