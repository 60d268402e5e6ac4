package org.qapi4j.vmm.migration.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationCapabilityStatus;
import org.qapi4j.vmm.api.MigrationParameter;
import org.qapi4j.vmm.api.MigrationParameters;

/** MigrationSettings against QEMU 7.2's migration.c: defaults, every check, all or nothing, listeners. */
class MigrationSettingsTest {
    private final MigrationSettings settings = new MigrationSettings();

    static MigrateSetParameters params(String json) {
        return QapiReader.read(Json.parse(json), true, MigrateSetParameters::decode);
    }

    static List<MigrationCapabilityStatus> caps(Object... nameThenState) {
        List<MigrationCapabilityStatus> list = new ArrayList<>();
        for (int i = 0; i < nameThenState.length; i += 2) {
            list.add(new MigrationCapabilityStatus(MigrationCapability.fromWire((String) nameThenState[i]),
                    (Boolean) nameThenState[i + 1]));
        }
        return list;
    }

    private static String error(Runnable action) {
        try {
            action.run();
        } catch (QmpException e) {
            assertThat(e.error().errorClass().name()).isEqualTo("GenericError");
            return e.error().description();
        }
        throw new AssertionError("no error");
    }

    @Test
    void defaultsAreQemu72s() {
        assertThat(Json.write(settings.parameters().toJson())).isEqualTo(Json.write(Json.parse("""
                {"announce-initial": 50, "announce-max": 550, "announce-rounds": 5, "announce-step": 100,
                 "compress-level": 1, "compress-threads": 8, "compress-wait-thread": true,
                 "decompress-threads": 2, "throttle-trigger-threshold": 50, "cpu-throttle-initial": 20,
                 "cpu-throttle-increment": 10, "cpu-throttle-tailslow": false, "tls-creds": "",
                 "tls-hostname": "", "tls-authz": "", "max-bandwidth": 134217728, "downtime-limit": 300,
                 "x-checkpoint-delay": 20000, "block-incremental": false, "multifd-channels": 2,
                 "xbzrle-cache-size": 67108864, "max-postcopy-bandwidth": 0, "max-cpu-throttle": 99,
                 "multifd-compression": "none", "multifd-zlib-level": 1, "multifd-zstd-level": 1}""")));
        assertThat(settings.maxBandwidth()).isEqualTo(128L << 20);
        assertThat(settings.downtimeLimitMillis()).isEqualTo(300);
        assertThat(settings.checkpointDelayMillis()).isEqualTo(20000);
        assertThat(settings.cpuThrottleInitial()).isEqualTo(20);
        assertThat(settings.cpuThrottleIncrement()).isEqualTo(10);
        assertThat(settings.cpuThrottleTailslow()).isFalse();
        assertThat(settings.maxCpuThrottle()).isEqualTo(99);
        assertThat(settings.throttleTriggerThreshold()).isEqualTo(50);
    }

    @Test
    void capabilitiesAllOffInQemusOrder() {
        assertThat(settings.capabilities()).extracting(c -> c.capability().wireName()).containsExactly(
                "xbzrle", "rdma-pin-all", "auto-converge", "zero-blocks", "compress", "events", "postcopy-ram",
                "x-colo", "release-ram", "block", "return-path", "pause-before-switchover", "multifd",
                "dirty-bitmaps", "postcopy-blocktime", "late-block-activate", "x-ignore-shared",
                "validate-uuid", "background-snapshot", "zero-copy-send", "postcopy-preempt");
        assertThat(settings.capabilities()).noneMatch(MigrationCapabilityStatus::state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"events", "x-colo", "auto-converge", "return-path", "validate-uuid"})
    void honouredCapabilitiesGoOnAndOff(String name) {
        MigrationCapability.Known cap = (MigrationCapability.Known) MigrationCapability.fromWire(name);
        settings.setCapabilities(caps(name, true), false);
        assertThat(settings.isOn(cap)).isTrue();
        assertThat(settings.capabilities()).filteredOn(MigrationCapabilityStatus::state)
                .extracting(MigrationCapabilityStatus::capability).containsExactly(cap);
        settings.setCapabilities(caps(name, false), false);
        assertThat(settings.isOn(cap)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xbzrle", "rdma-pin-all", "zero-blocks", "compress", "postcopy-ram", "release-ram",
        "block", "pause-before-switchover", "multifd", "dirty-bitmaps", "postcopy-blocktime",
        "late-block-activate", "x-ignore-shared", "background-snapshot"})
    void unhonouredCapabilitiesAreRefusedInOurWords(String name) {
        assertThat(error(() -> settings.setCapabilities(caps("events", true, name, true), false)))
                .isEqualTo("Migration capability '" + name + "' is not supported by this VMM");
        assertThat(settings.capabilities()).noneMatch(MigrationCapabilityStatus::state);
        settings.setCapabilities(caps(name, false), false);
    }

