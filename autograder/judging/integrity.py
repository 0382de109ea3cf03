"""Keeps student code from turning a wrong answer into points, and lists suspicious code.

Layers (the threat model is in book/grading-security.*.md):
1. A test cell scores only when the grader saw its execute *reply* say "ok" (runner.py); what
   student code prints does not matter, so silencing tracebacks (showtraceback, set_custom_exc,
   sys.excepthook) does not turn a failure into a pass, and a cell that never ran never scores.
2. A guard, installed by trusted code before any student code runs, remembers the objects tests
   rely on: builtins, testing libraries (unittest, numpy.testing, pandas.testing), numpy's and
   pandas' own functions, the names the assignment's imports bind, IPython's hooks (traceback
   display, custom exception handlers, input and AST transformers, the compiler, event callbacks,
   the kernel's execute handler and the session that signs its replies) and every class that
   exists. After every test cell the grader runs a probe with a fresh random nonce that must
   *fail* with exactly that nonce: a probe that passes means errors are being swallowed; a probe
   that reports changed objects, or a value the test read whose class was made by the submission
   and decides how it compares, means tampering. That test cell and all later ones then score 0
   and the submission is flagged. The guard runs inside the student's process, so it is no proof;
   the scores come from a clean kernel that never runs student code (verdict.py), and the guard
   can only lower them and flag the attempt for the trainer.
3. Hidden tests never run in a kernel whose outputs the learner sees (grading.run).
4. A static scan of every cell that is not the trainer's lists code that has no business in an
   exercise answer (process exits and signals, patching modules or IPython, introspection of
   frames, ...), for the trainer to look at. It changes no score by itself.
"""
import ast
import json
import re
import secrets

from autograder.reasons import reason


GUARD_MODULE = "__autograder_guard__"
TESTING_MODULES = ["unittest", "unittest.case", "math", "operator"]
# Imported with these packages: the packages' public functions (np.isclose, ...) and their testing modules.
TESTING_WITH = {"numpy": ["numpy", "numpy.testing"], "pandas": ["pandas", "pandas.testing"]}
WATCHED_CLASSES = {"unittest": "TestCase", "pandas": "DataFrame Series Index"}
SHELL_HOOKS = ["ask_exit", "compile", "showtraceback", "_showtraceback", "showsyntaxerror", "CustomTB", "set_custom_exc", "run_cell",
               "run_cell_async", "run_ast_nodes", "run_code", "transform_cell", "transform_ast",
               "displayhook", "display_pub", "excepthook", "should_run_async"]
SHELL_LISTS = ["input_transformers_cleanup", "input_transformers_post", "ast_transformers", "custom_exceptions"]
KERNEL_HOOKS = ["do_execute", "execute_request", "dispatch_shell", "send_response"]
# A value a test looks at must not be of a class made by student code that decides how it compares,
# converts or counts (an object equal to everything passes any `==`), however that class was made.
JUDGED_DUNDERS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__", "__len__", "__abs__",
                  "__float__", "__int__", "__index__", "__round__", "__complex__", "__add__", "__radd__", "__sub__",
                  "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__contains__", "__array__",
                  "__array_ufunc__", "__array_function__", "__instancecheck__"}
# Containers of arbitrary objects, looked into when their dtype is object.
ARRAYS = [("numpy", "ndarray"), ("pandas", "Series"), ("pandas", "DataFrame")]
# Event callbacks that libraries register themselves (matplotlib's inline backend).
ALLOWED_CALLBACK_MODULES = ("matplotlib", "matplotlib_inline", "ipykernel", "IPython", "ipywidgets")

