"""A seccomp filter for the sandbox, installed in the forked child just before it execs the runner.

Why: when the server does not run as root, the sandbox cannot get a uid of its own, so the kernel's
permission checks treat it like the server. RLIMIT_NOFILE=0 already stops everything that needs a
new file descriptor (open, socket, /proc), but not the calls that act by pid, by path or on a
descriptor the sandbox already holds. So the filter is an allow-list:

- `_ALLOWED`: the calls CPython, the runner and lesson code need (memory, reading and writing the
  descriptors it has, time, signals, its own ids and limits, exec of the runner itself). Anything
  else fails with ENOSYS, which libc and CPython treat as "not on this kernel" and fall back from.
- `_DENIED`: dangerous calls named on purpose, so a submission gets a clear PermissionError:
  other processes (ptrace, process_vm_*, pidfd_*), new processes or threads, every call that
  changes the file system by path or descriptor. socket() fails with EACCES: no packet can leave.
- arguments checked: signals and rlimits only for the sandbox itself; fcntl and ioctl only with
  the commands below. F_SETOWN / F_SETSIG / O_ASYNC (and FIOSETOWN, SIOCSPGRP, FIOASYNC) would let
  a submission make the kernel signal the server whenever it reads the result pipe (SIGKILL via
  F_SETSIG, same uid): refused.

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
_JSET_K = 0x45         # BPF_JMP | BPF_JSET | BPF_K
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

_ALLOWED = (
    # memory
    "brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "mincore",
    # descriptors it already holds (no new one can be had: RLIMIT_NOFILE is 0 once the runner starts)
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
    "pwritev2", "lseek", "close", "close_range", "dup", "dup2", "dup3", "fstat", "fsync", "fdatasync",
    "poll", "ppoll", "select", "pselect6", "pipe", "pipe2",
    # reading paths (the runner's start-up imports; afterwards opening anything fails)
    "open", "openat", "stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2",
    "readlink", "readlinkat", "getdents64", "getcwd", "chdir", "fchdir", "umask",
    # signals on itself, time, sleeping
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
    "rt_sigtimedwait", "sigaltstack", "pause", "alarm", "setitimer", "getitimer", "restart_syscall",
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time", "times",
    # who and where it is; its own limits; giving up root (the runner does when the server is root)
    "getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid",
    "getresgid", "getpgrp", "getpgid", "getsid", "getrusage", "getrlimit", "setrlimit", "uname",
    "sysinfo", "getcpu", "sched_getaffinity", "sched_yield", "sched_getparam", "sched_getscheduler",
    "sched_get_priority_max", "sched_get_priority_min", "getpriority", "getrandom", "capget",
    "setresuid", "setresgid", "setgroups", "setuid", "setgid", "setsid", "setpgid",
    # the process itself: start-up, threads' bookkeeping, exit, exec of the runner
    "arch_prctl", "set_tid_address", "set_robust_list", "rseq", "futex", "exit", "exit_group",
    "execve", "wait4", "waitid",
)
_DENIED = (
    # other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_send_signal",
    "pidfd_getfd", "process_madvise", "perf_event_open", "bpf", "userfaultfd", "setpriority",
    "sched_setparam", "sched_setscheduler", "sched_setaffinity", "sched_setattr", "ioprio_set",
    "migrate_pages", "move_pages", "unshare", "setns", "personality", "keyctl", "add_key",
    "request_key", "fork", "vfork", "clone", "clone3", "prctl",
    # the file system, by path or by an inherited descriptor
    "truncate", "ftruncate", "rename", "mkdir", "rmdir", "creat", "link", "unlink", "symlink",
    "chmod", "fchmod", "chown", "fchown", "lchown", "utime", "mknod", "utimes", "mkdirat",
    "mknodat", "fchownat", "futimesat", "unlinkat", "renameat", "linkat", "symlinkat", "fchmodat",
    "utimensat", "renameat2", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr",
    "fremovexattr", "fchmodat2", "acct", "mount", "umount2", "swapon", "swapoff", "pivot_root",
    "chroot", "memfd_create",
)
_NETWORK = ("socket", "socketpair")
# name -> argument index holding the target pid; allowed only for the sandbox itself (or 0 = self).
_SELF_ONLY = {"kill": 0, "tkill": 0, "tgkill": 0, "rt_sigqueueinfo": 0, "rt_tgsigqueueinfo": 0,
              "prlimit64": 0}
# fcntl commands a descriptor may be asked: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL (never with
# O_ASYNC), F_GETLK, F_GETOWN, F_GETSIG, F_GETOWN_EX, F_DUPFD_CLOEXEC, F_GETPIPE_SZ, F_GET_SEALS.
# Not F_SETOWN (8), F_SETSIG (10), F_SETOWN_EX (15), F_SETLEASE, F_NOTIFY, F_SETPIPE_SZ, F_ADD_SEALS.
_FCNTL_COMMANDS = (0, 1, 2, 3, 4, 5, 9, 11, 16, 1030, 1032, 1034)
_F_SETFL = 4
_O_ASYNC = 0o20000
# ioctl requests: TCGETS and TIOCGWINSZ (is this a terminal?), FIONREAD, FIONBIO (os.set_blocking),
# FIONCLEX and FIOCLEX. Not FIOSETOWN (0x8901), SIOCSPGRP (0x8902), FIOASYNC (0x5452) or anything else.
_IOCTL_REQUESTS = (0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451)

_X86_64 = {
    "read": 0, "write": 1, "open": 2, "close": 3, "stat": 4, "fstat": 5, "lstat": 6, "poll": 7,
    "lseek": 8, "mmap": 9, "mprotect": 10, "munmap": 11, "brk": 12, "rt_sigaction": 13,
    "rt_sigprocmask": 14, "rt_sigreturn": 15, "ioctl": 16, "pread64": 17, "pwrite64": 18, "readv": 19,
    "writev": 20, "access": 21, "pipe": 22, "select": 23, "sched_yield": 24, "mremap": 25,
    "mincore": 27, "madvise": 28, "dup": 32, "dup2": 33, "pause": 34, "nanosleep": 35,
    "getitimer": 36, "alarm": 37, "setitimer": 38, "getpid": 39, "socket": 41, "socketpair": 53,
    "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "exit": 60, "wait4": 61, "kill": 62,
    "uname": 63, "fcntl": 72, "fsync": 74, "fdatasync": 75, "truncate": 76, "ftruncate": 77,
    "getcwd": 79, "chdir": 80, "fchdir": 81, "rename": 82, "mkdir": 83, "rmdir": 84, "creat": 85,
    "link": 86, "unlink": 87, "symlink": 88, "readlink": 89, "chmod": 90, "fchmod": 91, "chown": 92,
    "fchown": 93, "lchown": 94, "umask": 95, "gettimeofday": 96, "getrlimit": 97, "getrusage": 98,
    "sysinfo": 99, "times": 100, "ptrace": 101, "getuid": 102, "getgid": 104, "setuid": 105,
    "setgid": 106, "geteuid": 107, "getegid": 108, "setpgid": 109, "getppid": 110, "getpgrp": 111,
    "setsid": 112, "getgroups": 115, "gettid": 186, "setgroups": 116, "setresuid": 117, "getresuid": 118,
    "setresgid": 119, "getresgid": 120, "getpgid": 121, "getsid": 124, "capget": 125,
    "rt_sigpending": 127, "rt_sigtimedwait": 128, "rt_sigqueueinfo": 129, "rt_sigsuspend": 130,
    "sigaltstack": 131, "utime": 132, "mknod": 133, "personality": 135, "getpriority": 140,
    "setpriority": 141, "sched_setparam": 142, "sched_getparam": 143, "sched_setscheduler": 144,
    "sched_getscheduler": 145, "sched_get_priority_max": 146, "sched_get_priority_min": 147,
    "pivot_root": 155, "prctl": 157, "arch_prctl": 158, "setrlimit": 160, "chroot": 161, "acct": 163,
    "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168, "setxattr": 188, "lsetxattr": 189,
    "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199, "tkill": 200,
    "time": 201, "futex": 202, "sched_setaffinity": 203, "sched_getaffinity": 204,
    "getdents64": 217, "set_tid_address": 218, "restart_syscall": 219, "clock_gettime": 228,
    "clock_getres": 229, "clock_nanosleep": 230, "exit_group": 231, "tgkill": 234, "utimes": 235,
    "waitid": 247, "add_key": 248, "request_key": 249, "keyctl": 250, "ioprio_set": 251,
    "migrate_pages": 256, "openat": 257, "mkdirat": 258, "mknodat": 259, "fchownat": 260,
    "futimesat": 261, "newfstatat": 262, "unlinkat": 263, "renameat": 264, "linkat": 265,
    "symlinkat": 266, "readlinkat": 267, "fchmodat": 268, "faccessat": 269, "pselect6": 270,
    "ppoll": 271, "unshare": 272, "set_robust_list": 273, "move_pages": 279, "utimensat": 280,
    "dup3": 292, "pipe2": 293, "preadv": 295, "pwritev": 296, "rt_tgsigqueueinfo": 297,
    "perf_event_open": 298, "prlimit64": 302, "setns": 308, "getcpu": 309, "process_vm_readv": 310,
    "process_vm_writev": 311, "kcmp": 312, "sched_setattr": 314, "renameat2": 316, "getrandom": 318,
    "memfd_create": 319, "bpf": 321, "userfaultfd": 323, "preadv2": 327, "pwritev2": 328,
    "statx": 332, "rseq": 334, "pidfd_send_signal": 424, "pidfd_open": 434, "clone3": 435,
    "close_range": 436, "pidfd_getfd": 438, "faccessat2": 439, "process_madvise": 440,
    "fchmodat2": 452,
}
# aarch64 has none of the old path calls (open, stat, rename, ...): only their *at forms.
_AARCH64 = {
    "getcwd": 17, "dup": 23, "dup3": 24, "fcntl": 25, "ioctl": 29, "ioprio_set": 30, "mknodat": 33,
    "mkdirat": 34, "unlinkat": 35, "symlinkat": 36, "linkat": 37, "renameat": 38, "umount2": 39,
    "mount": 40, "pivot_root": 41, "truncate": 45, "ftruncate": 46, "faccessat": 48, "chdir": 49,
    "fchdir": 50, "chroot": 51, "fchmod": 52, "fchmodat": 53, "fchownat": 54, "fchown": 55,
    "openat": 56, "close": 57, "pipe2": 59, "getdents64": 61, "lseek": 62, "read": 63, "write": 64,
    "readv": 65, "writev": 66, "pread64": 67, "pwrite64": 68, "preadv": 69, "pwritev": 70,
    "pselect6": 72, "ppoll": 73, "readlinkat": 78, "newfstatat": 79, "fstat": 80, "fsync": 82,
    "fdatasync": 83, "utimensat": 88, "acct": 89, "capget": 90, "personality": 92, "exit": 93,
    "exit_group": 94, "waitid": 95, "set_tid_address": 96, "unshare": 97, "futex": 98,
    "set_robust_list": 99, "nanosleep": 101, "getitimer": 102, "setitimer": 103, "clock_gettime": 113,
    "clock_getres": 114, "clock_nanosleep": 115, "ptrace": 117, "sched_setparam": 118,
    "sched_setscheduler": 119, "sched_getscheduler": 120, "sched_getparam": 121,
    "sched_setaffinity": 122, "sched_getaffinity": 123, "sched_yield": 124,
    "sched_get_priority_max": 125, "sched_get_priority_min": 126, "restart_syscall": 128, "kill": 129,
    "tkill": 130, "tgkill": 131, "sigaltstack": 132, "rt_sigsuspend": 133, "rt_sigaction": 134,
    "rt_sigprocmask": 135, "rt_sigpending": 136, "rt_sigtimedwait": 137, "rt_sigqueueinfo": 138,
    "rt_sigreturn": 139, "setpriority": 140, "getpriority": 141, "setgid": 144, "setuid": 146,
    "setresuid": 147, "getresuid": 148, "setresgid": 149, "getresgid": 150, "times": 153,
    "setpgid": 154, "getpgid": 155, "getsid": 156, "setsid": 157, "getgroups": 158, "setgroups": 159,
    "uname": 160, "getrlimit": 163, "setrlimit": 164, "getrusage": 165, "umask": 166, "prctl": 167,
    "getcpu": 168, "gettimeofday": 169, "getpid": 172, "getppid": 173, "getuid": 174, "geteuid": 175,
    "getgid": 176, "getegid": 177, "gettid": 178, "sysinfo": 179, "socket": 198, "socketpair": 199,
    "brk": 214, "munmap": 215, "mremap": 216, "add_key": 217, "request_key": 218, "keyctl": 219, "clone": 220,
    "execve": 221, "mmap": 222, "swapon": 224, "swapoff": 225, "mprotect": 226, "mincore": 232,
    "madvise": 233, "migrate_pages": 238, "move_pages": 239, "rt_tgsigqueueinfo": 240,
    "perf_event_open": 241, "wait4": 260, "prlimit64": 261, "setns": 268, "process_vm_readv": 270,
    "process_vm_writev": 271, "kcmp": 272, "sched_setattr": 274, "renameat2": 276, "getrandom": 278,
    "memfd_create": 279, "bpf": 280, "userfaultfd": 282, "preadv2": 286, "pwritev2": 287,
    "statx": 291, "rseq": 293, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14,
    "lremovexattr": 15, "fremovexattr": 16, "pidfd_send_signal": 424, "pidfd_open": 434,
    "clone3": 435, "close_range": 436, "pidfd_getfd": 438, "faccessat2": 439, "process_madvise": 440,
    "fchmodat2": 452,
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


def _ret_errno(err: int) -> bytes:
    return _insn(_RET_K, _RET_ERRNO | err)


def _one_of(values: tuple[int, ...] | list[int], refusal: int) -> list[bytes]:
    """Allow when the accumulator is one of `values`; otherwise fail with errno `refusal`."""
    count = len(values)
    block = [_insn(_JEQ_K, value, jt=count - i, jf=0) for i, value in enumerate(values)]
    return block + [_ret_errno(refusal), _insn(_RET_K, _RET_ALLOW)]


def _when(number: int, block: list[bytes]) -> list[bytes]:
    """Run `block` (which always returns) for syscall `number`; other calls skip past it."""
    return [_insn(_JEQ_K, number, jt=0, jf=len(block)), *block]


def _fcntl_block() -> list[bytes]:
    # A = cmd. F_SETFL goes on to look at its flags: O_ASYNC is refused, the rest allowed.
    return [
        _insn(_LD_W_ABS, _ARG_LOW_OFFSETS[1]),
        _insn(_JEQ_K, _F_SETFL, jt=0, jf=4),
        _insn(_LD_W_ABS, _ARG_LOW_OFFSETS[2]),
        _insn(_JSET_K, _O_ASYNC, jt=0, jf=1),
        _ret_errno(errno.EPERM),
        _insn(_RET_K, _RET_ALLOW),
        *_one_of(_FCNTL_COMMANDS, errno.EPERM),
    ]


def _self_only_block(name: str, arg: int, own_pid: int) -> list[bytes]:
    allowed = {own_pid, 0} if name in ("kill", "prlimit64") else {own_pid}
    if name == "kill":
        allowed.add((-own_pid) & 0xFFFFFFFF)  # its own process group
    return [_insn(_LD_W_ABS, _ARG_LOW_OFFSETS[arg]), *_one_of(sorted(allowed), errno.EPERM)]


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
        prog += [_insn(_JGE_K, foreign_abi, jt=0, jf=1), _ret_errno(errno.EPERM)]
    for names, err in ((_DENIED, errno.EPERM), (_NETWORK, errno.EACCES)):
        for name in names:
            if name in table:
                prog += [_insn(_JEQ_K, table[name], jt=0, jf=1), _ret_errno(err)]
    for name, arg in _SELF_ONLY.items():
        prog += _when(table[name], _self_only_block(name, arg, own_pid))
    prog += _when(table["fcntl"], _fcntl_block())
    prog += _when(table["ioctl"], [_insn(_LD_W_ABS, _ARG_LOW_OFFSETS[1]),
                                   *_one_of(_IOCTL_REQUESTS, errno.EPERM)])
    prog += _one_of([table[name] for name in _ALLOWED if name in table], errno.ENOSYS)
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
