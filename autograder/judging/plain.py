"""Plain data between kernels: values as JSON with type tags, never pickle.

Plain means None, bool, int, float, str, bytes; list, tuple, set, frozenset and dict of plain
values; numpy arrays and scalars of non-object dtypes; pandas DataFrame, Series and Index with
plain columns. Types are checked exactly (`type(x) is ...`): a subclass can change how a value
compares, so it is not plain. The decoder accepts only these tags and builds the exact types.

This module is also sent as source into the kernels (answers.py), so it imports nothing of the
grader and imports numpy and pandas only when a value needs them."""
import base64
import io
import json
import sys

SCALARS = (type(None), bool, int, float, str)
SEQUENCES = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
MAX_DEPTH = 20
# Extension dtypes of pandas whose values are plain scalars (missing ones as None).
EXTENSION_DTYPES = {"str", "string", "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
                    "UInt64", "Float32", "Float64"}


class NotPlain(Exception):
    """The value is not plain data (its type, or the type of something in it, is named)."""


def _module(name):
    return sys.modules.get(name)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _npy(array) -> str:
    import numpy as np
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return _b64(buffer.getvalue())


def _from_npy(text: str):
    import numpy as np
    return np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)


def encode(value, depth: int = 0):
    """A JSON-able form of `value`; raises NotPlain."""
    if depth > MAX_DEPTH:
        raise NotPlain("nested too deep")
    kind = type(value)
    if kind in SCALARS:
        return value if kind is not float else {"t": "float", "v": repr(value)}
    if kind is bytes:
        return {"t": "bytes", "v": _b64(value)}
    for tag, cls in SEQUENCES.items():
        if kind is cls:
            return {"t": tag, "v": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    np, pd = _module("numpy"), _module("pandas")
    if np is not None and kind is np.ndarray:
        if value.dtype.kind == "O":   # e.g. scikit-learn's predictions of text labels: plain items only
            return {"t": "objarray", "shape": list(value.shape),
                    "v": [encode(item, depth + 1) for item in value.ravel().tolist()]}
        if value.dtype.kind not in "biufcmMUS":
            raise NotPlain(f"numpy array of dtype {value.dtype}")
        return {"t": "ndarray", "v": _npy(value)}
    if np is not None and isinstance(value, np.generic) and kind is np.dtype(kind).type:
        if np.dtype(kind).kind not in "biufcmMUS":
            raise NotPlain(f"numpy scalar {kind.__name__}")
        return {"t": "npscalar", "v": _npy(np.asarray(value))}
    if pd is not None:
        if kind is pd.DataFrame:
            return {"t": "DataFrame", "columns": encode(value.columns, depth + 1), "index": encode(value.index, depth + 1),
                    "v": [_column(value.iloc[:, i], depth) for i in range(value.shape[1])]}
        if kind is pd.Series:
            return {"t": "Series", "v": _column(value, depth), "index": encode(value.index, depth + 1),
                    "name": encode(value.name, depth + 1)}
        if kind is pd.RangeIndex:
            return {"t": "RangeIndex", "v": [value.start, value.stop, value.step], "name": encode(value.name, depth + 1)}
        if kind is pd.MultiIndex:
            return {"t": "MultiIndex", "v": [_column(value.get_level_values(i), depth) for i in range(value.nlevels)],
                    "names": [encode(name, depth + 1) for name in value.names]}
        if kind in (pd.Index, pd.DatetimeIndex, pd.CategoricalIndex):
            return {"t": "Index", "v": _column(value, depth), "name": encode(value.name, depth + 1)}
    raise NotPlain(f"{kind.__module__}.{kind.__qualname__}")


def _column(values, depth: int):
    """The values of a Series or Index, by their dtype."""
    np, pd = _module("numpy"), _module("pandas")
    dtype = values.dtype
    if type(dtype) is pd.CategoricalDtype:
        return {"t": "Categorical", "v": _npy(np.asarray(values.cat.codes if hasattr(values, "cat") else values.codes)),
                "categories": encode(dtype.categories, depth + 1), "ordered": bool(dtype.ordered)}
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return {"t": "objects", "v": [encode(item, depth + 1) for item in values.tolist()]}
    if isinstance(dtype, np.dtype):
        return {"t": "ndarray", "v": _npy(values.to_numpy())}
    if str(dtype) in EXTENSION_DTYPES:
        items = [None if pd.isna(item) else item for item in values.tolist()]
        return {"t": "extension", "dtype": str(dtype), "v": [encode(item, depth + 1) for item in items]}
    raise NotPlain(f"pandas dtype {dtype}")


def decode(data, depth: int = 0):
    """The value of encode()'s form; raises ValueError for anything else."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deep")
    if type(data) in (type(None), bool, int, str):
        return data
    if type(data) is not dict or type(data.get("t")) is not str:
        raise ValueError(f"not a tagged value: {type(data).__name__}")
    tag, value = data["t"], data.get("v")
    if tag == "float":
        return float(_text(value))
    if tag == "bytes":
        return base64.b64decode(_text(value), validate=True)
    if tag in SEQUENCES:
        return SEQUENCES[tag](decode(item, depth + 1) for item in _list(value))
    if tag == "dict":
        pairs = [_list(pair) for pair in _list(value)]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError("a dict entry is not a pair")
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in pairs}
    if tag == "ndarray":
        return _plain_array(_from_npy(_text(value)))
    if tag == "objarray":
        import numpy as np
        shape = _list(data.get("shape"))
        items = [decode(item, depth + 1) for item in _list(value)]
        if not all(type(n) is int and n >= 0 for n in shape) or len(items) != int(np.prod(shape)):
            raise ValueError("a malformed object array")
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return array.reshape(shape)
    if tag == "npscalar":
        array = _plain_array(_from_npy(_text(value)))
        if array.shape != ():
            raise ValueError("a numpy scalar with a shape")
        return array[()]
    import pandas as pd
    if tag == "DataFrame":
        columns = [_decode_column(column, depth) for column in _list(value)]
        index, names = decode(data.get("index"), depth + 1), decode(data.get("columns"), depth + 1)
        if not isinstance(index, pd.Index) or not isinstance(names, pd.Index) or len(names) != len(columns):
            raise ValueError("a malformed DataFrame")
        frame = pd.DataFrame({i: pd.Series(column, index=index, copy=False) for i, column in enumerate(columns)},
                             index=index)
        frame.columns = names
        return frame
    if tag == "Series":
        index = decode(data.get("index"), depth + 1)
        if not isinstance(index, pd.Index):
            raise ValueError("a malformed Series")
        return pd.Series(_decode_column(value, depth), index=index, name=_name(data.get("name"), depth))
    if tag == "RangeIndex":
        start, stop, step = _list(value)
        if not all(type(n) is int for n in (start, stop, step)):
            raise ValueError("a malformed RangeIndex")
        return pd.RangeIndex(start, stop, step, name=_name(data.get("name"), depth))
    if tag == "MultiIndex":
        levels = [_decode_column(level, depth) for level in _list(value)]
        return pd.MultiIndex.from_arrays(levels, names=[_name(name, depth) for name in _list(data.get("names"))])
    if tag == "Index":
        return pd.Index(_decode_column(value, depth), name=_name(data.get("name"), depth))
    raise ValueError(f"unknown tag {tag!r}")


def _decode_column(data, depth: int):
    import numpy as np
    import pandas as pd
    if type(data) is not dict:
        raise ValueError("a malformed column")
    tag, value = data.get("t"), data.get("v")
    if tag == "ndarray":
        return _plain_array(_from_npy(_text(value)))
    if tag == "objects":
        items = [decode(item, depth + 1) for item in _list(value)]
        column = np.empty(len(items), dtype=object)
        column[:] = items
        return column
    if tag == "Categorical":
        categories = decode(data.get("categories"), depth + 1)
        if not isinstance(categories, pd.Index) or type(data.get("ordered")) is not bool:
            raise ValueError("a malformed Categorical")
        return pd.Categorical.from_codes(_plain_array(_from_npy(_text(value))), categories=categories,
                                         ordered=data["ordered"])
    if tag == "extension" and data.get("dtype") in EXTENSION_DTYPES:
        return pd.array([decode(item, depth + 1) for item in _list(value)], dtype=data["dtype"])
    raise ValueError(f"unknown column tag {tag!r}")


def _plain_array(array):
    if array.dtype.kind not in "biufcmMUS":
        raise ValueError(f"an array of dtype {array.dtype}")
    return array


def _name(data, depth: int):
    name = decode(data, depth + 1)
    if type(name) not in SCALARS + (tuple,):
        raise ValueError("a name that is not a scalar")
    return name


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("expected text")
    return value


def _list(value) -> list:
    if type(value) is not list:
        raise ValueError("expected a list")
    return value


def dumps(value) -> str:
    return json.dumps(encode(value), allow_nan=False)


def loads(text: str):
    return decode(json.loads(text))