GUARD_SOURCE = r'''
def _autograder_install_guard(preload, testing, aliases, constants):
    import builtins, importlib, sys, types
    # Bound here, so that the checks never look them up in the notebook's namespace, where a
    # student may well have a variable called `id`, `sum` or `type`.
    from builtins import (all, any, callable, dict, enumerate, frozenset, getattr, hasattr, id, isinstance, len,
                          list, object, set, str, tuple, type, vars, zip)
    WATCHED_CLASSES, SHELL_HOOKS, SHELL_LISTS, KERNEL_HOOKS, ALLOWED, GUARD_NAME, JUDGED, ARRAYS = constants
    JUDGED = set(JUDGED)
    for name in preload + testing:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    shell = get_ipython()
    # exit() in a cell stops some ipykernel versions a moment later and others not at all; with
    # this it never does, so the grade cannot depend on timing (the code scan still flags it).
    shell.keepkernel_on_exit = True
    # exit() sets keepkernel_on_exit back before it asks: so asking ends nothing either.
    shell.ask_exit = lambda: None
    kernel = getattr(shell, "kernel", None)
    missing = object()
    VOLATILE = ("_", "__", "___", "input", "raw_input", "getpass")   # the kernel sets these per request

    def watched_dicts():
        found = {"builtins": builtins}
        for name in testing:
            if name in sys.modules:
                found[name] = sys.modules[name]
        for module, classes in WATCHED_CLASSES.items():
            for cls in classes.split():
                if module in sys.modules and hasattr(sys.modules[module], cls):
                    found[module + "." + cls] = getattr(sys.modules[module], cls)
        # Dunder entries (__warningregistry__, ...) change by themselves, except in builtins.
        return {label: (obj, {key: value for key, value in vars(obj).items()
                              if label == "builtins" or not key.startswith("__")})
                for label, obj in found.items()}

    def hooks():
        state = {}
        for name in SHELL_HOOKS:
            state["shell." + name] = (vars(shell).get(name, missing), getattr(type(shell), name, missing))
        for name in SHELL_LISTS:
            state["shell." + name] = tuple(getattr(shell, name, ()))
        manager = getattr(shell, "input_transformer_manager", None)
        for name in ("cleanup_transforms", "line_transforms", "token_transformers"):
            state["input_transformer_manager." + name] = tuple(getattr(manager, name, ()))
        state["input_transformer_manager"] = manager
        for event, callbacks in shell.events.callbacks.items():
            state["events." + event] = tuple(cb for cb in callbacks
                                             if not str(getattr(cb, "__module__", "")).startswith(ALLOWED))
        # What turns a cell into code (assert statements could be dropped there) and what sends the
        # kernel's replies (a forged "ok"), on the instance and on its class.
        for label, owner, names in (("compile", getattr(shell, "compile", None), ("ast_parse", "__call__", "cache")),
                                    ("session", getattr(kernel, "session", None), ("send", "serialize", "sign"))):
            state[label] = owner
            for name in names:
                state[label + "." + name] = (vars(owner).get(name, missing) if hasattr(owner, "__dict__") else missing,
                                             getattr(type(owner), name, missing))
        if kernel is not None:
            for name in KERNEL_HOOKS:
                state["kernel." + name] = (vars(kernel).get(name, missing), getattr(type(kernel), name, missing))
            state["kernel.shell_handlers"] = dict(kernel.shell_handlers)
        state["sys.excepthook"] = sys.excepthook
        state["sys.displayhook"] = sys.displayhook
        state["sys.trace"] = (sys.gettrace(), sys.getprofile())
        return state

    def identical(a, b):
        # bound methods are made anew on every access: compare what they bind
        return getattr(a, "__func__", a) is getattr(b, "__func__", b) and \
            getattr(a, "__self__", None) is getattr(b, "__self__", None)

    def same(a, b):
        if isinstance(a, tuple) and isinstance(b, tuple):
            return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
        return identical(a, b)

    def resolve(target):
        module, _, attr = target.partition(":")
        obj = sys.modules.get(module, missing)
        return getattr(obj, attr, missing) if attr and obj is not missing else obj

    dicts, hook_state, initial_user = watched_dicts(), hooks(), dict(shell.user_ns)
    expected_aliases = {name: resolve(target) for name, target in aliases.items()}
    # Read through type's own descriptors: a class made by student code cannot answer for itself.
    mro_of, dict_of = type.__dict__["__mro__"].__get__, type.__dict__["__dict__"].__get__

    def all_classes():
        found, stack = {id(object): object}, [object]
        while stack:
            for sub in type.__subclasses__(stack.pop()):
                if id(sub) not in found:
                    found[id(sub)] = sub
                    stack.append(sub)
        return found
    known_classes = all_classes()   # by id: a metaclass may fake equality and hashing

    def made_up(value, depth, budget):
        """The name of a class made after the guard that decides how `value` (or something in it) compares."""
        cls = type(value)
        for klass in mro_of(cls) + mro_of(type(cls)):
            if id(klass) not in known_classes and JUDGED.intersection(dict_of(klass)):
                return type.__dict__["__name__"].__get__(klass)
        if depth >= 3:
            return None
        items = ()
        if cls in (list, tuple, set, frozenset):
            items = value
        elif cls is dict:
            items = [*dict.keys(value), *dict.values(value)]
        elif any(cls is getattr(sys.modules.get(module), name, None) for module, name in ARRAYS):
            if "O" in [dtype.kind for dtype in ([value.dtype] if hasattr(value, "dtype") else list(value.dtypes))]:
                items = value.to_numpy().ravel() if hasattr(value, "to_numpy") else value.ravel()
        for count, item in enumerate(items):
            if count >= budget:
                break
            found = made_up(item, depth + 1, budget // 4)
            if found:
                return found
        return None

    def check(names=()):
        problems = []
        user = shell.user_ns
        for name in names:
            if name in user:
                found = made_up(user[name], 0, 10000)
                if found:
                    problems.append(name + " is judged by a class the submission made (" + found + ")")
        for label, (obj, before) in dicts.items():
            now = vars(obj)
            problems += [label + "." + key + " replaced" for key, value in before.items()
                         if key not in VOLATILE and now.get(key, missing) is not value]
        now_hooks = hooks()
        problems += [name + " changed" for name, value in hook_state.items() if not same(value, now_hooks.get(name))]
        for name, value in user.items():
            original = initial_user.get(name, vars(builtins).get(name, missing))
            if name in vars(builtins) and value is not original and callable(value) and not name.startswith("_"):
                problems.append("builtin " + name + " shadowed")
        for name, value in expected_aliases.items():
            # A module name rebound to anything, or a function name to another function (a
            # result stored under the function's name is a slip, not an attack).
            now = user.get(name, value)
            if value is not missing and now is not value and (isinstance(value, types.ModuleType) or callable(now)):
                problems.append(name + " rebound")
        return problems

    guard = types.ModuleType(GUARD_NAME)
    guard.check = check
    sys.modules[GUARD_NAME] = guard
'''


