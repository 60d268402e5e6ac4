package org.qapi4j.colo;

import java.io.IOException;
import java.io.PrintStream;
import org.qapi4j.vmm.migration.ColoHook;

/**
 * What a failover does on either side once the guest is stopped, in QEMU 7.2's order: the
 * migration completes (MIGRATION {@code completed}), the NIC proxy goes (the primary releases
 * what it held, the secondary serves clients), the disk leaves its COLO role, the migration
 * connection closes, and COLO_EXIT goes out unless a fault already sent one. The caller then
 * runs the guest on.
 */
public final class Failover {
    private Failover() {}

    public static void leaveColo(ColoHook.Link link, Runnable closeProxy, ColoDisk disk, ColoState state,
            PrintStream stderr, String program) {
        link.complete();
        closeProxy.run();
        try {
            disk.failover();
        } catch (IOException e) {
            stderr.println(program + ": COLO failover: the disk: " + describe(e));
        }
        try {
            link.channel().close();
        } catch (IOException ignored) {
            // the peer is gone or going
        }
        state.failoverCompleted();
    }

    /** An exception as one line on standard error: its message, or its kind when it has none. */
    public static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
