package org.qapi4j.colo.demo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/colo-demo}'s options; the defaults are the demonstration. */
@Command(name = "colo-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A COLO pair of VMM processes serving kvstore clients; the primary is killed, the "
                + "secondary takes over, the clients resend what was not acknowledged, and every acknowledged "
                + "write is checked on the survivor. Prints a timeline; exits 0 when everything checked out.",
            "With an arbiter (the default: a ZooKeeper server started in this JVM) the secondary takes over "
                + "by itself once the primary's ZooKeeper session has expired; with --arbiter none nothing "
                + "takes over by itself (as in QEMU) and the demo sends x-colo-lost-heartbeat, as an operator would."})
public final class DemoOptions {
    @Option(names = "--clients", paramLabel = "N", description = "kvstore clients writing (1..16; default ${DEFAULT-VALUE})")
    int clients = 3;

    @Option(names = "--kill-after", paramLabel = "MS",
            description = "how long the clients write through the primary before it is killed (default ${DEFAULT-VALUE})")
    long killAfterMillis = 3000;

    @Option(names = "--run-after", paramLabel = "MS",
            description = "how long the clients go on after the failover (default ${DEFAULT-VALUE})")
    long runAfterMillis = 1500;

    @Option(names = "--checkpoint-delay", paramLabel = "MS",
            description = "the primary's x-checkpoint-delay (default ${DEFAULT-VALUE})")
    long checkpointDelayMillis = 500;

    @Option(names = "--memory", paramLabel = "SIZE", description = "guest RAM of each VMM, as -m (default ${DEFAULT-VALUE})")
    String memory = "128M";

    @Option(names = "--arbiter", paramLabel = "embedded|none|zookeeper://HOST:PORT[,HOST:PORT...]",
            description = "who lets the secondary take over: the arbiter with a ZooKeeper server started here "
                    + "(embedded), the arbiter with that ensemble (a lease path of its own per run), or nobody (none:"
                    + " the demo sends x-colo-lost-heartbeat) (default ${DEFAULT-VALUE})")
    String arbiter = "embedded";

    @Option(names = "--session-timeout", paramLabel = "MS",
            description = "the arbiter's ZooKeeper session timeout: about how long after the kill the primary's lease lasts"
                    + " (200..30000; default ${DEFAULT-VALUE})")
    int sessionTimeoutMillis = 2000;

    /** {@code --arbiter}, once {@link #check} has accepted it. */
    ArbiterChoice arbiterChoice() {
        return ArbiterChoice.parse(arbiter).orElseThrow();
    }

    /** One line saying what is wrong, or null. */
    String check() {
        if (clients < 1 || clients > 16) {
            return "--clients must be 1..16, not " + clients;
        }
        if (killAfterMillis < 100 || killAfterMillis > 10_000) {
            return "--kill-after must be 100..10000 ms, not " + killAfterMillis;
        }
        if (runAfterMillis < 100 || runAfterMillis > 10_000) {
            return "--run-after must be 100..10000 ms, not " + runAfterMillis;
        }
        if (checkpointDelayMillis < 10 || checkpointDelayMillis > 10_000) {
            return "--checkpoint-delay must be 10..10000 ms, not " + checkpointDelayMillis;
        }
        if (ArbiterChoice.parse(arbiter).isEmpty()) {
            return "--arbiter must be " + ArbiterChoice.FORM + ", not '" + arbiter + "'";
        }
        // 200 ms: two ticks of the embedded server, the shortest session ZooKeeper grants.
        if (sessionTimeoutMillis < 200 || sessionTimeoutMillis > 30_000) {
            return "--session-timeout must be 200..30000 ms, not " + sessionTimeoutMillis;
        }
        return null;
    }
}
