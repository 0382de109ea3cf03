"""The code of a kernel template, run inside its sandbox as `python -c` (the sandbox cannot see
this package, so this file imports only the standard library). See kernel_template.py for the
design and the security argument.

  keeper    the sandbox's first process: forks the template and then only waits, so that the
            sandbox (and a kernel running in it) outlives a template that dies;
  template  imports what the kernels need, never runs student code, and forks one kernel per
            request it reads on its stdin (a pipe from the grader), answering on its stdout;
  child     gives up every file descriptor of the template, makes its own user, mount, pid, ipc,
            network and uts namespaces (all of the sandbox read-only but a fresh /tmp and scratch),
            forks the namespace's first process and waits for it;
  init      process 1 of the new pid namespace: a fresh /proc, no capabilities, its own session
            keyring; forks the kernel and ends when it ends (and with it the whole namespace);
  kernel    with its own CPU limit: an ipykernel on the connection file the grader made.
"""
import ctypes
import json
import os
import re
import signal
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
# x86_64 (the template refuses other machines)
SYS_MOUNT_SETATTR, SYS_KEYCTL, SYS_CAPSET, SYS_OPEN_TREE, SYS_MOVE_MOUNT = 442, 250, 126, 428, 429
MOUNT_ATTR_RDONLY, AT_FDCWD, AT_RECURSIVE, OPEN_TREE_CLONE, MOVE_MOUNT_F_EMPTY_PATH = 1, -100, 0x8000, 1, 4
KEYCTL_JOIN_SESSION_KEYRING = 1
LINUX_CAPABILITY_VERSION_3 = 0x20080522
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"   # what ipykernel sets when unset

libc = ctypes.CDLL(None, use_errno=True)


class MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def isolate(scratch: str, scratch_bytes: int, sockets: str) -> None:
    """New namespaces for one kernel: nothing it writes outlives it, and it cannot name the template."""
    uid, gid = os.getuid(), os.getgid()
    check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS),
          "unshare")
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as handle:
            handle.write(text)
    check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "private mounts")
    read_only = MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    with open("/proc/self/mountinfo") as handle:
        points = [mount_point(line.split()[4]) for line in handle]
    for point in points:
        # Device nodes stay writable (writing /dev/null stores nothing); /proc is replaced below; the
        # grader's socket folder is the grader's (the kernel may write only its own folder, until locked).
        if point in ("/proc", sockets) or point.startswith("/dev/"):
            continue
        check(libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, point.encode(), 0, ctypes.byref(read_only),
                           ctypes.sizeof(read_only)), f"read-only {point}")
    # What the sandbox mounted below /tmp is taken along into the fresh /tmp, at the same path: the
    # socket folder (at the grader's path) and, where the project lies below /tmp, its Python.
    below = [point for point in points if point.startswith("/tmp/")]
    kept = []
    for point in below:
        if any(point.startswith(f"{other}/") for other in below):
            continue   # it comes along with the mount above it
        tree = libc.syscall(SYS_OPEN_TREE, AT_FDCWD, point.encode(), OPEN_TREE_CLONE | AT_RECURSIVE)
        if tree < 0:
            check(-1, f"keep {point}")
        kept.append((point, tree))
    check(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=755"), "tmpfs /tmp")
    for point, tree in kept:
        os.makedirs(point, mode=0o711, exist_ok=True)
        check(libc.syscall(SYS_MOVE_MOUNT, tree, b"", AT_FDCWD, point.encode(), MOVE_MOUNT_F_EMPTY_PATH),
              f"keep {point}")
        os.close(tree)
        if point != sockets:   # read-only as before, and so everything mounted inside it
            check(libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, point.encode(), AT_RECURSIVE, ctypes.byref(read_only),
                               ctypes.sizeof(read_only)), f"read-only {point}")
    check(libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                     f"size={scratch_bytes},mode=755".encode()), "tmpfs scratch")


def mount_point(field: str) -> str:
    """A mount point as /proc/self/mountinfo writes it (space, tab, newline and backslash as octal escapes)."""
    return re.sub(r"\\([0-7]{3})", lambda escape: chr(int(escape.group(1), 8)), field)


