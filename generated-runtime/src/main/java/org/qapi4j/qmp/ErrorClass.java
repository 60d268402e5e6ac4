package org.qapi4j.qmp;

import java.util.Objects;

/**
 * The class of a QMP error, as QEMU names it on the wire ({@code "class"} of an error reply).
 *
 * <p>QEMU 7.2 uses five; a newer QEMU may send another, which this type keeps rather than
 * rejects, so it is a value class with constants rather than a Java enum.
 *
 * @param name the class exactly as it appears on the wire
 */
public record ErrorClass(String name) {
    /** Most errors: the description says what went wrong. */
    public static final ErrorClass GENERIC_ERROR = new ErrorClass("GenericError");
    /** The command does not exist, or is not available yet (before negotiation). */
    public static final ErrorClass COMMAND_NOT_FOUND = new ErrorClass("CommandNotFound");
    /** The device exists but has no driver attached. */
    public static final ErrorClass DEVICE_NOT_ACTIVE = new ErrorClass("DeviceNotActive");
    /** The device named in the arguments does not exist. */
    public static final ErrorClass DEVICE_NOT_FOUND = new ErrorClass("DeviceNotFound");
    /** KVM lacks a capability the command needs. */
    public static final ErrorClass KVM_MISSING_CAP = new ErrorClass("KVMMissingCap");

    public ErrorClass {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name;
    }
}
