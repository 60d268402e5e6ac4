package org.qapi4j.colo.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks acknowledged writes on the machine that survived: {@code GET key} must answer {@code
 * VALUE seq value} with the sequence number and value the client was told. GETs are pipelined,
 * {@value #WINDOW} in flight (the NIC queues 256 lines).
 */
public final class Verifier {
    private static final int WINDOW = 128;

    /** How many writes were checked, how many held, and the first few that did not. */
    public record Result(int checked, int verified, List<String> failures) {}

    private Verifier() {}

    public static Result verify(InetSocketAddress survivor, List<KvWriter.Ack> acks) throws IOException {
        int verified = 0;
        List<String> failures = new ArrayList<>();
        try (KvConnection connection = new KvConnection(survivor, 10_000)) {
            for (int from = 0; from < acks.size(); from += WINDOW) {
                List<KvWriter.Ack> window = acks.subList(from, Math.min(acks.size(), from + WINDOW));
                for (KvWriter.Ack ack : window) {
                    connection.send("GET " + ack.key());
                }
                for (KvWriter.Ack ack : window) {
                    String answer = connection.answer();
                    String expected = "VALUE " + ack.seq() + " " + ack.value();
                    if (answer.equals(expected)) {
                        verified++;
                    } else if (failures.size() < 10) {
                        failures.add(ack.rid() + " (" + ack.key() + "): expected '" + expected + "', got '" + answer + "'");
                    }
                }
            }
        }
        return new Result(acks.size(), verified, failures);
    }
}
