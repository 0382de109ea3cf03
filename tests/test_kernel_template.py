"""Kernels forked from a pre-imported template (autograder/kernels/kernel_template.py), with real
bubblewrap sandboxes and real kernels: a kernel leaves nothing behind that the next kernel of the
same template could see, cannot reach its template, and a template that dies or stops loses no
kernel. That scores are the same as with kernels started from scratch: test_grade_nbgrader.py."""
import asyncio
import json
import os
import signal
import tempfile
from pathlib import Path

import pytest

from autograder.judging import grading, integrity
from autograder.kernels import kernel, kernel_template, limits, sandbox
from grading_helpers import require_bwrap

pytestmark = pytest.mark.sandbox

WARMUP = integrity.guard_code(["numpy", "json"], {"np": "numpy", "json": "json"})

# What one submission tries to leave behind or to reach.
MISCHIEF = r'''
import ctypes, json, os, signal, subprocess, sys
import numpy as np
libc = ctypes.CDLL(None, use_errno=True)
json.LEAK = "module attribute"
os.environ["LEAK"] = "environment"
np.random.seed(1234)
for path in ("/tmp/leak", "/submission/leak", "/tmp/ipython/profile_default/startup/leak.py"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write("LEAKED = True\n")
refused = []
# The Python environment (below /tmp where the project lies there) and the empty folder over its debugger.
python = [f"{sys.prefix}/leak", *(f"{found}/leak" for found in __import__("glob").glob(f"{sys.prefix}/lib/python3*/site-packages/debugpy"))]
for path in ("/etc/leak", "/leak", "/dev/leak", "/etc/ipython/ipython_kernel_config.py", *python):
    try:
        open(path, "w").write("c = get_config()\n")
    except OSError:
        refused.append(path)
subprocess.Popen(["sleep", "600"], start_new_session=True)
libc.shmget(4242, 4096, 0o1666)                                              # System V shared memory
libc.syscall(248, b"user", b"leak", b"secret", 6, ctypes.c_int(-3))          # session keyring
libc.syscall(248, b"user", b"leak", b"secret", 6, ctypes.c_int(-4))          # user keyring
def started_here(pid):   # this kernel's own children (the sleep above, or a fork not yet exec'd)
    try:
        return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except FileNotFoundError:
        return True
others = [pid for pid in os.listdir("/proc") if pid.isdigit() and int(pid) != os.getpid() and not started_here(pid)]
try:
    os.kill(-1, signal.SIGSTOP)   # every process this kernel may signal, but itself
except ProcessLookupError:
    pass
print(json.dumps({"refused": refused, "python": python, "ppid": os.getppid(), "others": others, "pid": os.getpid()}))
'''

LOOK = r'''
import ctypes, json, os, sys
import numpy as np
libc = ctypes.CDLL(None, use_errno=True)
found = {"module": hasattr(sys.modules["json"], "LEAK"), "env": "LEAK" in os.environ,
         "files": [p for p in ("/tmp/leak", "/submission/leak", "/tmp/ipython/profile_default/startup/leak.py") if os.path.exists(p)],
         "processes": [open(f"/proc/{p}/cmdline").read() for p in os.listdir("/proc") if p.isdigit() and int(p) > 2],
         "shm": open("/proc/sysvipc/shm").read().splitlines()[1:],
         "session_key": libc.syscall(249, b"user", b"leak", None, ctypes.c_int(-3)),   # request_key
         "user_key": libc.syscall(249, b"user", b"leak", None, ctypes.c_int(-4)),
         "seeded": bool(np.random.randint(0, 2**31) == 822569775)}                     # after seed(1234)
print(json.dumps(found))
'''


