package org.qapi4j.vmm.machine.device;

/**
 * COLO's hook into a {@link Nic} ({@link Nic#replicate}): what the guest receives and what it
 * answers pass through here, so that a primary can mirror its clients' input to a secondary and
 * hold its guest's answers until they are compared, and a secondary can send its guest's answers
 * back to the primary instead of to clients.
 */
public interface NicReplication {
    /**
     * A frame was queued for the guest. Called in queue order, with the NIC's lock held: it must
     * not block (hand the frame to a sender thread).
     *
     * @param seq the frame's number: frames queued since power-on, counting from 0; it moves with
     *     the guest, so a secondary that loads a checkpoint knows which mirrored frames it holds
     */
    void queued(long seq, NicFrame frame);

    /**
     * The guest answered {@code connection}. Return true to take the answer (the replication
     * sends it later, if at all, through {@link Nic#release}), false to let the NIC send it now.
     */
    boolean answered(int connection, byte[] line);
}
