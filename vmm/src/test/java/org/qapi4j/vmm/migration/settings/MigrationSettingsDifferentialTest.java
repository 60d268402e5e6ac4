package org.qapi4j.vmm.migration.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * The migration settings commands ({@code migrate-set-capabilities}, {@code
 * query-migrate-capabilities}, {@code migrate-set-parameters}, {@code query-migrate-parameters}),
 * sent alike to {@code bin/vmm}'s main class and to a real QEMU 7.2 ({@code -M none}).
 *
 * <p>Where QEMU's answer applies, ours must be byte-identical (events before it included). Where
 * our VMM refuses on purpose ({@link VmmLimits}: a feature our machine lacks), QEMU must accept
 * (else the refusal would have to be QEMU's) and ours must be our own text; a request restoring
 * the default then goes to both (answers compared), so that the two states agree again and the
 * later queries compare equal (which also shows that our refusals changed nothing).

 *
 * <p>Requests covered:
 *
 * <ul>
 *   <li>both queries on a fresh server, and after each group of changes;
 *   <li>capabilities we honour (events, x-colo, auto-converge, return-path, validate-uuid) on,
 *       several at once, and off; a later entry for the same capability winning;
 *   <li>QEMU's combination checks: postcopy-ram with x-ignore-shared, background-snapshot with
 *       return-path and with x-colo, zero-copy-send without multifd, postcopy-preempt without
 *       postcopy-ram and with compress, multifd with compress;
 *   <li>malformed capability lists: unknown capability, missing state, missing list, state of
 *       the wrong type, list of the wrong type, unexpected member;
 *   <li>every range check of migrate_params_check, at and beyond both ends, several in one
 *       request (first failure wins), max-cpu-throttle against a new cpu-throttle-initial,
 *       valid changes beside a failing one (all or nothing);
 *   <li>wrong types: uint8 out of range and negative, a string for an integer, uint32 overflow,
 *       a number for a StrOrNull, a bool of the wrong type, an unknown member, an unknown
 *       multifd-compression;
 *   <li>malformed block-bitmap-mapping (alias not well-formed, too long a node name, a node
 *       mapped twice, an alias used twice, a bitmap mapped twice), and the empty mapping;
 *   <li>defaults of unsupported features, JSON null for the TLS strings, max-bandwidth 2^64-1;
 *   <li>ours on purpose: each capability we do not honour, switched on alone where QEMU accepts
 *       it, and each parameter of a feature we lack set to a non-default value QEMU accepts.
 * </ul>
 */
@Timeout(120)
class MigrationSettingsDifferentialTest {
    private static final String QUERY_CAPS = "{\"execute\": \"query-migrate-capabilities\"}";
    private static final String QUERY_PARAMS = "{\"execute\": \"query-migrate-parameters\"}";

    private static String caps(String... nameThenState) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < nameThenState.length; i += 2) {
            entries.add("{\"capability\": \"" + nameThenState[i] + "\", \"state\": " + nameThenState[i + 1] + "}");
        }
        return "{\"execute\": \"migrate-set-capabilities\", \"arguments\": {\"capabilities\": ["
                + String.join(", ", entries) + "]}}";
    }

    private static String params(String arguments) {
        return "{\"execute\": \"migrate-set-parameters\", \"arguments\": " + arguments + "}";
    }

    @Test
    void capabilities() throws Exception {
        List<String> same = List.of(
                QUERY_CAPS,
                caps("events", "true"),
                caps("x-colo", "true", "auto-converge", "true"),
                caps("return-path", "true", "validate-uuid", "true", "validate-uuid", "false", "validate-uuid", "true"),
                QUERY_CAPS,
                caps("background-snapshot", "true"),
                caps("events", "false", "x-colo", "false", "auto-converge", "false", "return-path", "false",
                        "validate-uuid", "false"),
                QUERY_CAPS,
                caps("postcopy-ram", "true", "x-ignore-shared", "true"),
                caps("background-snapshot", "true", "return-path", "true"),
                caps("zero-copy-send", "true"),
                caps("postcopy-preempt", "true"),
                caps("postcopy-preempt", "true", "postcopy-ram", "true", "compress", "true"),
                caps("multifd", "true", "compress", "true"),
                caps("nope", "true"),
                caps("xbzrle", "\"yes\""),
                "{\"execute\": \"migrate-set-capabilities\", \"arguments\": {\"capabilities\": [{\"capability\": \"events\"}]}}",
                "{\"execute\": \"migrate-set-capabilities\", \"arguments\": {}}",
                "{\"execute\": \"migrate-set-capabilities\", \"arguments\": {\"capabilities\": {}}}",
                "{\"execute\": \"migrate-set-capabilities\", \"arguments\": {\"capabilities\": [], \"x\": 1}}",
                caps(),
                caps("xbzrle", "true", "xbzrle", "false"),
                QUERY_CAPS);
        List<String> oursOnPurpose = new ArrayList<>();
        for (String name : List.of("xbzrle", "rdma-pin-all", "zero-blocks", "compress", "postcopy-ram", "release-ram",
                "block", "pause-before-switchover", "multifd", "dirty-bitmaps", "postcopy-blocktime",
                "late-block-activate", "x-ignore-shared", "background-snapshot")) {
            oursOnPurpose.add(name);
        }
        try (Pair pair = new Pair()) {
            pair.same(same);
            for (String name : oursOnPurpose) {
                pair.ours(caps(name, "true"), "Migration capability '" + name + "' is not supported by this VMM",
                        caps(name, "false"));
            }
            pair.same(List.of(QUERY_CAPS));
        }
    }

    @Test
    void parameters() throws Exception {
        List<String> same = new ArrayList<>(List.of(
                QUERY_PARAMS,
                params("{\"announce-initial\": 100000, \"announce-max\": 0, \"announce-rounds\": 1000,"
                        + " \"announce-step\": 10000, \"throttle-trigger-threshold\": 100, \"cpu-throttle-initial\": 99,"
                        + " \"cpu-throttle-increment\": 1, \"cpu-throttle-tailslow\": true, \"max-bandwidth\": 0,"
                        + " \"downtime-limit\": 2000000, \"x-checkpoint-delay\": 4294967295, \"max-cpu-throttle\": 99}"),
                QUERY_PARAMS,
                params("{\"cpu-throttle-initial\": 50, \"max-cpu-throttle\": 40, \"downtime-limit\": 5}"),
                params("{\"cpu-throttle-initial\": 30, \"max-cpu-throttle\": 30}"),
                params("{\"cpu-throttle-initial\": 31}"),
                params("{\"compress-threads\": 0, \"compress-level\": 10}"),
                params("{\"max-bandwidth\": 1, \"tls-creds\": \"x\", \"announce-step\": 0}"),
                params("{\"compress-level\": 1, \"compress-threads\": 8, \"decompress-threads\": 2,"
                        + " \"compress-wait-thread\": true, \"tls-creds\": \"\", \"tls-hostname\": null, \"tls-authz\": null,"
                        + " \"block-incremental\": false, \"multifd-channels\": 2, \"xbzrle-cache-size\": 67108864,"
                        + " \"max-postcopy-bandwidth\": 0, \"multifd-compression\": \"none\", \"multifd-zlib-level\": 1,"
                        + " \"multifd-zstd-level\": 1}"),
                params("{\"max-bandwidth\": 18446744073709551615}"),
                QUERY_PARAMS,
                params("{\"cpu-throttle-initial\": 256}"),
                params("{\"cpu-throttle-initial\": -1}"),
                params("{\"cpu-throttle-initial\": \"x\"}"),
                params("{\"x-checkpoint-delay\": 4294967296}"),
                params("{\"tls-creds\": 5}"),
                params("{\"cpu-throttle-tailslow\": 1}"),
                params("{\"bogus\": 1}"),
                params("{\"multifd-compression\": \"lz4\"}"),
                params("{\"block-bitmap-mapping\": [{\"node-name\": \"a\", \"alias\": \"1x\", \"bitmaps\": []}]}"),
                params("{\"block-bitmap-mapping\": [{\"node-name\": \"abcdefghijklmnopqrstuvwxyz0123456\", \"alias\": \"x\", \"bitmaps\": []}]}"),
                params("{\"block-bitmap-mapping\": [{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": []},"
                        + " {\"node-name\": \"a\", \"alias\": \"y\", \"bitmaps\": []}]}"),
                params("{\"block-bitmap-mapping\": [{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\": []},"
                        + " {\"node-name\": \"b\", \"alias\": \"x\", \"bitmaps\": []}]}"),
                params("{\"block-bitmap-mapping\": [{\"node-name\": \"a\", \"alias\": \"x\", \"bitmaps\":"
                        + " [{\"name\": \"b\", \"alias\": \"c\"}, {\"name\": \"b\", \"alias\": \"d\"}]}]}"),
                params("{\"block-bitmap-mapping\": []}"),
                QUERY_PARAMS));
        for (String range : List.of(
                "\"compress-level\": 10", "\"compress-threads\": 0", "\"decompress-threads\": 0",
                "\"throttle-trigger-threshold\": 0", "\"throttle-trigger-threshold\": 101",
                "\"cpu-throttle-initial\": 0", "\"cpu-throttle-initial\": 100", "\"cpu-throttle-increment\": 0",
                "\"cpu-throttle-increment\": 100", "\"downtime-limit\": 2000001",
                "\"downtime-limit\": 18446744073709551615", "\"multifd-channels\": 0", "\"xbzrle-cache-size\": 1000",
                "\"xbzrle-cache-size\": 2048", "\"xbzrle-cache-size\": 12288", "\"max-cpu-throttle\": 10",
                "\"max-cpu-throttle\": 100", "\"announce-initial\": 100001", "\"announce-initial\": 18446744073709551615",
                "\"announce-max\": 100001", "\"announce-rounds\": 1001", "\"announce-step\": 0",
                "\"announce-step\": 10001")) {
            same.add(params("{\"x-checkpoint-delay\": 7, " + range + "}"));
        }
        same.add(QUERY_PARAMS);
        try (Pair pair = new Pair()) {
            pair.same(same);
            ours(pair, "compress-level", "0", "compression", "1", "1");
            ours(pair, "compress-threads", "4", "compression", "8", "8");
            ours(pair, "decompress-threads", "4", "compression", "2", "2");
            ours(pair, "compress-wait-thread", "false", "compression", "true", "true");
            ours(pair, "tls-creds", "\"tls0\"", "TLS", "an empty string", "\"\"");
            ours(pair, "tls-hostname", "\"example.org\"", "TLS", "an empty string", "null");
            ours(pair, "tls-authz", "\"authz0\"", "TLS", "an empty string", "\"\"");
            ours(pair, "block-incremental", "true", "block migration", "false", "false");
            ours(pair, "multifd-channels", "4", "multifd", "2", "2");
            ours(pair, "xbzrle-cache-size", "8192", "XBZRLE", "67108864", "67108864");
            ours(pair, "max-postcopy-bandwidth", "1", "postcopy", "0", "0");
            ours(pair, "multifd-compression", "\"zlib\"", "multifd", "'none'", "\"none\"");
            ours(pair, "multifd-zlib-level", "10", "multifd", "1", "1");
            ours(pair, "multifd-zstd-level", "30", "multifd", "1", "1");
            ours(pair, "block-bitmap-mapping", "[{\"node-name\": \"a\", \"alias\": \"b\", \"bitmaps\": []}]",
                    "dirty-bitmap migration", "an empty list", "[]");
            pair.same(List.of(QUERY_PARAMS));
        }
    }

    private static void ours(Pair pair, String name, String value, String feature, String defaultText, String undo)
            throws IOException {
        pair.ours(params("{\"" + name + "\": " + value + "}"),
                "Migration parameter '" + name + "' is not supported by this VMM (it has no " + feature
                        + "): only its default, " + defaultText + ", is accepted",
                params("{\"" + name + "\": " + undo + "}"));
    }

    /** Our VMM and QEMU 7.2, started alike, each with a QMP connection. */
    private static final class Pair implements AutoCloseable {
        private final Lab lab;
        private final QmpLines vmm;
        private final QmpLines qemu;

        Pair() throws Exception {
            Lab.assumeQemu("the migration settings were not compared with QEMU 7.2");
            lab = new Lab();
            vmm = lab.vmm("vmm", "-S").qmp();
            qemu = lab.qemu("qemu", "-M", "none", "-S").qmp();
        }

        void same(List<String> requests) throws IOException {
            for (String request : requests) {
                assertThat(exchange(vmm, request)).as("answer to %s", request).isEqualTo(exchange(qemu, request));
            }
        }

        void ours(String request, String ourText, String undo) throws IOException {
            assertThat(exchange(qemu, request)).as("QEMU 7.2 accepts %s", request).isEqualTo("[] {\"return\": {}}");
            assertThat(exchange(vmm, request)).as("our answer to %s", request).isEqualTo(
                    "[] {\"error\": {\"class\": \"GenericError\", \"desc\": \"" + ourText.replace("\"", "\\\"") + "\"}}");
            same(List.of(undo));
        }

        private static String exchange(QmpLines qmp, String request) throws IOException {
            String reply = qmp.call(request);
            return qmp.takeEvents() + " " + reply;
        }

        @Override
        public void close() throws IOException {
            try (lab; qemu; vmm) {
                // closes all three
            }
        }
    }
}
