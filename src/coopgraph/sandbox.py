"""Keep a process off the network: a seccomp filter that refuses every socket but Unix ones.

The query workers run user SPARQL in the engine, which can itself make HTTP requests (SPARQL
``SERVICE``). The query check refuses SERVICE before a query reaches a worker; this filter is the
second, independent line: once installed, ``socket()`` fails with ``EACCES`` for every address
family except ``AF_UNIX`` (the worker's pipe to its parent), whatever code asks for it. The
filter is inherited by children and cannot be removed.

It is a classic BPF program loaded with ``prctl(PR_SET_SECCOMP)``: no library is needed. It is
available on Linux for x86-64 and AArch64; :func:`forbid_network` says whether it was installed.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_KILL_PROCESS = 0x80000000

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR_OFFSET = 0
_ARCH_OFFSET = 4
_ARG0_OFFSET = 16

# architecture token (AUDIT_ARCH_*) and the number of socket() and socketpair() per machine
_ARCHES: dict[str, tuple[int, int, int]] = {
    "x86_64": (0xC000003E, 41, 53),
    "aarch64": (0xC00000B7, 198, 199),
}

# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_RET_K = 0x06


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, socket_nr: int, socketpair_nr: int) -> bytes:
    refuse = SECCOMP_RET_ERRNO | errno.EACCES
    return b"".join(
        [
            _insn(_LD_W_ABS, 0, 0, _ARCH_OFFSET),
            _insn(_JEQ_K, 1, 0, arch),  # another ABI (e.g. x32): kill rather than guess
            _insn(_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
            _insn(_LD_W_ABS, 0, 0, _NR_OFFSET),
            _insn(_JEQ_K, 2, 0, socket_nr),
            _insn(_JEQ_K, 1, 0, socketpair_nr),
            _insn(_RET_K, 0, 0, SECCOMP_RET_ALLOW),
            _insn(_LD_W_ABS, 0, 0, _ARG0_OFFSET),  # the address family (low 32 bits)
            _insn(_JEQ_K, 0, 1, socket.AF_UNIX),
            _insn(_RET_K, 0, 0, SECCOMP_RET_ALLOW),
            _insn(_RET_K, 0, 0, refuse),
        ]
    )


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def network_filter_supported() -> bool:
    """Whether :func:`forbid_network` can install its filter on this machine."""
    return sys.platform == "linux" and platform.machine() in _ARCHES


def forbid_network() -> bool:
    """Refuse every new non-Unix socket in this process and its children, for good.

    Returns
    -------
    bool
        ``True`` when the filter is installed; ``False`` where the platform has no seccomp
        (the caller decides whether that is acceptable).

    Raises
    ------
    OSError
        When the kernel refuses the filter on a platform that should take it.
    """
    if not network_filter_supported():
        return False
    arch, socket_nr, socketpair_nr = _ARCHES[platform.machine()]
    code = _program(arch, socket_nr, socketpair_nr)
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")
    return True