    @Test
    void laterEntryWinsAsInQemu() {
        settings.setCapabilities(caps("xbzrle", true, "xbzrle", false, "events", false, "events", true), false);
        assertThat(settings.isOn(MigrationCapability.Known.XBZRLE)).isFalse();
        assertThat(settings.isOn(MigrationCapability.Known.EVENTS)).isTrue();
    }

    @Test
    void runningMigrationRefusesCapabilitiesWithQemusText() {
        assertThat(error(() -> settings.setCapabilities(caps("events", true), true)))
                .isEqualTo("There's a migration process in progress");
        assertThat(settings.isOn(MigrationCapability.Known.EVENTS)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "postcopy-ram,x-ignore-shared|Postcopy is not compatible with ignore-shared",
        "background-snapshot,return-path|Background-snapshot is not compatible with return-path",
        "background-snapshot,x-colo,events|Background-snapshot is not compatible with x-colo",
        "background-snapshot,postcopy-ram,multifd|Background-snapshot is not compatible with postcopy-ram",
        "zero-copy-send|Zero copy only available for non-compressed non-TLS multifd migration",
        "zero-copy-send,multifd,xbzrle|Zero copy only available for non-compressed non-TLS multifd migration",
        "postcopy-preempt|Postcopy preempt requires postcopy-ram",
        "postcopy-preempt,postcopy-ram,compress|Postcopy preempt not compatible with compress",
        "multifd,compress|Multifd is not compatible with compress"})
    void qemusCombinationChecksComeFirstWithQemusText(String names, String text) {
        List<Object> request = new ArrayList<>();
        for (String name : names.split(",")) {
            request.add(name);
            request.add(true);
        }
        assertThat(error(() -> settings.setCapabilities(caps(request.toArray()), false))).isEqualTo(text);
        assertThat(settings.capabilities()).noneMatch(MigrationCapabilityStatus::state);
    }

    @Test
    void combinationWithOneAlreadyOnCounts() {
        settings.setCapabilities(caps("return-path", true), false);
        assertThat(error(() -> settings.setCapabilities(caps("background-snapshot", true), false)))
                .isEqualTo("Background-snapshot is not compatible with return-path");
    }

