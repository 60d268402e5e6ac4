package org.qapi4j.vmm.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The parsed command line of {@code bin/vmm} ({@link VmmCommandLine#parse}), immutable.
 *
 * @param action what to do: run the machine, or print the help or version and exit
 * @param qmp the QMP monitors, one per {@code -qmp}, in order; each a listening socket that does
 *     not wait for its client ({@code server=on,wait=off})
 * @param memoryBytes {@code -m}: guest RAM in bytes; when not given (or given as 0) the 128 MiB of
 *     QEMU's PC machine; rounded up to a multiple of 8 KiB as QEMU rounds it
 * @param startPaused {@code -S}: the guest does not start on its own (QEMU's {@code autostart}
 *     off)
 * @param incoming {@code -incoming}: the machine waits for an incoming migration; the last one
 *     given counts
 * @param name {@code -name}: the machine's name, as {@code query-name} reports it
 * @param uuid {@code -uuid}: the machine's UUID, as {@code query-uuid} reports it
 * @param noDefaults {@code -nodefaults}: accepted for QEMU's clients; our machine has no default
 *     devices to leave out
 * @param noShutdown {@code -no-shutdown}: a guest shutdown leaves the machine in run state
 *     {@code shutdown} instead of ending the process
 * @param noReboot {@code -no-reboot}: a reset request shuts down instead
 * @param guest {@code --guest}: the program the virtual CPU runs
 * @param nic {@code --nic}: where the NIC listens
 * @param disk {@code --disk}: the disk, if any
 * @param serial {@code --serial}: where the serial port writes
 * @param coloFaults {@code --colo-fault}: faults to inject into COLO, for tests
 * @param coloArbiter {@code --colo-arbiter}: COLO's arbiter, a lease in ZooKeeper; none by default
 * @param memPrealloc {@code -mem-prealloc}: every page of guest RAM is allocated at start, before
 *     the machine serves, so that no page faults later (a migration destination receiving a
 *     whole guest); off by default, when pages are allocated as the guest first writes them
 */
public record VmmOptions(Action action, List<ListenAddress> qmp, long memoryBytes, boolean startPaused,
        Optional<IncomingMigration> incoming, Optional<String> name, Optional<UUID> uuid, boolean noDefaults,
        boolean noShutdown, boolean noReboot, GuestProgram guest, ListenAddress.Tcp nic, Optional<DiskSpec> disk,
        SerialSpec serial, List<ColoFault> coloFaults, Optional<ColoArbiter> coloArbiter, boolean memPrealloc) {

    /** What the command line asks for. */
    public enum Action {
        /** Run the machine. */
        RUN,
        /** {@code --help} (or {@code -h}, {@code -help}): print {@link VmmCommandLine#helpText()}, exit 0. */
        HELP,
        /** {@code --version} (or {@code -version}): print {@link VmmCommandLine#versionText()}, exit 0. */
        VERSION
    }

    /** QEMU's default guest RAM on x86, 128 MiB. */
    public static final long DEFAULT_MEMORY_BYTES = 128L << 20;

    /** The NIC's default address: the loopback address, any free port. */
    public static final ListenAddress.Tcp DEFAULT_NIC = new ListenAddress.Tcp("127.0.0.1", 0);

    public VmmOptions {
        Objects.requireNonNull(action, "action");
        qmp = List.copyOf(qmp);
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
        }
        Objects.requireNonNull(incoming, "incoming");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(serial, "serial");
        coloFaults = List.copyOf(coloFaults);
        Objects.requireNonNull(coloArbiter, "coloArbiter");
    }

    /** Options without {@code -mem-prealloc}. */
    public VmmOptions(Action action, List<ListenAddress> qmp, long memoryBytes, boolean startPaused,
            Optional<IncomingMigration> incoming, Optional<String> name, Optional<UUID> uuid, boolean noDefaults,
            boolean noShutdown, boolean noReboot, GuestProgram guest, ListenAddress.Tcp nic, Optional<DiskSpec> disk,
            SerialSpec serial, List<ColoFault> coloFaults, Optional<ColoArbiter> coloArbiter) {
        this(action, qmp, memoryBytes, startPaused, incoming, name, uuid, noDefaults, noShutdown, noReboot, guest, nic,
                disk, serial, coloFaults, coloArbiter, false);
    }

    /** Options without a COLO arbiter. */
    public VmmOptions(Action action, List<ListenAddress> qmp, long memoryBytes, boolean startPaused,
            Optional<IncomingMigration> incoming, Optional<String> name, Optional<UUID> uuid, boolean noDefaults,
            boolean noShutdown, boolean noReboot, GuestProgram guest, ListenAddress.Tcp nic, Optional<DiskSpec> disk,
            SerialSpec serial, List<ColoFault> coloFaults) {
        this(action, qmp, memoryBytes, startPaused, incoming, name, uuid, noDefaults, noShutdown, noReboot, guest, nic,
                disk, serial, coloFaults, Optional.empty());
    }

    /** Options without COLO faults. */
    public VmmOptions(Action action, List<ListenAddress> qmp, long memoryBytes, boolean startPaused,
            Optional<IncomingMigration> incoming, Optional<String> name, Optional<UUID> uuid, boolean noDefaults,
            boolean noShutdown, boolean noReboot, GuestProgram guest, ListenAddress.Tcp nic, Optional<DiskSpec> disk,
            SerialSpec serial) {
        this(action, qmp, memoryBytes, startPaused, incoming, name, uuid, noDefaults, noShutdown, noReboot, guest, nic,
                disk, serial, List.of());
    }

    /** {@link VmmCommandLine#parse}: the options {@code args} give (without the program name). */
    public static VmmOptions parse(String... args) throws UsageException {
        return VmmCommandLine.parse(args);
    }

    /** The options of {@code bin/vmm} without arguments. */
    public static VmmOptions defaults() {
        return new VmmOptions(Action.RUN, List.of(), DEFAULT_MEMORY_BYTES, false, Optional.empty(), Optional.empty(),
                Optional.empty(), false, false, false, new GuestProgram.KvStore(), DEFAULT_NIC, Optional.empty(),
                new SerialSpec.None());
    }

    /** Whether the guest starts on its own: not {@code -S}. */
    public boolean autostart() {
        return !startPaused;
    }
}
