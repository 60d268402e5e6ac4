package org.qapi4j.vmm.migration.incoming;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import org.qapi4j.vmm.api.MigrationStatus;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.migration.ColoLink;
import org.qapi4j.vmm.migration.MigrationUri;
import org.qapi4j.vmm.migration.stream.SectionKind;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamHeader;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * An incoming migration, on a thread of its own: accept one connection, check the header against
 * this machine, load pages into guest RAM as they come, keep the device state aside, and once
 * the end section proved the stream whole, load the devices and answer {@code READY}; on the
 * source's {@code GO}, hand the guest to the run-state rules. The guest's vCPU stays stopped the
 * whole time (the machine is in {@code inmigrate}), so a partly loaded guest never runs; any
 * fault refuses the stream (telling the source why, if the connection still works) and ends the
 * process with status 1, as QEMU's destination does.
 */
public final class IncomingMigration implements Runnable {
    /** The destination's status, as {@code query-migrate} and the events see it. */
    public interface Progress {
        boolean move(MigrationStatus.Known from, MigrationStatus.Known to);

        void fail(String why);
    }

    private final ServerSocketChannel listener;
    private final DestinationMachine destination;
    private final Progress progress;
    private final ColoHook colo;
    private boolean coloRequested;

    /** @param listener already bound and listening: binding is the command's part, failing synchronously */
    /** @param colo where COLO takes over when the stream asks for it; null: this side refuses COLO */
    public IncomingMigration(ServerSocketChannel listener, DestinationMachine destination, Progress progress,
            ColoHook colo) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.colo = colo;
    }

    @Override
    public void run() {
        SocketChannel channel = null;
        try {
            channel = MigrationUri.accepted(listener.accept());
            progress.move(MigrationStatus.Known.NONE, MigrationStatus.Known.ACTIVE);
            StreamReader in = new StreamReader(channel);
            String sourceRunState = load(channel, in);
            if (coloRequested) {
                // QEMU's order: MIGRATION colo, then the guest starts (RESUME), which COLO does
                // once its RAM cache and proxy are in place.
                progress.move(MigrationStatus.Known.ACTIVE, MigrationStatus.Known.COLO);
                colo.runSecondary(new ColoLink(channel, in, new StreamWriter(channel),
                        () -> MigrationUri.accepted(listener.accept()),
                        () -> progress.move(MigrationStatus.Known.COLO, MigrationStatus.Known.COMPLETED), () -> { },
                        () -> destination.loaded(sourceRunState, true)));
                progress.move(MigrationStatus.Known.COLO, MigrationStatus.Known.COMPLETED);
                return;
            }
            closeQuietly(listener);
            destination.loaded(sourceRunState, false);
            progress.move(MigrationStatus.Known.ACTIVE, MigrationStatus.Known.COMPLETED);
        } catch (IOException | RuntimeException e) {
            String reason = describe(e);
            if (channel != null && e instanceof StreamException) {
                refuse(channel, reason);
            }
            progress.fail(reason);
            destination.loadFailed(reason);
        } finally {
            closeQuietly(listener);
            if (channel != null) {
                closeQuietly(channel);
            }
        }
    }

    /** Loads the whole stream; returns the source's run state once the source said GO. */
    private String load(SocketChannel channel, StreamReader in) throws IOException {
        Machine machine = destination.machine();
        GuestRam ram = machine.ram();
        // Made now, not when READY is due: nothing but the answer itself on the way to it.
        StreamWriter answers = new StreamWriter(channel);
        check(in.start(), machine);
        StreamReader.Devices devices = null;
        while (true) {
            StreamReader.Section section = in.next();
            switch (section.kind()) {
                case PAGES -> in.loadPages(section, ram);
                case DEVICES -> devices = StreamReader.devices(section);
                case COLO_ENABLE -> {
                    if (colo == null || !destination.coloEnabled()) {
                        throw new StreamException("the source asks for COLO, which is not enabled here"
                                + " (capability x-colo)");
                    }
                    coloRequested = true;
                }
                case END -> {
                    if (devices == null) {
                        throw new StreamException("the stream ended without device state");
                    }
                    return confirm(in, answers, machine, devices);
                }
                default -> throw new StreamException("unexpected " + section.kind() + " section in the stream");
            }
        }
    }

    /**
     * Loads the devices, then READY, then waits for GO. The devices take the source's state
     * before READY, not after GO: a state that does not load is then refused while the source
     * still has its guest (after GO it would be lost on both sides), and only the main loop's
     * start of the guest is left between GO and RESUME. The guest cannot run before GO either
     * way: the machine stays in {@code inmigrate} until {@link DestinationMachine#loaded}.
     */
    private String confirm(StreamReader in, StreamWriter answers, Machine machine, StreamReader.Devices devices)
            throws IOException {
        try {
            machine.loadDevices(new DataInputStream(new ByteArrayInputStream(devices.state())));
        } catch (IOException | RuntimeException e) {
            // A refusal (the source keeps its guest), with the loader's own words.
            throw new StreamException(describe(e));
        }
        // What loading wrote is the guest's own state now, not changes since a checkpoint.
        machine.ram().dirtyLog().takeAndClear();
        answers.signal(SectionKind.READY);
        StreamReader.Section go;
        try {
            go = in.next();
        } catch (EOFException e) {
            throw new IOException("the source closed the connection before it gave the guest up");
        }
        if (go.kind() != SectionKind.GO) {
            throw new StreamException("the source sent a " + go.kind() + " section instead of GO");
        }
        return devices.runState();
    }

    /** The machine this stream needs must be this one: page size, RAM size, guest program. */
    private static void check(StreamHeader header, Machine machine) throws StreamException {
        if (header.pageSize() != GuestRam.PAGE_SIZE) {
            throw new StreamException("Page size mismatch: " + header.pageSize() + " != " + GuestRam.PAGE_SIZE);
        }
        long ram = machine.ram().size();
        if (header.ramBytes() != ram) {
            throw new StreamException(String.format("Size mismatch: guest RAM: 0x%x != 0x%x", header.ramBytes(), ram));
        }
        if (!header.program().equals(machine.programName())) {
            throw new StreamException("Guest program mismatch: the stream's guest runs '" + header.program()
                    + "', this machine's runs '" + machine.programName() + "'");
        }
    }

    private static void refuse(SocketChannel channel, String reason) {
        try {
            new StreamWriter(channel).refuse(reason);
        } catch (IOException ignored) {
            // The source may be gone already; the refusal was a courtesy.
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
