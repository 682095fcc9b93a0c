"""A seccomp filter for the sandbox, installed in the forked child just before it execs the runner.

Why: when the server does not run as root, the sandbox cannot get a uid of its own, so the kernel's
permission checks treat it like the server. RLIMIT_NOFILE=0 already stops everything that needs a
new file descriptor (open, socket, /proc), but not the calls that act by pid or by path without one.
This filter refuses those: signals and rlimits aimed at any other process, ptrace and
process_vm_*, pidfd_*, creating processes or threads, and every call that changes the file system
by path (unlink, rename, truncate, chmod, mkdir, ...). socket() fails with EACCES, so no packet can
ever leave. It is a deny list on purpose: everything CPython itself needs stays allowed.

Supported architectures: x86_64 (tested here) and aarch64 (numbers from asm-generic/unistd.h).
"""

from __future__ import annotations

import errno
import os
import platform
import struct

# struct sock_filter: u16 code, u8 jt, u8 jf, u32 k
_LD_W_ABS = 0x20       # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15          # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35          # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06          # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000

_NR_OFFSET = 0
_ARCH_OFFSET = 4
_ARG_LOW_OFFSETS = (16, 24, 32, 40, 48, 56)  # low 32 bits of args[i] (little-endian)

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

_DENIED_NAMES = (
    # other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_send_signal",
    "pidfd_getfd", "process_madvise", "perf_event_open", "bpf", "userfaultfd", "setpriority",
    "sched_setparam", "sched_setscheduler", "sched_setaffinity", "sched_setattr", "ioprio_set",
    "migrate_pages", "move_pages", "unshare", "setns", "personality", "keyctl", "add_key",
    "request_key", "fork", "vfork", "clone", "clone3",
    # the file system, by path or by an inherited descriptor
    "truncate", "ftruncate", "rename", "mkdir", "rmdir", "creat", "link", "unlink", "symlink",
    "chmod", "fchmod", "chown", "fchown", "lchown", "utime", "mknod", "utimes", "mkdirat",
    "mknodat", "fchownat", "futimesat", "unlinkat", "renameat", "linkat", "symlinkat", "fchmodat",
    "utimensat", "renameat2", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr",
    "fremovexattr", "fchmodat2", "acct", "mount", "umount2", "swapon", "swapoff", "pivot_root",
    "chroot",
)
_NETWORK_NAMES = ("socket", "socketpair")
# name -> argument index holding the target pid; allowed only for the sandbox itself (or 0 = self).
_SELF_ONLY = {"kill": 0, "tkill": 0, "tgkill": 0, "rt_sigqueueinfo": 0, "rt_tgsigqueueinfo": 0,
              "prlimit64": 0}

_X86_64 = {
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "pidfd_open": 434,
    "pidfd_send_signal": 424, "pidfd_getfd": 438, "process_madvise": 440, "perf_event_open": 298,
    "bpf": 321, "userfaultfd": 323, "setpriority": 141, "sched_setparam": 142,
    "sched_setscheduler": 144, "sched_setaffinity": 203, "sched_setattr": 314, "ioprio_set": 251,
    "migrate_pages": 256, "move_pages": 279, "unshare": 272, "setns": 308, "personality": 135,
    "keyctl": 250, "add_key": 248, "request_key": 249, "fork": 57, "vfork": 58, "clone": 56,
    "clone3": 435, "truncate": 76, "ftruncate": 77, "rename": 82, "mkdir": 83, "rmdir": 84,
    "creat": 85, "link": 86, "unlink": 87, "symlink": 88, "chmod": 90, "fchmod": 91, "chown": 92,
    "fchown": 93, "lchown": 94, "utime": 132, "mknod": 133, "utimes": 235, "mkdirat": 258,
    "mknodat": 259, "fchownat": 260, "futimesat": 261, "unlinkat": 263, "renameat": 264,
    "linkat": 265, "symlinkat": 266, "fchmodat": 268, "utimensat": 280, "renameat2": 316,
    "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198,
    "fremovexattr": 199, "fchmodat2": 452, "acct": 163, "mount": 165, "umount2": 166, "swapon": 167,
    "swapoff": 168, "pivot_root": 155, "chroot": 161, "socket": 41, "socketpair": 53, "kill": 62,
    "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "prlimit64": 302,
}
_AARCH64 = {
    "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272, "pidfd_open": 434,
    "pidfd_send_signal": 424, "pidfd_getfd": 438, "process_madvise": 440, "perf_event_open": 241,
    "bpf": 280, "userfaultfd": 282, "setpriority": 140, "sched_setparam": 118,
    "sched_setscheduler": 119, "sched_setaffinity": 122, "sched_setattr": 274, "ioprio_set": 30,
    "migrate_pages": 238, "move_pages": 239, "unshare": 97, "setns": 268, "personality": 92,
    "keyctl": 219, "add_key": 217, "request_key": 218, "clone": 220, "clone3": 435, "truncate": 45,
    "ftruncate": 46, "fchmod": 52, "fchown": 55, "mkdirat": 34, "mknodat": 33, "fchownat": 54,
    "unlinkat": 35, "renameat": 38, "linkat": 37, "symlinkat": 36, "fchmodat": 53, "utimensat": 88,
    "renameat2": 276, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14,
    "lremovexattr": 15, "fremovexattr": 16, "fchmodat2": 452, "acct": 89, "mount": 40, "umount2": 39,
    "swapon": 224, "swapoff": 225, "pivot_root": 41, "chroot": 51, "socket": 198, "socketpair": 199,
    "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240,
    "prlimit64": 261,
}
# machine -> (AUDIT_ARCH_*, syscall table, first number of a foreign ABI to refuse, or None)
_ARCHITECTURES = {
    "x86_64": (0xC000003E, _X86_64, 0x40000000),  # x32 syscalls have bit 30 set
    "aarch64": (0xC00000B7, _AARCH64, None),
}


