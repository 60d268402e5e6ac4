package org.qapi4j.qmp.client;

/**
 * A scenario against real QEMU processes, written against the Java generated from QEMU 7.2's
 * schema. Its source lies in the test resources ({@code org/qapi4j/qmp/client/qemu72/}) and is
 * compiled together with the generated code at test time, so it is type-checked against the
 * generated API like any user code.
 */
public interface QemuScenario {
    void run(QemuLab lab) throws Exception;
}
