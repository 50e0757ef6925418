#!/usr/bin/env python3
"""The host's half of a guest's virtio-mem device (scripts/boot.sh VMEM=).

  vmem-host.py LOG QMP-SOCKET DEVICE-ID QEMU-PID

Follows the guest's serial log and, for each line "MMT-VMEM-REQUEST BYTES"
the guest prints, sets the device's requested-size to BYTES over QMP
(qom-set): the guest's virtio-mem driver then plugs or unplugs memory
towards that size, and the guest watches its MemTotal for the result.
Each request set is said on stderr; one that QMP refuses ends the helper
with status 1 (the guest then times out waiting and says so). Ends when
QEMU (QEMU-PID) has exited.
"""
import json
import os
import re
import socket
import sys
import time


REQUEST = re.compile(rb"MMT-VMEM-REQUEST (\d+)")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def connect(path, pid):
    """A QMP session on path, once QEMU has made it (commands mode)."""
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            break
        except OSError:
            if not alive(pid):
                sys.exit(0)
            time.sleep(0.1)
    f = s.makefile("rw")
    json.loads(f.readline())                # the greeting
    execute(f, "qmp_capabilities")
    return f


def execute(f, name, **args):
    """Run one QMP command; its return value, events skipped."""
    cmd = {"execute": name}
    if args:
        cmd["arguments"] = args
    f.write(json.dumps(cmd) + "\n")
    f.flush()
    while True:
        line = f.readline()
        if not line:
            raise EOFError("QEMU closed the QMP socket")
        reply = json.loads(line)
        if "return" in reply:
            return reply["return"]
        if "error" in reply:
            raise RuntimeError(reply["error"].get("desc", str(reply["error"])))


def main(log, sock, dev, pid):
    qmp = connect(sock, pid)
    path = "/machine/peripheral/" + dev
    with open(log, "rb") as f:
        buf = b""
        while True:
            chunk = f.read(65536)
            if not chunk:
                if not alive(pid):
                    return 0
                time.sleep(0.1)
                continue
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for raw in lines:
                # anywhere in the line: kernel messages share the console
                m = REQUEST.search(raw)
                if not m:
                    continue
                size = int(m.group(1))
                try:
                    execute(qmp, "qom-set", path=path, property="requested-size", value=size)
                    got = execute(qmp, "qom-get", path=path, property="requested-size")
                except (RuntimeError, EOFError, OSError) as e:
                    print("vmem-host: requested-size %d for %s refused: %s" % (size, dev, e), file=sys.stderr)
                    return 1
                print("vmem-host: %s requested-size %d (QEMU reads back %s)" % (dev, size, got), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
