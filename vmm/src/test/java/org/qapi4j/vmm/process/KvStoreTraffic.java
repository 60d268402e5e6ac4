package org.qapi4j.vmm.process;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One kvstore client's work: {@code count} writes of its own keys, each acknowledged, then every
 * key read back. Returns what went wrong (empty when nothing did).
 */
public final class KvStoreTraffic implements Callable<List<String>> {
    private final InetSocketAddress nic;
    private final String name;
    private final int count;

    public KvStoreTraffic(InetSocketAddress nic, String name, int count) {
        this.nic = nic;
        this.name = name;
        this.count = count;
    }

    @Override
    public List<String> call() throws Exception {
        List<String> problems = new ArrayList<>();
        try (KvClient client = new KvClient(nic)) {
            for (int i = 0; i < count; i++) {
                String answer = client.call("PUT " + name + "-" + i + " " + name + "-k" + i + " v" + i);
                if (answer == null || !answer.startsWith("OK ")) {
                    problems.add("PUT " + i + ": " + answer);
                }
            }
            for (int i = 0; i < count; i++) {
                String answer = client.call("GET " + name + "-k" + i);
                if (answer == null || !answer.startsWith("VALUE ") || !answer.endsWith(" v" + i)) {
                    problems.add("GET " + i + ": " + answer);
                }
            }
        }
        return problems;
    }
}