class SeccompUnavailable(RuntimeError):
    pass


def supported() -> bool:
    return platform.machine() in _ARCHITECTURES


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def build_filter(own_pid: int) -> bytes:
    """The BPF program for a sandbox whose pid is `own_pid` (checked in tests without installing)."""
    machine = platform.machine()
    if machine not in _ARCHITECTURES:
        raise SeccompUnavailable(f"no seccomp syscall table for {machine}")
    audit_arch, table, foreign_abi = _ARCHITECTURES[machine]
    prog = [
        _insn(_LD_W_ABS, _ARCH_OFFSET),
        _insn(_JEQ_K, audit_arch, jt=1, jf=0),
        _insn(_RET_K, _RET_KILL_PROCESS),
        _insn(_LD_W_ABS, _NR_OFFSET),
    ]
    if foreign_abi is not None:
        prog += [_insn(_JGE_K, foreign_abi, jt=0, jf=1), _insn(_RET_K, _RET_ERRNO | errno.EPERM)]
    for names, err in ((_DENIED_NAMES, errno.EPERM), (_NETWORK_NAMES, errno.EACCES)):
        for name in names:
            if name in table:
                prog += [_insn(_JEQ_K, table[name], jt=0, jf=1), _insn(_RET_K, _RET_ERRNO | err)]
    for name, arg in _SELF_ONLY.items():
        allowed = {own_pid, 0} if name in ("kill", "prlimit64") else {own_pid}
        if name == "kill":
            allowed.add((-own_pid) & 0xFFFFFFFF)  # its own process group
        check = [_insn(_LD_W_ABS, _ARG_LOW_OFFSETS[arg])]
        for pid in sorted(allowed):
            check.append(_insn(_JEQ_K, pid, jt=len(allowed) - len(check) + 1, jf=0))
        check.append(_insn(_RET_K, _RET_ERRNO | errno.EPERM))
        check.append(_insn(_RET_K, _RET_ALLOW))
        prog += [_insn(_JEQ_K, table[name], jt=0, jf=len(check))] + check
    prog.append(_insn(_RET_K, _RET_ALLOW))
    return b"".join(prog)


class Installer:
    """Holds libc's prctl, loaded in the server; `install()` is called in the forked child.

    ctypes is imported here, on first use in the server, never at import time and never in the
    sandbox (the sandbox only inherits the installed filter).
    """

    def __init__(self) -> None:
        if not supported():
            raise SeccompUnavailable(f"seccomp is not supported on {platform.machine()}")
        import ctypes

        class SockFprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        self._ctypes = ctypes
        self._fprog_type = SockFprog
        self._prctl = ctypes.CDLL(None, use_errno=True).prctl
        self._prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                                ctypes.c_ulong]

    def install(self) -> None:
        ctypes = self._ctypes
        program = build_filter(os.getpid())
        buffer = ctypes.create_string_buffer(program, len(program))
        fprog = self._fprog_type(len(program) // 8, ctypes.addressof(buffer))
        if self._prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if self._prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