def guard_code(preload: list[str], aliases: dict[str, str]) -> str:
    """Trusted warm-up code: imports what the assignment needs, then installs the guard."""
    testing = list(TESTING_MODULES)
    for module, extra in TESTING_WITH.items():
        if module in preload:
            testing += extra
    constants = (WATCHED_CLASSES, SHELL_HOOKS, SHELL_LISTS, KERNEL_HOOKS, ALLOWED_CALLBACK_MODULES, GUARD_MODULE,
                 sorted(JUDGED_DUNDERS), ARRAYS)
    call = f"_autograder_install_guard({preload!r}, {testing!r}, {aliases!r}, {constants!r})\n"
    return GUARD_SOURCE + call + "del _autograder_install_guard\n"


def new_probe(names: list[str] = ()) -> tuple[str, str]:
    """A probe cell and its nonce. It looks like a test: an assert that must fail. `names` are the
    variables the test cell before it read: their values are judged by their exact classes."""
    nonce = secrets.token_hex(8)
    code = (f"assert False, {nonce!r} + ':' + __import__('json').dumps("
            f"__import__('sys').modules[{GUARD_MODULE!r}].check({sorted(names)!r}))")
    return code, nonce


def loaded_names(source: str) -> list[str]:
    """The names a piece of (trusted test) code reads."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return []
    return sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)})


def probe_problem(reply: dict | None, nonce: str) -> str | None:
    """None when the probe failed exactly as it must; otherwise what it shows about the kernel."""
    if reply is None:
        return reason("probe_silent")
    content = reply["content"]
    if content.get("status") == "ok":
        return reason("errors_suppressed")
    if content.get("ename") != "AssertionError" or not content.get("evalue", "").startswith(nonce + ":"):
        return reason("probe_tampered_as", error=content.get("ename"))
    try:
        problems = json.loads(content["evalue"][len(nonce) + 1:])
    except ValueError:
        return reason("probe_tampered")
    if problems:
        return reason("changed", names=", ".join(problems[:8]) + (" ..." if len(problems) > 8 else ""))
    return None


def imports(sources: list[str]) -> tuple[list[str], dict[str, str]]:
    """Top-level modules the (trusted) source notebook imports, and the names they are bound to
    (name -> "module" or "module:attribute"), so the guard can tell when a name is rebound."""
    modules, aliases = [], {}
    for source in sources:
        try:
            tree = ast.parse(_without_magics(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    modules.append(alias.name)
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.append(node.module)
                for alias in node.names:
                    if alias.name != "*":
                        aliases[alias.asname or alias.name] = f"{node.module}:{alias.name}"
    return list(dict.fromkeys(modules)), aliases


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)

STRING_LITERAL = re.compile(r"""("|')(?:\\.|(?!\1).)*\1""")
NAME = re.compile(r"[A-Za-z_]\w*")


