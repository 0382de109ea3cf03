"""The kernels' side of judging answers outside the student's kernel (verdict.py is the grader's).

Sent as source, with plain.py, into every kernel at warm-up (as the modules ANSWERS and PLAIN):
- in the student's kernel, capture() encodes the values of named variables as plain data, and a
  value that is not plain (a function, a fitted model) as a handle; serve() answers a call, an
  attribute read or an item read on a handle, with plain data or a new handle. Student code can
  replace all of this: what comes back is only data, like a typed-in answer.
- in the verdict kernel, which never runs student code, inject() puts the decoded values into the
  notebook's namespace, a handle as a Proxy whose use goes to the student's kernel through the
  stdin channel (input_request; the grader answers it, verdict.py). A call that fails there
  raises here, so the test fails.

Messages are base64 of JSON, so they pass the stdin channel and repr() unchanged."""
import base64
import json
import sys

PLAIN = "__autograder_plain__"
ANSWERS = "__autograder_answers__"
REQUEST = "__autograder_request__:"   # how a proxy's input prompt starts


def _pack(data) -> str:
    return base64.b64encode(json.dumps(data, allow_nan=False).encode()).decode("ascii")


def _unpack(text: str):
    return json.loads(base64.b64decode(text, validate=True))


# --- the student's kernel ---

_handles: dict = {}
_sent: dict = {}


def _encode(value):
    plain = sys.modules[PLAIN]
    try:
        return plain.encode(value)
    except Exception:  # noqa: BLE001 -- whatever the value does, it is not plain
        pass
    if type(value) is type(sys) or isinstance(value, type):
        return {"t": "absent"}   # modules and classes come from the course's own code
    number = len(_handles) + 1
    _handles[number] = value
    return {"t": "handle", "id": number}


def capture(names) -> str:
    """The named variables that exist; one that is unchanged since its last capture as "same"."""
    from IPython import get_ipython
    namespace = get_ipython().user_ns
    found = {}
    for name in names:
        if name in namespace:
            encoded = _encode(namespace[name])
            text = json.dumps(encoded, sort_keys=True)
            unchanged = _sent.get(name) == text and not (type(encoded) is dict and encoded.get("t") == "handle")
            found[name] = {"t": "same"} if unchanged else encoded
            _sent[name] = text
    return _pack(found)


def serve(request: str) -> str:
    try:
        ask = _unpack(request)
        _write_files(ask.get("files") or {})
        target = _handles[ask["h"]]
        if ask["op"] == "getattr":
            result = getattr(target, ask["name"])
        elif ask["op"] == "getitem":
            result = target[_decode(ask["key"])]
        else:
            result = target(*[_decode(a) for a in ask["args"]], **{k: _decode(v) for k, v in ask["kwargs"]})
        return _pack({"ok": _encode(result)})
    except Exception as problem:  # noqa: BLE001 -- the test on the other side gets the error
        return _pack({"error": f"{type(problem).__name__}: {str(problem)[:300]}", "type": type(problem).__name__,
                      "message": str(problem)[:300]})


def _write_files(files) -> None:
    """Files the tests wrote in the verdict kernel's folder, for a call that reads them."""
    import os
    for path, content in files.items():
        if os.path.isabs(path) or ".." in path.split(os.sep):
            continue
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(content))


def _decode(data):
    if type(data) is dict and data.get("t") == "ref":
        return _handles[data["id"]]
    return sys.modules[PLAIN].decode(data)


# --- the verdict kernel ---

class AnswerError(Exception):
    """A call to the student's answer failed in the student's kernel (or that kernel is gone)."""


