package org.qapi4j.qmp.dispatch;

/**
 * What the schema says about how a command is served.
 *
 * @param name the command's wire name
 * @param allowOob whether it may be sent with {@code exec-oob}
 * @param allowPreconfig whether it is available before the machine is configured
 * @param successResponse false for commands that answer nothing when they succeed
 * @param coroutine whether QEMU runs it in a coroutine (informational here)
 * @param deprecated whether it has the feature {@code deprecated}
 * @param unstable whether it has the feature {@code unstable}
 */
public record CommandSpec(
        String name,
        boolean allowOob,
        boolean allowPreconfig,
        boolean successResponse,
        boolean coroutine,
        boolean deprecated,
        boolean unstable) {}