def hidden_test_lines(sources: list[str]) -> set[str]:
    """The distinctive lines of the assignment's hidden tests: short ones like `pass` say nothing,
    and a line of bare values (the rest of an expected list) is what a correct answer prints."""
    return {line.strip() for source in sources for block in HIDDEN.findall(source)
            for line in block.splitlines()
            if len(line.strip()) >= 12 and NAME.search(STRING_LITERAL.sub("", line))}


def _without_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


SUSPICIOUS_MODULES = {"builtins", "ctypes", "gc", "inspect", "signal", "atexit", "IPython", "ipykernel",
                      "traitlets", "importlib", "subprocess", "socket", "multiprocessing", "threading",
                      "unittest", "pty", "resource", "sys"}
SUSPICIOUS_NAMES = {"excepthook", "displayhook", "showtraceback", "_showtraceback", "showsyntaxerror",
                    "set_custom_exc", "CustomTB", "custom_exceptions", "input_transformers_cleanup",
                    "input_transformers_post", "input_transformer_manager", "ast_transformers", "events",
                    "run_cell", "run_code", "settrace", "setprofile", "_exit", "kill", "killpg", "abort",
                    "fork", "system", "execv", "execve", "__builtins__", "__import__", "f_locals", "f_globals",
                    "f_back", "__code__", "__subclasses__", "modules", "get_ipython", "testing", "kernel",
                    "shell_handlers", "__eq__", "__ne__", "__bool__", "__class__", "ast_parse", "session",
                    "_ip", "__dict__", "__mro__", "display_formatter", "formatters", "for_type", "payload_manager",
                    "ask_exit", "iopub_socket", "comm_manager"}
SUSPICIOUS_GLOBALS = {"__builtins__", "__import__", "get_ipython"}
SUSPICIOUS_CALLS = {"exec", "eval", "compile", "setattr", "delattr", "globals", "get_ipython", "exit", "quit",
                    "__import__", "breakpoint", "vars", "getattr", "locals"}


def scan(source: str, module_names: set[str]) -> list[str]:
    """What in one answer cell looks like an attempt to cheat or to break out (for the trainer).
    `module_names` are names bound to modules (np, pd, ...): assigning to their attributes patches them."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return []
    module_names = module_names | {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                                   if isinstance(node, ast.Import) for alias in node.names}
    found = []
    if any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        found.append(reason("shell_or_magic"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [reason("imports", module=a.name) for a in node.names if a.name.split(".")[0] in SUSPICIOUS_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in SUSPICIOUS_MODULES:
            found.append(reason("imports", module=node.module))
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_NAMES:
            found.append(reason("uses_attribute", name=node.attr))
        elif isinstance(node, ast.Name) and node.id in SUSPICIOUS_GLOBALS:
            found.append(reason("uses", name=node.id))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SUSPICIOUS_CALLS:
            found.append(reason("calls", name=node.func.id))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type" \
                and len(node.args) == 3:
            found.append(reason("makes_class"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in SUSPICIOUS_NAMES:
            found.append(reason("defines", name=node.name))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in module_names:
                    found.append(reason("assigns", target=ast.unparse(target)))
    return list(dict.fromkeys(found))