    @Test
    void unknownCapabilityIsRefusedAsQemuDecodes() {
        assertThat(error(() -> settings.setCapabilities(caps("events", true, "nope", true), false)))
                .isEqualTo("Parameter 'capability' does not accept value 'nope'");
        assertThat(settings.isOn(MigrationCapability.Known.EVENTS)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"compress-level\": 10}|Parameter 'compress_level' expects a value between 0 and 9",
        "{\"compress-threads\": 0}|Parameter 'compress_threads' expects a value between 1 and 255",
        "{\"decompress-threads\": 0}|Parameter 'decompress_threads' expects a value between 1 and 255",
        "{\"throttle-trigger-threshold\": 0}|Parameter 'throttle_trigger_threshold' expects an integer in the range of 1 to 100",
        "{\"throttle-trigger-threshold\": 101}|Parameter 'throttle_trigger_threshold' expects an integer in the range of 1 to 100",
        "{\"cpu-throttle-initial\": 0}|Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99",
        "{\"cpu-throttle-initial\": 100}|Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99",
        "{\"cpu-throttle-increment\": 0}|Parameter 'cpu_throttle_increment' expects an integer in the range of 1 to 99",
        "{\"cpu-throttle-increment\": 100}|Parameter 'cpu_throttle_increment' expects an integer in the range of 1 to 99",
        "{\"downtime-limit\": 2000001}|Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms",
        "{\"downtime-limit\": 18446744073709551615}|Parameter 'downtime_limit' expects an integer in the range of 0 to (2000 * 1000) ms",
        "{\"multifd-channels\": 0}|Parameter 'multifd_channels' expects a value between 1 and 255",
        "{\"xbzrle-cache-size\": 1000}|Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size",
        "{\"xbzrle-cache-size\": 2048}|Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size",
        "{\"xbzrle-cache-size\": 12288}|Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size",
        "{\"max-cpu-throttle\": 10}|Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99",
        "{\"max-cpu-throttle\": 100}|Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99",
        "{\"cpu-throttle-initial\": 50, \"max-cpu-throttle\": 40}|Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99",
        "{\"announce-initial\": 100001}|Parameter 'announce_initial' expects a value between 0 and 100000",
        "{\"announce-initial\": 18446744073709551615}|Parameter 'announce_initial' expects a value between 0 and 100000",
        "{\"announce-max\": 100001}|Parameter 'announce_max' expects a value between 0 and 100000",
        "{\"announce-rounds\": 1001}|Parameter 'announce_rounds' expects a value between 0 and 1000",
        "{\"announce-step\": 0}|Parameter 'announce_step' expects a value between 0 and 10000",
        "{\"announce-step\": 10001}|Parameter 'announce_step' expects a value between 0 and 10000",
        "{\"compress-threads\": 0, \"compress-level\": 10}|Parameter 'compress_level' expects a value between 0 and 9",
        "{\"max-bandwidth\": 1, \"tls-creds\": \"x\", \"announce-step\": 0}|Parameter 'announce_step' expects a value between 0 and 10000",
        "{\"tls-creds\": 5}|Invalid parameter type for 'tls-creds', expected: StrOrNull"})
    void qemusRangeChecksWithQemusTextAllOrNothing(String json, String text) {
        MigrationParameters before = settings.parameters();
        assertThat(error(() -> settings.setParameters(params(json)))).isEqualTo(text);
        assertThat(settings.parameters()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"compress-level\": 0}|compress-level|compression|1",
        "{\"compress-threads\": 4}|compress-threads|compression|8",
        "{\"decompress-threads\": 4}|decompress-threads|compression|2",
        "{\"compress-wait-thread\": false}|compress-wait-thread|compression|true",
        "{\"tls-creds\": \"tls0\"}|tls-creds|TLS|an empty string",
        "{\"tls-hostname\": \"example.org\"}|tls-hostname|TLS|an empty string",
        "{\"tls-authz\": \"authz0\"}|tls-authz|TLS|an empty string",
        "{\"block-incremental\": true}|block-incremental|block migration|false",
        "{\"multifd-channels\": 4}|multifd-channels|multifd|2",
        "{\"xbzrle-cache-size\": 8192}|xbzrle-cache-size|XBZRLE|67108864",
        "{\"max-postcopy-bandwidth\": 1}|max-postcopy-bandwidth|postcopy|0",
        "{\"multifd-compression\": \"zlib\"}|multifd-compression|multifd|'none'",
        "{\"multifd-zlib-level\": 10}|multifd-zlib-level|multifd|1",
        "{\"multifd-zstd-level\": 30}|multifd-zstd-level|multifd|1",
        "{\"block-bitmap-mapping\": [{\"node-name\": \"a\", \"alias\": \"b\", \"bitmaps\": []}]}|block-bitmap-mapping|dirty-bitmap migration|an empty list"})
    void unsupportedFeaturesValuesAreRefusedInOurWords(String json, String name, String feature, String dflt) {
        MigrationParameters before = settings.parameters();
        // A valid change beside it must not take effect either.
        assertThat(error(() -> settings.setParameters(params(json.replaceFirst("\\{", "{\"downtime-limit\": 5, ")))))
                .isEqualTo("Migration parameter '" + name + "' is not supported by this VMM (it has no " + feature
                        + "): only its default, " + dflt + ", is accepted");
        assertThat(settings.parameters()).isEqualTo(before);
    }

    @Test
    void defaultsOfUnsupportedFeaturesAndNullTlsAreAccepted() {
        settings.setParameters(params("""
                {"compress-level": 1, "compress-threads": 8, "decompress-threads": 2, "compress-wait-thread": true,
                 "tls-creds": "", "tls-hostname": null, "tls-authz": null, "block-incremental": false,
                 "multifd-channels": 2, "xbzrle-cache-size": 67108864, "max-postcopy-bandwidth": 0,
                 "multifd-compression": "none", "multifd-zlib-level": 1, "multifd-zstd-level": 1,
                 "block-bitmap-mapping": []}"""));
        MigrationParameters p = settings.parameters();
        assertThat(p.tlsHostname()).isEmpty();
        assertThat(p.tlsAuthz()).isEmpty();
        assertThat(p.blockBitmapMapping()).isEmpty();
        assertThat(Json.write(p.toJson())).contains("\"block-bitmap-mapping\":[]");
    }

