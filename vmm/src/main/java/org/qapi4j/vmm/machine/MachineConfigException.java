package org.qapi4j.vmm.machine;

/**
 * A machine that cannot be built as configured. The message is one line, meant for the user as
 * it is (e.g. {@code unknown program 'kvstor'; programs: dirty, kvstore}).
 */
public final class MachineConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public MachineConfigException(String message) {
        super(oneLine(message));
    }

    public MachineConfigException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
