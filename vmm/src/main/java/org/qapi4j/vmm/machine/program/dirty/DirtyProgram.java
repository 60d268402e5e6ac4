package org.qapi4j.vmm.machine.program.dirty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.qapi4j.vmm.machine.MachineConfigException;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.Board;
import org.qapi4j.vmm.machine.program.GuestProgram;
import org.qapi4j.vmm.machine.program.ProgramOptions;
import org.qapi4j.vmm.machine.program.StepResult;

/**
 * {@code dirty}: writes {@code rate} pages a second, in turn, over a working set of {@code wss}
 * bytes, paced by the guest clock: the load that makes precopy migration converge or not.
 *
 * <p>Options: {@code rate} (pages a second, 0..10000000, default 1000; 0 idles) and {@code wss}
 * (the working set in bytes, with an optional K/M/G/T suffix, rounded up to whole pages;
 * default: all of RAM but the first page), and {@code fill=random}: at boot, before it starts
 * writing, fill the whole working set with pseudo-random bytes (incompressible RAM, e.g. to measure
 * migration's throughput; with {@code rate=0} the guest then idles). The bytes of page {@code p}
 * come from {@link SplittableRandom} seeded with {@code FILL_SEED + p}: the same for every run and
 * machine, whatever the timing. The fill goes {@value #PAGES_PER_STEP} pages a step, so a pause
 * or a migration may come in the middle of it; its progress is in the header, and the program
 * logs {@code dirty: filled N pages with pseudo-random bytes} on the serial port when it is done.
 * The working set is pages 1..wss/4096; page 0 is the program's header:
 *
 * <pre>
 *   0  8  magic "DIRTYPG1" (zero: power-on)
 *   8  4  state: 2 running, 3 off
 *  16  8  rate, pages a second
 *  24  8  working set, pages
 *  32  8  guest time the pacing counts from
 *  40  8  pages written so far
 *  48  4  fill: 1 random, 0 none
 *  56  8  pages of the working set filled so far
 * </pre>
 *
 * Each write stores the running count into the first eight bytes of the page, so every write
 * changes the page. When it has fallen more than a second behind (the host stalled it), it
 * restarts its pacing from now instead of bursting to catch up.
 */
public final class DirtyProgram implements GuestProgram {
    public static final String NAME = "dirty";
    static final long MAGIC = 0x3147505954524944L; // "DIRTYPG1", little-endian
    static final long H_MAGIC = 0;
    static final long H_STATE = 8;
    static final long H_RATE = 16;
    static final long H_WSS_PAGES = 24;
    static final long H_START = 32;
    static final long H_WRITTEN = 40;
    static final long H_FILL = 48;
    static final long H_FILLED = 56;
    /** The seed of {@code fill=random}: page {@code p} holds the stream of {@code FILL_SEED + p}. */
    public static final long FILL_SEED = 0x5EED_F111_0000_0001L;
    static final int RUNNING = 2;
    static final int OFF = 3;
    private static final long MAX_RATE = 10_000_000;
    /** Pages a step writes at most: bounds how long a pause waits. */
    private static final int PAGES_PER_STEP = 1024;
    private static final long SECOND = 1_000_000_000L;

    /** Configuration, read only at boot (see {@link GuestProgram}). */
    private final long rate;
    private final long wssPages;
    private final boolean fillRandom;
    private final byte[] fillPage = new byte[GuestRam.PAGE_SIZE];

    private DirtyProgram(long rate, long wssPages, boolean fillRandom) {
        this.rate = rate;
        this.wssPages = wssPages;
        this.fillRandom = fillRandom;
    }

    /** @throws MachineConfigException if an option is invalid or the working set does not fit in RAM */
    public static DirtyProgram create(ProgramOptions options, long ramBytes) throws MachineConfigException {
        long rate = options.number("rate", 1000, 0, MAX_RATE);
        long maxWss = ramBytes - GuestRam.PAGE_SIZE;
        if (maxWss < GuestRam.PAGE_SIZE) {
            throw new MachineConfigException("program 'dirty' needs at least 2 pages of RAM");
        }
        long wss = options.size("wss", maxWss, 1, maxWss);
        boolean fillRandom = fillOption(options);
        options.checkAllUsed();
        return new DirtyProgram(rate, (wss + GuestRam.PAGE_SIZE - 1) / GuestRam.PAGE_SIZE, fillRandom);
    }

