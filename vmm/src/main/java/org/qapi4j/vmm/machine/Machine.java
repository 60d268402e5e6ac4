package org.qapi4j.vmm.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.qapi4j.vmm.machine.device.BlockBackend;
import org.qapi4j.vmm.machine.device.Device;
import org.qapi4j.vmm.machine.device.Disk;
import org.qapi4j.vmm.machine.device.DiskImage;
import org.qapi4j.vmm.machine.device.DiskImageException;
import org.qapi4j.vmm.machine.device.EntropySource;
import org.qapi4j.vmm.machine.device.GuestClock;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.PowerButton;
import org.qapi4j.vmm.machine.device.SerialLog;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.Board;
import org.qapi4j.vmm.machine.program.GuestProgram;
import org.qapi4j.vmm.machine.program.ProgramCatalog;

/**
 * A virtual machine: guest RAM, one vCPU running a guest program, and devices (a guest clock, a
 * NIC listening on TCP, an optional disk, a serial log, an entropy source, a power button).
 *
 * <p>The guest is entirely in {@link #ram()} and in the devices' state ({@link #saveDevices}):
 * copying both into another machine of the same configuration, paused, moves the running guest.
 *
 * <p>Thread-safe. The vCPU runs on a thread of its own; the listeners are called on it.
 */
public final class Machine implements AutoCloseable {
    private final GuestProgram program;
    private final GuestRam ram;
    private final Nic nic;
    private final DiskImage diskImage; // null: no disk
    private final BlockBackend diskBackend; // what the disk drives: the image or a wrapper of it; null: no disk
    private final SerialLog serial;
    private final GuestClock clock;
    private final PowerButton powerButton;
    /** In a fixed order: the order of the saved state's sections. */
    private final List<Device> devices;
    private final Vcpu vcpu;
    private volatile Runnable shutdownListener = () -> log().log(System.Logger.Level.INFO, "guest shut down");
    private volatile Consumer<Throwable> failureListener =
            failure -> log().log(System.Logger.Level.ERROR, "guest program failed; vCPU stopped", failure);
    private volatile boolean closed;

    private Machine(GuestProgram program, GuestRam ram, Nic nic, DiskImage diskImage, BlockBackend diskBackend,
            SerialLog serial, GuestClock clock, PowerButton powerButton, Vcpu vcpu) {
        this.program = program;
        this.ram = ram;
        this.nic = nic;
        this.diskImage = diskImage;
        this.diskBackend = diskBackend;
        this.serial = serial;
        this.clock = clock;
        this.powerButton = powerButton;
        this.vcpu = vcpu;
        Disk disk = diskBackend == null ? null : new Disk(diskBackend, ram);
        EntropySource entropy = new EntropySource();
        // The NIC last: its load closes connections, so it runs only once every other device
        // has loaded (a failing load rolls back the others, which have no such side effect).
        List<Device> all = new ArrayList<>(List.of(clock, powerButton, serial, entropy));
        if (disk != null) {
            all.add(disk);
        }
        all.add(nic);
        this.devices = List.copyOf(all);
        Board board = new Board(ram, clock, nic, disk, serial, entropy, powerButton);
        vcpu.start(() -> program.step(board), () -> shutdownListener.run(), failure -> failureListener.accept(failure));
    }

    /**
     * Builds a machine: checks the whole configuration (the program and its options, the disk
     * image), allocates RAM, opens the disk and the serial log, binds the NIC's listener. The
     * guest is at power-on (its first step boots it) and the vCPU is created but not running.
     *
     * @throws MachineConfigException with a one-line message when anything does not fit
     */
    public static Machine create(MachineConfig config) throws MachineConfigException {
        return create(config, UnaryOperator.identity());
    }

