package org.qapi4j.vmm.machine.device;

/** A disk image that cannot be used, said in one line that names the file and the reason. */
public final class DiskImageException extends Exception {
    private static final long serialVersionUID = 1L;

    public DiskImageException(String message) {
        super(message);
    }
}