def drop_capabilities() -> None:
    """Gives up the capabilities the new user namespace gave (they reach only its own namespaces)."""
    for capability in range(64):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() != 22:   # EINVAL: no such
            check(-1, "bounding set")
    header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    check(libc.syscall(SYS_CAPSET, header, data), "capset")
    with open("/proc/self/status") as handle:
        if any(line.startswith(("CapEff:", "CapPrm:", "CapBnd:")) and int(line.split()[1], 16)
               for line in handle):
            raise OSError("capabilities left")


def start_namespace(request: dict) -> None:
    """Process 1 of the kernel's new pid namespace (never returns): a fresh /proc, no capabilities,
    a session keyring of its own, then the kernel as its child; when the kernel ends, so does it,
    and with it every process of the namespace. (The kernel is not process 1 itself: process 1
    ignores signals it has no handler for, so a kernel killing itself would live on.)"""
    status = 70
    try:
        check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "death signal")
        check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "proc")
        if libc.syscall(SYS_KEYCTL, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
            check(-1, "session keyring")
        drop_capabilities()
        if not os.path.isfile(request["connection_file"]):   # ipykernel would make one of its own
            raise FileNotFoundError(request["connection_file"])
        kernel = os.fork()
        if kernel == 0:
            try:
                become_kernel(request)
                status = 0
            finally:
                os._exit(status)
        # The kernel may trace itself but not this process (whose parent it could otherwise name).
        check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")
        while True:   # orphans of the kernel come here to be reaped
            pid, code = os.wait()
            if pid == kernel:
                status = os.waitstatus_to_exitcode(code)
                break
    finally:
        os._exit(status if status >= 0 else 128 - status)


def become_kernel(request: dict) -> None:
    """In the forked kernel: its own CPU limit, then ipykernel as `python -m ipykernel_launcher` runs it."""
    import resource

    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "death signal")
    resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_seconds"], request["cpu_seconds"]))
    os.chdir(request["scratch"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if "numpy" in sys.modules:   # its global generator was seeded once in the template
        sys.modules["numpy"].random.seed()
    sys.path[0] = os.getcwd()   # as for `python -m`
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"], "--HistoryManager.hist_file=:memory:"]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=sys.argv[1:])


def run_child(request: dict) -> None:
    """The forked child (never returns): isolates itself, starts the namespace and waits for it."""
    status = 70
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        os.closerange(3, 65536)
        # A kernel may inspect itself, as any process may (and writing its own uid map needs it).
        check(libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "dumpable")
        isolate(request["scratch"], request["scratch_bytes"], request["sockets"])
        first = os.fork()
        if first == 0:
            start_namespace(request)
        status = os.waitstatus_to_exitcode(os.waitpid(first, 0)[1])
    finally:
        os._exit(status if status >= 0 else 128 - status)


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


def reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def warm_tracebacks() -> None:
    """Formats one traceback as a kernel does, so that the caches its first one would fill (inspect's
    map of every imported module to its file, the syntax highlighter's compiled patterns) are filled
    once here; each kernel gets them by the fork, as it gets the imports."""
    from IPython.core import ultratb

    try:
        raise ValueError("warm-up")
    except ValueError:
        ultratb.AutoFormattedTB(mode="Context", tb_offset=0).structured_traceback(*sys.exc_info())


def serve(modules: list[str]) -> None:
    # Only the kernels may be inspected or traced by their own uid, never the template.
    check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")
    for name in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(name, signal.SIG_DFL)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # imported once here, for every kernel: the app, and the kernel class with its debugger, which
    # the app would import as it starts
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    failed = []
    for module in modules:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 -- the kernel's warm-up reports it, as without a template
            failed.append(module)
    warm_tracebacks()
    if threads() != 1:   # fork copies only the calling thread: a thread's locks would be left held
        reply({"error": f"the template runs {threads()} threads after its imports"})
        return
    reply({"ready": os.getpid(), "failed": failed})
    for line in sys.stdin:
        request = json.loads(line)
        while True:   # children that ended
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        child = os.fork()
        if child == 0:
            run_child(request)
        reply({"forked": child})


def main() -> None:
    config = json.loads(sys.argv[1])
    if os.uname().machine != "x86_64":
        reply({"error": "kernel templates need x86_64"})
        return
    template = os.fork()
    if template:
        for descriptor in (0, 1):
            os.close(descriptor)
        while True:
            signal.pause()
    serve(config["modules"])


if __name__ == "__main__":
    main()