    @Test
    void supportedParametersAreStoredAndRead() {
        settings.setParameters(params("""
                {"announce-initial": 100000, "announce-max": 0, "announce-rounds": 1000, "announce-step": 10000,
                 "throttle-trigger-threshold": 100, "cpu-throttle-initial": 99, "cpu-throttle-increment": 1,
                 "cpu-throttle-tailslow": true, "max-bandwidth": 0, "downtime-limit": 2000000,
                 "x-checkpoint-delay": 4294967295, "max-cpu-throttle": 99}"""));
        assertThat(settings.cpuThrottleInitial()).isEqualTo(99);
        assertThat(settings.cpuThrottleIncrement()).isEqualTo(1);
        assertThat(settings.cpuThrottleTailslow()).isTrue();
        assertThat(settings.throttleTriggerThreshold()).isEqualTo(100);
        assertThat(settings.maxCpuThrottle()).isEqualTo(99);
        assertThat(settings.maxBandwidth()).isZero();
        assertThat(settings.downtimeLimitMillis()).isEqualTo(2000000);
        assertThat(settings.checkpointDelayMillis()).isEqualTo(4294967295L);
        assertThat(settings.parameters().announceInitial()).isEqualTo(100000);
        assertThat(settings.parameters().announceMax()).isZero();
        assertThat(settings.parameters().announceRounds()).isEqualTo(1000);
        assertThat(settings.parameters().announceStep()).isEqualTo(10000);
    }

    @Test
    void hugeBandwidthIsReportedUnsignedAndReadAsNoLimit() {
        settings.setParameters(params("{\"max-bandwidth\": 18446744073709551615}"));
        assertThat(Json.write(settings.parameters().toJson())).contains("\"max-bandwidth\":18446744073709551615");
        assertThat(settings.maxBandwidth()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void maxCpuThrottleIsCheckedAgainstTheNewInitial() {
        settings.setParameters(params("{\"cpu-throttle-initial\": 30, \"max-cpu-throttle\": 30}"));
        assertThat(error(() -> settings.setParameters(params("{\"cpu-throttle-initial\": 31}"))))
                .isEqualTo("Parameter 'max_cpu_throttle' expects an integer in the range of cpu_throttle_initial to 99");
        assertThat(settings.cpuThrottleInitial()).isEqualTo(30);
    }

    @Test
    void rangeCheckBeatsOurRefusal() {
        assertThat(error(() -> settings.setParameters(params("{\"compress-level\": 10, \"tls-creds\": \"x\"}"))))
                .isEqualTo("Parameter 'compress_level' expects a value between 0 and 9");
        assertThat(error(() -> settings.setParameters(params("{\"xbzrle-cache-size\": 100}"))))
                .isEqualTo("Parameter 'xbzrle_cache_size' expects a power of two no less than the target page size");
    }

    @Test
    void listenersHearOnlyRealChangesAfterTheyAreInPlace() {
        List<String> heard = new ArrayList<>();
        settings.addParameterListener(p -> heard.add(p.wireName() + "=" + settings.downtimeLimitMillis()));
        settings.setParameters(params("{\"downtime-limit\": 300, \"max-bandwidth\": 1000, \"tls-creds\": null}"));
        settings.setParameters(params("{\"downtime-limit\": 500, \"x-checkpoint-delay\": 20000}"));
        assertThat(heard).containsExactly("max-bandwidth=300", "downtime-limit=500");
        heard.clear();
        assertThatThrownBy(() -> settings.setParameters(params("{\"downtime-limit\": 7, \"compress-level\": 10}")))
                .isInstanceOf(QmpException.class);
        assertThat(heard).isEmpty();
    }

    @Test
    void listenerMayReadFromAnotherThreadWithoutDeadlock() throws Exception {
        settings.addParameterListener(p -> {
            Thread reader = new Thread(settings::maxBandwidth);
            reader.start();
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(reader.isAlive()).isFalse();
        });
        settings.setParameters(params("{\"max-bandwidth\": 5}"));
        assertThat(settings.maxBandwidth()).isEqualTo(5);
    }

    @Test
    void parameterNamesCoverTheSchema() {
        MigrationParameters changed = new MigrationParameters(1L, 1L, 1L, 1L, 2, 2, false, 1, 1, 1, 1, true, "a", "a",
                "a", 1L, 1L, 1L, true, 1, 1L, 1L, 1, org.qapi4j.vmm.api.MultiFDCompression.ZLIB, 2, 2, List.of());
        assertThat(ParameterFields.changed(MigrationDefaults.parameters(), changed))
                .containsExactly(MigrationParameter.Known.values());
    }
}