    /** {@code fill}: {@code none} (the default) or {@code random}. */
    private static boolean fillOption(ProgramOptions options) throws MachineConfigException {
        return options.word("fill", "none", java.util.List.of("none", "random")).equals("random");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepResult step(Board board) {
        GuestRam ram = board.ram();
        if (ram.readLong(H_MAGIC) != MAGIC) {
            return boot(board);
        }
        if (ram.readInt(H_STATE) == OFF) {
            return StepResult.WAIT_FOR_EVENT;
        }
        if (board.powerButton().takePress()) {
            ram.writeInt(H_STATE, OFF);
            board.serial().writeLine("dirty: power button pressed: " + ram.readLong(H_WRITTEN) + " pages written, powering off");
            return StepResult.SHUTDOWN;
        }
        if (ram.readInt(H_FILL) == 1 && ram.readLong(H_FILLED) < ram.readLong(H_WSS_PAGES)) {
            return fill(board);
        }
        long rate = ram.readLong(H_RATE);
        if (rate == 0) {
            return StepResult.WAIT_FOR_EVENT;
        }
        long now = board.clock().nanos();
        long written = ram.readLong(H_WRITTEN);
        long start = ram.readLong(H_START);
        long due = pagesDue(now - start, rate);
        if (due - written > rate) { // more than a second behind: pace from now on
            start = now - nanosFor(written, rate);
            ram.writeLong(H_START, start);
            due = written;
        }
        if (written >= due) {
            return StepResult.haltUntil(start + nanosFor(written + 1, rate));
        }
        long wssPages = ram.readLong(H_WSS_PAGES);
        long count = Math.min(due - written, PAGES_PER_STEP);
        for (long i = 0; i < count; i++) {
            long page = 1 + (written + i) % wssPages;
            ram.writeLong(page * GuestRam.PAGE_SIZE, written + i + 1);
        }
        ram.writeLong(H_WRITTEN, written + count);
        return StepResult.CONTINUE;
    }

    private StepResult boot(Board board) {
        GuestRam ram = board.ram();
        ram.writeInt(H_STATE, RUNNING);
        ram.writeLong(H_RATE, rate);
        ram.writeLong(H_WSS_PAGES, wssPages);
        ram.writeLong(H_START, board.clock().nanos());
        ram.writeLong(H_WRITTEN, 0);
        ram.writeInt(H_FILL, fillRandom ? 1 : 0);
        ram.writeLong(H_FILLED, 0);
        ram.writeLong(H_MAGIC, MAGIC);
        board.serial().writeLine("dirty: writing " + rate + " pages a second over " + wssPages + " pages");
        return StepResult.CONTINUE;
    }

    /** Fills the next pages of the working set with their pseudo-random bytes (fill=random). */
    private StepResult fill(Board board) {
        GuestRam ram = board.ram();
        long wss = ram.readLong(H_WSS_PAGES);
        long filled = ram.readLong(H_FILLED);
        long end = Math.min(wss, filled + PAGES_PER_STEP);
        ByteBuffer buffer = ByteBuffer.wrap(fillPage).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = filled; i < end; i++) {
            long page = 1 + i;
            SplittableRandom random = new SplittableRandom(FILL_SEED + page);
            buffer.clear();
            while (buffer.hasRemaining()) {
                buffer.putLong(random.nextLong());
            }
            ram.writePage(page, fillPage);
        }
        ram.writeLong(H_FILLED, end);
        if (end == wss) {
            ram.writeLong(H_START, board.clock().nanos()); // the writes' pacing starts now
            board.serial().writeLine("dirty: filled " + wss + " pages with pseudo-random bytes");
        }
        return StepResult.CONTINUE;
    }

    /** Pages due {@code elapsed} nanoseconds in, at {@code rate} a second, without overflow. */
    static long pagesDue(long elapsed, long rate) {
        return elapsed / SECOND * rate + elapsed % SECOND * rate / SECOND;
    }

    /** The nanoseconds by which {@code pages} are due, rounded up. */
    static long nanosFor(long pages, long rate) {
        return pages / rate * SECOND + (pages % rate * SECOND + rate - 1) / rate;
    }
}