async def run(k: kernel.Kernel, code: str) -> str:
    """Runs `code` as a cell; returns what it printed (failing on an error)."""
    msg_id = k.kc.execute(code)
    printed = []
    while True:
        msg = await k.kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            raise AssertionError(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(printed)


@pytest.fixture
def pool():
    require_bwrap()
    if kernel_template.available(kernel.Settings(timeout=30, submission_seconds=60, memory_bytes=2**30)):
        pytest.skip("kernel templates need root and cgroups")
    workspace = Path(tempfile.mkdtemp(prefix="autograder-"))
    workspace.chmod(0o711)
    settings = kernel.Settings(timeout=30, submission_seconds=120, memory_bytes=2**30)
    loop = asyncio.new_event_loop()
    made = loop.run_until_complete(_pool(settings, workspace))
    yield loop, made
    loop.run_until_complete(made.close())
    loop.close()
    os.system(f"rm -rf {workspace}")


async def _pool(settings, workspace):
    return grading.KernelPool(settings, workspace, WARMUP, 1, needed=100)


async def same_template(made: grading.KernelPool, template) -> kernel.Kernel:
    """The next kernel forked from `template` (the pool may use other slots between)."""
    for _ in range(2 * len(made.free_uids) + 3):
        k = await made.get()
        assert k.setup_error is None
        if k.template is template:
            return k
        await made.release(k)
    raise AssertionError("the template was not used again")


def test_the_next_kernel_of_a_template_sees_nothing_of_the_last(pool):
    loop, made = pool

    async def scenario():
        first = await made.get()
        assert first.setup_error is None and first.template is not None, made.kernels
        template = first.template
        seen = json.loads((await run(first, MISCHIEF)).strip().splitlines()[-1])
        # It could not write outside its own /tmp and scratch, saw no process but its own, and had
        # no parent to signal, trace or read: the template is outside its pid namespace.
        assert seen["refused"] == ["/etc/leak", "/leak", "/dev/leak", "/etc/ipython/ipython_kernel_config.py",
                                   *seen["python"]] and len(seen["python"]) == 2
        assert seen["ppid"] == 1 and seen["others"] == ["1"] and seen["pid"] == 2
        # The template is not dumpable: its /proc files belong to root, not to the sandbox's uid.
        assert os.stat(f"/proc/{template.template_pid}/mem").st_uid == 0
        await made.release(first)
        # Nothing of the first kernel's processes is left in the slot, and the template runs on.
        assert limits.pids(template.groups) <= template.keep
        assert kernel_template.usable(template)
        second = await same_template(made, template)
        found = json.loads((await run(second, LOOK)).strip().splitlines()[-1])
        await made.release(second)
        return found

    found = loop.run_until_complete(scenario())
    assert found == {"module": False, "env": False, "files": [], "processes": [], "shm": [],
                     "session_key": -1, "user_key": -1, "seeded": False}


def test_a_template_that_dies_or_stops_loses_no_kernel(pool):
    loop, made = pool

    async def kernel_on_slot(pool, slot):
        """The next kernel of `slot` (the others are handed back)."""
        found = await pool.get()
        while found.uid_slot != slot:
            await pool.release(found)
            found = await pool.get()
        return found

    async def scenario():
        running = await made.get()
        template = running.template
        assert template is not None, made.kernels
        os.kill(template.template_pid, signal.SIGKILL)
        # The kernel it forked goes on (the sandbox's keeper holds the sandbox, not the template).
        assert (await run(running, "print(6 * 7)")).strip() == "42"
        await made.release(running)
        assert not kernel_template.usable(template)
        replaced = await kernel_on_slot(made, template.slot)
        assert replaced.setup_error is None and replaced.template is not template
        assert (await run(replaced, "print(sum(range(4)))")).strip() == "6"
        # A stopped template is replaced too, before it serves again.
        stopped = replaced.template
        os.kill(stopped.template_pid, signal.SIGSTOP)
        await made.release(replaced)
        assert not kernel_template.usable(stopped)
        again = await kernel_on_slot(made, stopped.slot)
        assert again.setup_error is None and again.template is not stopped
        assert (await run(again, "print('ok')")).strip() == "ok"
        await made.release(again)

    loop.run_until_complete(scenario())


def test_kernels_start_from_scratch_where_templates_cannot_be_used():
    settings = kernel.Settings(timeout=30, submission_seconds=60, memory_bytes=2**30, sandboxed=False)
    assert kernel_template.available(settings) == "grading runs without a sandbox"
    settings.sandboxed, settings.kernel_templates = True, False
    assert kernel_template.available(settings) == "asked for with --fresh-kernels"
    assert kernel_template.preloaded_modules(WARMUP)[:2] == ["numpy", "json"]
    assert sandbox.SCRATCH == "/submission"
