"""Drives a QMP server with QEMU's own Python client library, qemu.qmp, unchanged.

Usage: python3 drive_with_qemu_qmp.py SOCKET

Connects (qemu.qmp negotiates by itself), asks query-status, stops the guest and waits for the
STOP event, continues it (RESUME), and provokes an error; prints one line per step and exits 0
when every step saw what QEMU 7.2 answers, 1 otherwise.
"""
import asyncio
import sys

from qemu.qmp import ExecuteError, QMPClient


async def drive(socket_path: str) -> int:
    qmp = QMPClient("qapi4j-vmm")
    await qmp.connect(socket_path)
    failures = 0

    def check(step: str, ok: bool, seen) -> None:
        nonlocal failures
        print(f"{'ok' if ok else 'FAILED'} {step}: {seen}")
        if not ok:
            failures += 1

    status = await qmp.execute("query-status")
    check("query-status", status.get("status") == "running" and status.get("running") is True, status)

    with qmp.listener() as listener:
        await qmp.execute("stop")
        event = await asyncio.wait_for(listener.get(), 10)
        check("stop sends STOP", event["event"] == "STOP", event)
    status = await qmp.execute("query-status")
    check("paused", status.get("status") == "paused", status)

    with qmp.listener() as listener:
        await qmp.execute("cont")
        event = await asyncio.wait_for(listener.get(), 10)
        check("cont sends RESUME", event["event"] == "RESUME", event)

    try:
        await qmp.execute("pmemsave", {"val": 0, "size": 16, "filename": "/nonexistent/dir/f"})
        check("pmemsave to a missing directory fails", False, "no error")
    except ExecuteError as err:
        check("pmemsave to a missing directory fails",
              err.error_class == "GenericError"
              and err.error.error.desc == "Could not open '/nonexistent/dir/f': No such file or directory",
              f"{err.error_class}: {err.error.error.desc}")

    await qmp.disconnect()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(drive(sys.argv[1])))
