package org.qapi4j.colo.demo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/colo-demo}'s options; the defaults are the demonstration. */
@Command(name = "colo-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A COLO pair of VMM processes serving kvstore clients; the primary is killed, the "
                + "secondary takes over, the clients resend what was not acknowledged, and every acknowledged "
                + "write is checked on the survivor. Prints a timeline; exits 0 when everything checked out."})
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
        return null;
    }
}
