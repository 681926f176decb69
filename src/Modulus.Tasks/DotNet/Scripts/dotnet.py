#!/usr/bin/python3 -I
"""dotnet: the .NET muxer of a Modulus image (docs/dotnet.md).

No NuGet package carries the `dotnet` executable, but every Microsoft.NETCore.App runtime pack
carries libhostfxr.so, which does all of the muxer's work. This program does what the native
muxer does before handing over: it finds the newest host/fxr/VERSION/libhostfxr.so under its own
folder (the .NET root) and calls hostfxr_main_startupinfo with its arguments, the host path (a
file named `dotnet`, which is what puts hostfxr in muxer mode) and the .NET root. So
`dotnet app.dll`, `dotnet exec`, `dotnet --list-runtimes` and `dotnet --info` behave as with the
native muxer; the app runs inside this process and its exit code is this program's.
"""
import ctypes
import os
import re
import signal
import sys

ROOT = os.path.dirname(os.path.realpath(__file__))
HOST = os.path.join(ROOT, "dotnet")
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")


def version_key(name):
    m = VERSION.match(name)
    # A release sorts after its pre-releases.
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4) is None, m.group(4) or "")


def hostfxr_path():
    folder = os.path.join(ROOT, "host", "fxr")
    try:
        names = [n for n in os.listdir(folder) if VERSION.match(n) and os.path.isfile(os.path.join(folder, n, "libhostfxr.so"))]
    except OSError:
        names = []
    if not names:
        print("dotnet: no host/fxr/<version>/libhostfxr.so under %s; the image has no .NET runtime" % ROOT, file=sys.stderr)
        sys.exit(1)
    return os.path.join(folder, max(names, key=version_key), "libhostfxr.so")


def main():
    hostfxr = ctypes.CDLL(hostfxr_path())
    startup = hostfxr.hostfxr_main_startupinfo
    startup.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    startup.restype = ctypes.c_int
    args = [os.fsencode(HOST)] + [os.fsencode(a) for a in sys.argv[1:]]
    argv = (ctypes.c_char_p * (len(args) + 1))(*args, None)
    # Python changes these dispositions at startup; the runtime expects a process's defaults.
    for name in ("SIGINT", "SIGPIPE", "SIGXFSZ"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    sys.stdout.flush()
    # hostfxr runs as the muxer when the app path does not exist and the host file is named
    # dotnet; the native muxer passes ROOT/dotnet.dll, which no install has.
    code = startup(len(args), argv, os.fsencode(HOST), os.fsencode(ROOT), os.fsencode(os.path.join(ROOT, "dotnet.dll")))
    sys.stdout.flush()
    sys.stderr.flush()
    # hostfxr prints through C's stdio, which os._exit would not flush.
    ctypes.CDLL(None).fflush(None)
    # The runtime has shut down; leave without running Python's own teardown on top of it.
    os._exit(code & 0xFF)


if __name__ == "__main__":
    main()