    /**
     * As {@link #create(MachineConfig)}, but the disk drives {@code diskBackend.apply(image)}
     * instead of the image itself, so that a caller can put a layer between them (COLO's
     * replicated disks). The operator is called once, after the image is opened (not at all
     * without a disk). The machine closes the backend, then the image, when it closes or when
     * create fails after the operator ran.
     */
    public static Machine create(MachineConfig config, UnaryOperator<BlockBackend> diskBackend)
            throws MachineConfigException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(diskBackend, "diskBackend");
        checkBasics(config);
        List<AutoCloseable> opened = new ArrayList<>();
        DiskImage diskImage = null;
        BlockBackend backend = null;
        try {
            if (config.diskImage() != null) {
                diskImage = DiskImage.openOrCreate(config.diskImage(), config.diskBytes());
                opened.add(diskImage);
                backend = Objects.requireNonNull(diskBackend.apply(diskImage), "the disk backend");
                opened.add(backend);
            }
            GuestProgram program = ProgramCatalog.create(config.program(), config.programOptions(), config.ramBytes(), diskImage);
            SerialLog serial = openSerial(config);
            opened.add(serial);
            GuestRam ram = allocateRam(config.ramBytes(), config.preallocRam());
            opened.add(ram);
            GuestClock clock = new GuestClock();
            Vcpu vcpu = new Vcpu(clock);
            opened.add(vcpu);
            Nic nic = listen(config, vcpu::kick);
            opened.add(nic);
            return new Machine(program, ram, nic, diskImage, backend, serial, clock, new PowerButton(vcpu::kick), vcpu);
        } catch (DiskImageException e) {
            closeAll(opened);
            throw new MachineConfigException(e.getMessage(), e);
        } catch (MachineConfigException | RuntimeException e) {
            closeAll(opened);
            if (diskImage != null && diskImage.created()) {
                deleteQuietly(diskImage.path()); // a refused machine leaves no new image behind
            }
            throw e;
        }
    }

    /**
     * The logger, asked for when something is logged rather than when the class loads: the
     * JDK's logging set-up costs tens of milliseconds, which {@code bin/vmm} does on another
     * thread while the machine is built (the JDK keeps one logger per name).
     */
    private static System.Logger log() {
        return System.getLogger(Machine.class.getName());
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException e) {
            log().log(System.Logger.Level.DEBUG, "removing " + file + " after a failed create", e);
        }
    }

    private static void checkBasics(MachineConfig config) throws MachineConfigException {
        if (config.ramBytes() <= 0 || config.ramBytes() % GuestRam.PAGE_SIZE != 0) {
            throw new MachineConfigException("RAM size must be a positive multiple of " + GuestRam.PAGE_SIZE + " bytes, not "
                    + config.ramBytes());
        }
        if (config.nicPort() < 0 || config.nicPort() > 65535) {
            throw new MachineConfigException("NIC port must be 0..65535 (0: any free port), not " + config.nicPort());
        }
        if (config.nicHost() == null || config.nicHost().isBlank()) {
            throw new MachineConfigException("the NIC needs a host address to listen on, e.g. 127.0.0.1");
        }
    }

    private static SerialLog openSerial(MachineConfig config) throws MachineConfigException {
        try {
            return SerialLog.open(config.serialLog());
        } catch (IOException e) {
            throw new MachineConfigException("serial log " + config.serialLog() + " cannot be opened for appending: " + e.getMessage(), e);
        }
    }

    private static GuestRam allocateRam(long bytes, boolean prealloc) throws MachineConfigException {
        try {
            return GuestRam.allocate(bytes, prealloc);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new MachineConfigException(e.getMessage(), e);
        }
    }

    private static Nic listen(MachineConfig config, Runnable interrupt) throws MachineConfigException {
        try {
            return Nic.listen(config.nicHost(), config.nicPort(), interrupt);
        } catch (IOException | RuntimeException e) {
            throw new MachineConfigException("the NIC cannot listen on " + config.nicHost() + ":" + config.nicPort() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log().log(System.Logger.Level.DEBUG, "closing after a failed create", e);
            }
        }
    }

    /** The names of the guest programs, for {@code --help}. */
    public static List<String> programs() {
        return ProgramCatalog.names();
    }

    public String programName() {
        return program.name();
    }

    /** Guest RAM: what migration and COLO copy, and {@code pmemsave} saves. */
    public GuestRam ram() {
        return ram;
    }

    /** Where the NIC listens: where clients of the guest connect. */
    public InetSocketAddress nicAddress() {
        return nic.address();
    }

    /** The guest clock: virtual nanoseconds that advance only while the vCPU runs. */
    public long guestClockNanos() {
        return clock.nanos();
    }

    /** Starts or continues the vCPU; the guest clock runs. */
    public synchronized void resume() {
        checkOpen();
        vcpu.resume();
    }

    /**
     * Stops the vCPU, returning only once no guest step is executing; the guest clock stops.
     * NIC clients' requests queue, then wait in their sockets; none is lost. Idempotent.
     */
    public void pause() {
        vcpu.pause();
    }

    /** Whether the vCPU is running: resumed, and not paused or shut down since. */
    public boolean isRunning() {
        return vcpu.isRunning();
    }

    /**
     * A system reset: devices go to their power-on state (the NIC drops its connections and
     * queued input), RAM is zeroed, and the program boots again from its disk at its next step.
     *
     * @throws IllegalStateException if the machine is running (pause it first)
     */
    public synchronized void reset() {
        checkOpen();
        checkPaused("reset");
        for (Device device : devices) {
            device.reset();
        }
        ram.clear();
    }

    /**
     * Slows the guest's vCPU: it sleeps {@code percent} of the time it would run (0..99; 0 is full
     * speed). Auto-converge migration's lever; stays until set again.
     */
    public void throttle(int percent) {
        vcpu.throttle(percent);
    }

    /** The vCPU's throttle, in percent (0: full speed). */
    public int throttlePercent() {
        return vcpu.throttlePercent();
    }

    /** Presses the power button: the guest shuts down cleanly, then reports it through the listener. */
    public void powerdown() {
        checkOpen();
        powerButton.press();
    }

    /** Called on the vCPU thread, after it stopped, when the guest shut down by itself. */
    public void setShutdownListener(Runnable onGuestShutdown) {
        this.shutdownListener = Objects.requireNonNull(onGuestShutdown);
    }

    /**
     * Called on the vCPU thread, after it stopped, when a guest step throws (a bug, or the
     * host's memory failing): QEMU's internal-error. By default it is logged.
     */
    public void setFailureListener(Consumer<Throwable> onFailure) {
        this.failureListener = Objects.requireNonNull(onFailure);
    }

    /**
     * Writes every device's state, versioned (see {@link DeviceStateFormat}).
     *
     * @throws IllegalStateException if the machine is running: device state is only consistent
     *     between steps, so the vCPU must be paused
     */
    public synchronized void saveDevices(DataOutput out) throws IOException {
        checkOpen();
        checkPaused("save device state");
        DeviceStateFormat.save(out, program.name(), ram.size(), devices);
    }

    /**
     * Replaces every device's state with what {@link #saveDevices} wrote on a machine of the same
     * program and RAM size (and disk or not). All or nothing: when this throws, the devices are
     * as they were. The NIC's connections are closed (they do not move).
     *
     * @throws IOException if the state is malformed or of another kind of machine
     * @throws IllegalStateException if the machine is running
     */
    public synchronized void loadDevices(DataInput in) throws IOException {
        checkOpen();
        checkPaused("load device state");
        DeviceStateFormat.load(in, program.name(), ram.size(), devices);
    }

    /** The NIC: COLO mirrors its input and compares its output. */
    public Nic nic() {
        return nic;
    }

    /**
     * Stops the vCPU (waiting for the step in progress), closes the NIC's listener and
     * connections, flushes and closes the disk and the serial log, and frees RAM. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Outside the lock: the vCPU thread may be in a listener that waits for it.
        vcpu.close();
        nic.close();
        if (diskBackend != null) {
            diskBackend.close();
        }
        if (diskImage != null) {
            diskImage.close();
        }
        serial.close();
        ram.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the machine is closed");
        }
    }

    private void checkPaused(String what) {
        if (vcpu.isRunning()) {
            throw new IllegalStateException("cannot " + what + " while the machine runs; pause it first");
        }
    }
}
