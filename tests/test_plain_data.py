"""The plain-data codec between the student's kernel and the verdict kernel (autograder/judging/plain.py):
values come back as they were, with their exact types; anything else is refused, never pickled."""
import base64
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from autograder.judging import plain


VALUES = [
    None, True, 0, -3, 2**80, 1.5, math.inf, "Tafel ÄÖÜ", b"\x00\xff", [1, [2.0, "x"]], (1, "a"), {1, 2},
    frozenset({"a"}), {"a": 1, 2: [None], (1, 2): {"b": b"c"}},
    np.arange(6).reshape(2, 3), np.array([1.5, np.nan]), np.array(["a", "bc"]),
    np.array(["2025-01-01"], dtype="datetime64[D]"), np.array([["a", None], [1, 2.5]], dtype=object), np.float64(0.25), np.int32(7), np.bool_(True),
    pd.DataFrame({"site": ["Altstadt", "Nord", None], "kg": [1.5, 2.0, np.nan], "n": [1, 2, 3],
                  "when": pd.to_datetime(["2025-01-01", "2025-01-08", "2025-01-15"]),
                  "kind": pd.Categorical(["a", "b", "a"], ordered=True)}, index=[10, 20, 30]),
    pd.Series([1.0, 2.5], index=pd.Index(["a", "b"], name="site"), name="kg"),
    pd.Series([1, 2], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["x", "y"])),
    pd.Series([1, None], dtype="Int64"), pd.Series(["a", None], dtype="string"),
    pd.Series([1, 2], dtype=object), pd.RangeIndex(2, 10, 2, name="r"),
    pd.DataFrame({"a": [1, 2]}).groupby("a").size(),
]


def assert_same(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            assert_same(a[key], b[key])
    else:
        assert a == b or (a != a and b != b)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_round_trip_keeps_value_and_exact_type(value):
    assert_same(value, plain.loads(plain.dumps(value)))


class Everything(str):
    def __eq__(self, other):
        return True


class FakeFrame(pd.DataFrame):
    pass


@pytest.mark.parametrize("value", [
    Everything("x"), [1, Everything("x")], FakeFrame({"a": [1]}), np.array([object()], dtype=object),
    np.array([Everything("x")], dtype=object),
    pd.Series([object()]), type("Float", (float,), {})(1.0), print, object(), {"k": lambda: 1},
    np.ma.masked_array([1, 2]),
], ids=repr)
def test_subclasses_objects_and_functions_are_not_plain(value):
    with pytest.raises(plain.NotPlain):
        plain.encode(value)


def _npy_with_pickle() -> str:
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("data", [
    {"t": "ndarray", "v": _npy_with_pickle()},            # a pickled object array is never loaded
    {"t": "pickle", "v": ""}, {"a": 1}, [1, 2], {"t": "list", "v": "abc"}, {"t": "dict", "v": [[1, 2, 3]]},
    {"t": "Series", "v": {"t": "objects", "v": [1]}, "index": 5},
    {"t": "extension", "dtype": "object", "v": []},
    {"t": "Index", "v": {"t": "extension", "dtype": "category", "v": []}},
], ids=repr)
def test_decoder_refuses_unknown_or_malformed_data(data):
    with pytest.raises((ValueError, TypeError)):
        plain.decode(data if "t" not in data or data["t"] != "Index" else data)


def test_deep_nesting_is_refused_both_ways():
    deep = []
    for _ in range(50):
        deep = [deep]
    with pytest.raises(plain.NotPlain):
        plain.encode(deep)
    text = '{"t": "list", "v": [' * 50 + ']}' * 50
    with pytest.raises(ValueError):
        plain.decode(json.loads(text))