class Proxy:
    """A function or object of the student's answer; every use is answered by the student's kernel."""

    def __init__(self, handle: int, name: str):
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return _ask({"op": "getattr", "h": self._handle, "name": attribute}, f"{self._name}.{attribute}")

    def __call__(self, *args, **kwargs):
        return _ask({"op": "call", "h": self._handle, "args": [_argument(a) for a in args],
                     "kwargs": [[k, _argument(v)] for k, v in kwargs.items()]}, f"{self._name}(...)")

    def __getitem__(self, key):
        return _ask({"op": "getitem", "h": self._handle, "key": _argument(key)}, f"{self._name}[...]")

    def __repr__(self):
        return f"<answer {self._name}>"

    def __bool__(self):
        # An object the answer made must not pass `assert answer(...)` by being there.
        raise AnswerError(f"{self._name} is no plain value (a number, text, list or table) and has no truth value")

    __iter__ = None   # not through __getitem__ either: an object could answer forever


def _argument(value):
    if type(value) is Proxy:
        return {"t": "ref", "id": value._handle}
    return sys.modules[PLAIN].encode(value)


def _result(data, name: str):
    if type(data) is dict and data.get("t") == "handle" and type(data.get("id")) is int:
        return Proxy(data["id"], name)
    return sys.modules[PLAIN].decode(data)


_baseline: dict | None = None
MAX_FILE_BYTES = 2_000_000


def _changed_files() -> dict:
    """Files in the working folder written since the first values were put in (a test may write
    one and hand its name to the answer), each sent once per change."""
    import os
    global _baseline
    seen = {}
    for folder, _, names in os.walk("."):
        for name in names:
            path = os.path.normpath(os.path.join(folder, name))
            try:
                info = os.stat(path)
            except OSError:
                continue
            seen[path] = (info.st_mtime_ns, info.st_size)
    if _baseline is None:
        _baseline = seen
        return {}
    changed, total = {}, 0
    for path, stamp in seen.items():
        if _baseline.get(path) != stamp and stamp[1] + total <= MAX_FILE_BYTES:
            with open(path, "rb") as handle:
                changed[path] = base64.b64encode(handle.read()).decode("ascii")
            total += stamp[1]
            _baseline[path] = stamp
    return changed


def _ask(request, name: str):
    import builtins
    request["files"] = _changed_files()
    try:
        answer = _unpack(builtins.input(REQUEST + _pack(request)))
    except Exception as problem:  # noqa: BLE001 -- no valid answer is a failed call
        raise AnswerError(f"{name}: no valid answer from the student's kernel ({type(problem).__name__})") from None
    if type(answer) is not dict or ("ok" not in answer and "error" not in answer):
        raise AnswerError(f"{name}: no valid answer from the student's kernel")
    if "error" in answer:
        # An answer that raises ValueError raises ValueError here too (a test may expect it).
        kind = getattr(builtins, str(answer.get("type")), None)
        if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == "builtins":
            raise kind(str(answer.get("message", "")))
        raise AnswerError(f"{name}: {answer['error']}")
    return _result(answer["ok"], name)


def inject(values: str) -> str:
    """Binds the captured values (the grader chose them) in the notebook's namespace; says done."""
    from IPython import get_ipython
    namespace = get_ipython().user_ns
    if _baseline is None:
        _changed_files()
    for name, data in _unpack(values).items():
        try:
            namespace[name] = _result(data, name)
        except Exception:  # noqa: BLE001 -- a malformed value is not there: the tests that read it fail
            namespace.pop(name, None)
    return _pack(True)


def kernel_code() -> str:
    """Trusted warm-up code that makes plain.py and this module importable in a kernel."""
    import inspect
    from autograder.judging import plain
    sources = [(PLAIN, inspect.getsource(plain)), (ANSWERS, inspect.getsource(sys.modules[__name__]))]
    return ("def _autograder_answers(sources):\n"
            "    import sys, types\n"
            "    for name, source in sources:\n"
            "        module = types.ModuleType(name)\n"
            "        exec(compile(source, name, 'exec'), module.__dict__)\n"
            "        sys.modules[name] = module\n"
            f"_autograder_answers({sources!r}); del _autograder_answers\n")
