package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The guest's side of the {@link Nic}: the frames waiting for it, each numbered as it was queued
 * (the numbering moves with the guest, which COLO's mirroring relies on), and which connections
 * it has seen open. Not thread-safe: the NIC's lock guards it.
 */
final class NicInbox {
    /** A frame in the queue with its number. */
    record Queued(long seq, NicFrame frame) {}

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** Ids whose OPENED is queued or consumed and whose CLOSED is not yet queued. */
    private final Set<Integer> openToGuest = new LinkedHashSet<>();
    /** Frames queued since power-on: the next frame's number. */
    private long queuedTotal;

    /** Queues {@code frame}; returns its number. */
    long add(NicFrame frame) {
        long seq = queuedTotal++;
        queue.add(new Queued(seq, frame));
        track(frame);
        return seq;
    }

    NicFrame poll() {
        Queued queued = queue.poll();
        return queued == null ? null : queued.frame();
    }

    int size() {
        return queue.size();
    }

    /** The number the next queued frame gets. */
    long nextSeq() {
        return queuedTotal;
    }

    /** Hands each queued frame with its number to {@code action}, oldest first. */
    void forEachQueued(java.util.function.ObjLongConsumer<NicFrame> action) {
        for (Queued queued : queue) {
            action.accept(queued.frame(), queued.seq());
        }
    }

    /** The connections the guest has seen open and not yet seen close. */
    List<Integer> openConnections() {
        return List.copyOf(openToGuest);
    }

    /** A reset: nothing queued, nothing open (the numbering goes on). */
    void clear() {
        queue.clear();
        openToGuest.clear();
    }

    /** The open connections, the numbering and the queued frames, as device state. */
    void save(DataOutput out) throws IOException {
        out.writeInt(openToGuest.size());
        for (int id : openToGuest) {
            out.writeInt(id);
        }
        out.writeLong(queuedTotal);
        out.writeInt(queue.size());
        for (Queued queued : queue) {
            queued.frame().writeTo(out);
        }
    }

    /** What {@link #save} wrote: the open connections, the numbering, the queued frames. */
    record Saved(Set<Integer> open, long total, List<NicFrame> frames) {}

    /**
     * Reads what {@link #save} wrote, refusing counts beyond {@code maxOpen} and {@code
     * maxFrames} (a queue may exceed the NIC's bound by the CLOSED frames a previous load added).
     */
    static Saved read(DataInput in, int maxOpen, int maxFrames) throws IOException {
        int openCount = in.readInt();
        if (openCount < 0 || openCount > maxOpen) {
            throw new IOException("NIC state is malformed (" + openCount + " open connections)");
        }
        Set<Integer> open = new LinkedHashSet<>();
        for (int i = 0; i < openCount; i++) {
            open.add(in.readInt());
        }
        long total = in.readLong();
        int frameCount = in.readInt();
        if (frameCount < 0 || frameCount > maxFrames || total < frameCount) {
            throw new IOException("NIC state is malformed (" + frameCount + " queued frames)");
        }
        List<NicFrame> frames = new ArrayList<>(frameCount);
        for (int i = 0; i < frameCount; i++) {
            frames.add(NicFrame.readFrom(in));
        }
        return new Saved(open, total, frames);
    }

    /**
     * Loaded state replaces this inbox: the saved frames with their numbers; connections open in
     * the saved state are not carried over (the caller closes them).
     */
    void load(Saved saved) {
        long savedTotal = saved.total();
        List<NicFrame> frames = saved.frames();
        queue.clear();
        long seq = savedTotal - frames.size();
        for (NicFrame frame : frames) {
            queue.add(new Queued(seq++, frame));
        }
        queuedTotal = savedTotal;
        openToGuest.clear();
    }

    /**
     * A COLO secondary loads a checkpoint: the guest's input becomes the primary's as saved, and
     * the mirrored frames this inbox already holds beyond it (the primary queued them after it
     * saved, and they arrived first) stay queued after it.
     */
    void loadMirrored(Saved saved) {
        long savedTotal = saved.total();
        List<Queued> newer = new ArrayList<>();
        for (Queued queued : queue) {
            if (queued.seq() >= savedTotal) {
                newer.add(queued);
            }
        }
        long total = Math.max(queuedTotal, savedTotal);
        load(saved);
        openToGuest.addAll(saved.open());
        for (Queued queued : newer) {
            queue.add(queued);
            track(queued.frame());
        }
        queuedTotal = total;
    }

    private void track(NicFrame frame) {
        if (frame.kind() == NicFrame.Kind.OPENED) {
            openToGuest.add(frame.connection());
        } else if (frame.kind() == NicFrame.Kind.CLOSED) {
            openToGuest.remove(frame.connection());
        }
    }
}
