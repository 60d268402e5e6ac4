package org.qapi4j.qmp.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad command arguments and QEMU 7.2's answers to them, as observed from Debian 12's
 * {@code qemu-system-x86_64} (QEMU 7.2.22, {@code -M none}) and checked again by
 * {@link RealQemuArgumentErrorsTest} whenever that binary is at hand.
 *
 * <p>Every case fails while QEMU decodes the arguments, before the command runs, so sending
 * them all to one QEMU changes nothing in it. Some cases hold an acceptable value next to the
 * error (a negative {@code uint64}, {@code null} for a {@code StrOrNull}, the smallest
 * {@code int64}): the error that follows proves that the value was accepted.
 *
 * <p>Arguments are written with single quotes for readability; {@link ArgumentErrorCase#arguments()} turns
 * them into JSON. A null argument text means the request has no {@code "arguments"} member.
 *
 * <p>Not reachable through QEMU 7.2's commands, so not here: {@code int8}, {@code int16} and
 * {@code number} arguments (the schema uses them in answers only) and the {@code null} type
 * outside the alternate {@code StrOrNull}. {@code QapiReaderTest} pins those paths from
 * QEMU's source.
 */
final class ArgumentErrorCases {
    private ArgumentErrorCases() {}

    /**
     * 300 argument objects with several unexpected members each, and the one QEMU 7.2 named
     * ({@code unexpected-member-qemu72.tsv}): the evidence for {@code UnexpectedMember}'s model
     * of QEMU's hash tables.
     */
    static List<ArgumentErrorCase> unexpectedMemberCases() {
        List<ArgumentErrorCase> cases = new ArrayList<>();
        try (InputStream in = ArgumentErrorCases.class.getResourceAsStream("unexpected-member-qemu72.tsv");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.lastIndexOf('\t');
                cases.add(generic("unexpected-random-" + cases.size(), "migrate-set-parameters",
                        line.substring(0, tab), "Parameter '" + line.substring(tab + 1) + "' is unexpected"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /**
     * Arguments that QEMU 7.2 started with {@code -compat deprecated-input=reject,
     * unstable-input=reject} refuses, with its answers: deprecated and unstable members and
     * enum values, the policy checked before the member's type, in the schema's member order.
     */
    static final List<ArgumentErrorCase> POLICY_CASES = List.of(
            generic("policy-deprecated-member", "eject", "{'device': 'x'}",
                    "Deprecated parameter device disabled by policy"),
            generic("policy-before-type", "eject", "{'device': 1}",
                    "Deprecated parameter device disabled by policy"),
            generic("policy-deprecated-member-2", "block-commit", "{'device': 'x', 'base': 'y'}",
                    "Deprecated parameter base disabled by policy"),
            generic("policy-unstable-member", "migrate-set-parameters", "{'x-checkpoint-delay': 100}",
                    "Unstable parameter x-checkpoint-delay disabled by policy"),
            generic("policy-unstable-member-bad-type", "migrate-set-parameters", "{'x-checkpoint-delay': 'no'}",
                    "Unstable parameter x-checkpoint-delay disabled by policy"),
            generic("policy-after-earlier-member", "migrate-set-parameters",
                    "{'x-checkpoint-delay': 1, 'announce-initial': 'x'}",
                    "Parameter 'announce-initial' expects uint64"),
            generic("policy-unstable-value", "migrate-set-capabilities",
                    "{'capabilities': [{'capability': 'x-colo', 'state': true}]}",
                    "Unstable value x-colo disabled by policy"));

    private static ArgumentErrorCase generic(String id, String command, @Nullable String arguments, String description) {
        return new ArgumentErrorCase(id, command, arguments, ErrorClass.GENERIC_ERROR, description);
    }

    private static ArgumentErrorCase notFound(String id, String command, @Nullable String arguments, String description) {
        return new ArgumentErrorCase(id, command, arguments, ErrorClass.COMMAND_NOT_FOUND, description);
    }

    static final List<ArgumentErrorCase> CASES = List.of(
        // Unknown commands, including one the 7.2 schema has but only for other targets.
        notFound("cmd-unknown", "no-such-command", "{}",
                "The command no-such-command has not been found"),
        notFound("cmd-unknown-args", "no-such-command", "{'x': 1}",
                "The command no-such-command has not been found"),
        notFound("cmd-unknown-noargs", "x-no-such", null,
                "The command x-no-such has not been found"),
        notFound("cmd-excluded-by-condition", "query-gic-capabilities", "{}",
                "The command query-gic-capabilities has not been found"),

        // Commands without arguments, given some.
        generic("noargs-one", "query-status", "{'x': 1}",
                "Parameter 'x' is unexpected"),
        generic("noargs-two", "query-status", "{'a': 1, 'b': 2}",
                "Parameter 'b' is unexpected"),
        generic("noargs-version", "query-version", "{'verbose': true}",
                "Parameter 'verbose' is unexpected"),
        generic("noargs-null", "query-name", "{'x': null}",
                "Parameter 'x' is unexpected"),

        // Missing members, and which error wins when there are several problems.
        generic("missing-top", "migrate", "{}",
                "Parameter 'uri' is missing"),
        generic("missing-top-absent-args", "migrate", null,
                "Parameter 'uri' is missing"),
        generic("missing-before-unexpected", "migrate", "{'bogus': 1}",
                "Parameter 'uri' is missing"),

        // Wrong JSON types for 'str' and 'bool'.
        generic("str-int", "migrate", "{'uri': 1}",
                "Invalid parameter type for 'uri', expected: string"),
        generic("str-null", "migrate", "{'uri': null}",
                "Invalid parameter type for 'uri', expected: string"),
        generic("str-object", "migrate", "{'uri': {}}",
                "Invalid parameter type for 'uri', expected: string"),
        generic("str-array", "migrate", "{'uri': []}",
                "Invalid parameter type for 'uri', expected: string"),
        generic("str-bool", "migrate", "{'uri': true}",
                "Invalid parameter type for 'uri', expected: string"),
        generic("bool-string", "migrate", "{'uri': 'x', 'blk': 'yes'}",
                "Invalid parameter type for 'blk', expected: boolean"),
        generic("bool-int", "migrate", "{'uri': 'x', 'detach': 1}",
                "Invalid parameter type for 'detach', expected: boolean"),
        generic("bool-null", "migrate", "{'uri': 'x', 'resume': null}",
                "Invalid parameter type for 'resume', expected: boolean"),
        generic("unexpected-after-valid", "migrate", "{'uri': 'x', 'blk': false, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),

        // Lists of structs: missing, mistyped and unexpected members inside elements.
        generic("caps-missing", "migrate-set-capabilities", "{}",
                "Parameter 'capabilities' is missing"),
        generic("caps-not-array", "migrate-set-capabilities", "{'capabilities': {}}",
                "Invalid parameter type for 'capabilities', expected: array"),
        generic("caps-string", "migrate-set-capabilities", "{'capabilities': 'xbzrle'}",
                "Invalid parameter type for 'capabilities', expected: array"),
        generic("caps-elem-not-object", "migrate-set-capabilities", "{'capabilities': [1]}",
                "Invalid parameter type for 'capabilities[0]', expected: object"),
        generic("caps-elem-state-missing", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle'}]}",
                "Parameter 'capabilities[0].state' is missing"),
        generic("caps-elem-cap-missing", "migrate-set-capabilities", "{'capabilities': [{'state': true}]}",
                "Parameter 'capabilities[0].capability' is missing"),
        generic("caps-elem-state-string", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle', 'state': 'on'}]}",
                "Invalid parameter type for 'capabilities[0].state', expected: boolean"),
        generic("caps-elem-enum-unknown", "migrate-set-capabilities", "{'capabilities': [{'capability': 'nope', 'state': true}]}",
                "Parameter 'capability' does not accept value 'nope'"),
        generic("caps-elem-enum-int", "migrate-set-capabilities", "{'capabilities': [{'capability': 1, 'state': true}]}",
                "Invalid parameter type for 'capabilities[0].capability', expected: string"),
        generic("caps-deprecated-value-then-error", "migrate-set-capabilities", "{'capabilities': [{'capability': 'block', 'state': 1}]}",
                "Invalid parameter type for 'capabilities[0].state', expected: boolean"),
        generic("caps-elem-unexpected", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle', 'state': true, 'extra': 1}]}",
                "Parameter 'capabilities[0].extra' is unexpected"),
        generic("caps-second-elem", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle', 'state': true}, {'capability': 'xbzrle'}]}",
                "Parameter 'capabilities[1].state' is missing"),
        generic("caps-unexpected-top", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle', 'state': true}], 'extra': 1}",
                "Parameter 'extra' is unexpected"),

        // Several unexpected members: QEMU names the first its GHashTable iterates (see UnexpectedMember).
        generic("caps-three-unexpected", "migrate-set-capabilities", "{'capabilities': [], 'a': 1, 'b': 2, 'c': 3}",
                "Parameter 'b' is unexpected"),
        generic("caps-many-unexpected", "migrate-set-capabilities", "{'capabilities': [], 'zeta': 1, 'alpha': 2, 'mid': 3, 'x-1': 4, 'beta': 5, 'omega': 6, 'q': 7, 'r': 8, 's': 9, 't': 10}",
                "Parameter 'x-1' is unexpected"),
        generic("caps-elem-two-unexpected", "migrate-set-capabilities", "{'capabilities': [{'capability': 'xbzrle', 'state': true, 'foo': 1, 'bar': 2}]}",
                "Parameter 'capabilities[0].bar' is unexpected"),
        generic("unexpected-non-ascii", "migrate-set-capabilities", "{'capabilities': [], 'é': 1, 'ü': 2, 'a': 3}",
                "Parameter 'ü' is unexpected"),
        generic("unexpected-after-many-read", "migrate-set-parameters", "{'announce-initial': 1, 'announce-max': 1, 'announce-rounds': 1, 'announce-step': 1, 'compress-level': 1, 'compress-threads': 1, 'decompress-threads': 1, 'tls-creds': null, 'max-bandwidth': 1, 'multifd-compression': 'none', 'block-bitmap-mapping': [], 'zz': 1, 'aa': 2, 'mm': 3}",
                "Parameter 'aa' is unexpected"),
        generic("unexpected-nested-several", "blockdev-add", "{'driver': 'qcow2', 'file': {'driver': 'file', 'filename': '/nonexistent', 'one': 1, 'two': 2, 'three': 3}}",
                "Parameter 'file.three' is unexpected"),

        // Unsigned integers: range checks name the member bare; type errors name the full path; uint64 accepts negatives.
        generic("uint8-over", "migrate-set-parameters", "{'compress-level': 256}",
                "Parameter 'compress-level' expects uint8_t"),
        generic("uint8-negative", "migrate-set-parameters", "{'compress-level': -1}",
                "Parameter 'compress-level' expects uint8_t"),
        generic("uint8-string", "migrate-set-parameters", "{'compress-level': '1'}",
                "Parameter 'compress-level' expects uint64"),
        generic("uint8-float", "migrate-set-parameters", "{'compress-level': 1.0}",
                "Parameter 'compress-level' expects uint64"),
        generic("uint32-over", "migrate-set-parameters", "{'x-checkpoint-delay': 4294967296}",
                "Parameter 'x-checkpoint-delay' expects uint32_t"),
        generic("uint32-negative", "migrate-set-parameters", "{'x-checkpoint-delay': -1}",
                "Parameter 'x-checkpoint-delay' expects uint32_t"),
        generic("uint32-float", "migrate-set-parameters", "{'x-checkpoint-delay': 1.5}",
                "Parameter 'x-checkpoint-delay' expects uint64"),
        generic("uint64-negative-accepted", "migrate-set-parameters", "{'downtime-limit': -1, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("uint64-min-int64-accepted", "migrate-set-parameters", "{'downtime-limit': -9223372036854775808, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("uint64-max-accepted", "migrate-set-parameters", "{'downtime-limit': 18446744073709551615, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("uint64-over", "migrate-set-parameters", "{'downtime-limit': 18446744073709551616}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("uint64-below-int64", "migrate-set-parameters", "{'downtime-limit': -9223372036854775809}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("uint64-huge", "migrate-set-parameters", "{'downtime-limit': 100000000000000000000000000000}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("uint64-exponent", "migrate-set-parameters", "{'downtime-limit': 1e3}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("uint64-bool", "migrate-set-parameters", "{'downtime-limit': false}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("uint8-negative-zero-accepted", "migrate-set-parameters", "{'compress-level': -0, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("uint8-negative-zero-float", "migrate-set-parameters", "{'compress-level': -0.0}",
                "Parameter 'compress-level' expects uint64"),
        generic("uint64-overflowing-float", "migrate-set-parameters", "{'downtime-limit': 1e400}",
                "Parameter 'downtime-limit' expects uint64"),
        generic("size-string", "migrate-set-parameters", "{'max-bandwidth': '1M'}",
                "Parameter 'max-bandwidth' expects uint64"),
        generic("size-bool", "migrate-set-parameters", "{'max-bandwidth': true}",
                "Parameter 'max-bandwidth' expects uint64"),
        generic("size-null", "migrate-set-parameters", "{'max-bandwidth': null}",
                "Parameter 'max-bandwidth' expects uint64"),
        generic("size-over", "migrate-set-parameters", "{'max-bandwidth': 18446744073709551616}",
                "Parameter 'max-bandwidth' expects uint64"),

        // Alternate StrOrNull and top-level enums.
        generic("alt-strornull-int", "migrate-set-parameters", "{'tls-creds': 1}",
                "Invalid parameter type for 'tls-creds', expected: StrOrNull"),
        generic("alt-strornull-object", "migrate-set-parameters", "{'tls-creds': {}}",
                "Invalid parameter type for 'tls-creds', expected: StrOrNull"),
        generic("alt-strornull-null-accepted", "migrate-set-parameters", "{'tls-creds': null, 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("enum-top-unknown", "migrate-set-parameters", "{'multifd-compression': 'lz4'}",
                "Parameter 'multifd-compression' does not accept value 'lz4'"),
        generic("enum-top-case", "migrate-set-parameters", "{'multifd-compression': 'ZLIB'}",
                "Parameter 'multifd-compression' does not accept value 'ZLIB'"),

        // Deeply nested: list in list in struct.
        generic("deep-missing", "migrate-set-parameters", "{'block-bitmap-mapping': [{'node-name': 'n', 'alias': 'a', 'bitmaps': [{'name': 'b'}]}]}",
                "Parameter 'block-bitmap-mapping[0].bitmaps[0].alias' is missing"),
        generic("deep-bool", "migrate-set-parameters", "{'block-bitmap-mapping': [{'node-name': 'n', 'alias': 'a', 'bitmaps': [{'name': 'b', 'alias': 'c', 'transform': {'persistent': 1}}]}]}",
                "Invalid parameter type for 'block-bitmap-mapping[0].bitmaps[0].transform.persistent', expected: boolean"),
        generic("deep-unexpected", "migrate-set-parameters", "{'block-bitmap-mapping': [{'node-name': 'n', 'alias': 'a', 'bitmaps': [{'name': 'b', 'alias': 'c', 'transform': {'x': 1}}]}]}",
                "Parameter 'block-bitmap-mapping[0].bitmaps[0].transform.x' is unexpected"),
        generic("deep-second-elem", "migrate-set-parameters", "{'block-bitmap-mapping': [{'node-name': 'n', 'alias': 'a', 'bitmaps': []}, {'node-name': 'm', 'bitmaps': []}]}",
                "Parameter 'block-bitmap-mapping[1].alias' is missing"),

        // Signed integers ('int', 'int64').
        generic("int64-over", "calc-dirty-rate", "{'calc-time': 9223372036854775808}",
                "Invalid parameter type for 'calc-time', expected: integer"),
        generic("int64-float", "calc-dirty-rate", "{'calc-time': 1.5}",
                "Invalid parameter type for 'calc-time', expected: integer"),
        generic("int64-float-integral", "calc-dirty-rate", "{'calc-time': 1.0}",
                "Invalid parameter type for 'calc-time', expected: integer"),
        generic("int64-string", "calc-dirty-rate", "{'calc-time': '1'}",
                "Invalid parameter type for 'calc-time', expected: integer"),
        generic("int64-min-accepted", "calc-dirty-rate", "{'calc-time': -9223372036854775808, 'mode': 'nope'}",
                "Parameter 'mode' does not accept value 'nope'"),
        generic("int-below", "calc-dirty-rate", "{'calc-time': 1, 'sample-pages': -9223372036854775809}",
                "Invalid parameter type for 'sample-pages', expected: integer"),
        generic("int-null", "calc-dirty-rate", "{'calc-time': 1, 'sample-pages': null}",
                "Invalid parameter type for 'sample-pages', expected: integer"),

        // Flat unions (boxed blockdev-add): discriminator, base before branch, branch members, values excluded by conditions.
        generic("union-missing-discriminator", "blockdev-add", "{}",
                "Parameter 'driver' is missing"),
        generic("union-discriminator-unknown", "blockdev-add", "{'driver': 'nope'}",
                "Parameter 'driver' does not accept value 'nope'"),
        generic("union-discriminator-int", "blockdev-add", "{'driver': 1}",
                "Invalid parameter type for 'driver', expected: string"),
        generic("union-branch-missing", "blockdev-add", "{'driver': 'file'}",
                "Parameter 'filename' is missing"),
        generic("union-base-before-branch", "blockdev-add", "{'driver': 'file', 'cache': []}",
                "Invalid parameter type for 'cache', expected: object"),
        generic("union-base-nested-bool", "blockdev-add", "{'driver': 'file', 'filename': '/nonexistent', 'cache': {'direct': 'yes'}}",
                "Invalid parameter type for 'cache.direct', expected: boolean"),
        generic("union-branch-int-over", "blockdev-add", "{'driver': 'file', 'filename': '/nonexistent', 'aio-max-batch': 9223372036854775808}",
                "Invalid parameter type for 'aio-max-batch', expected: integer"),
        generic("union-unexpected", "blockdev-add", "{'driver': 'file', 'filename': '/nonexistent', 'bogus': 1}",
                "Parameter 'bogus' is unexpected"),
        generic("union-unexpected-other-branch", "blockdev-add", "{'driver': 'file', 'filename': '/nonexistent', 'image': 'x'}",
                "Parameter 'image' is unexpected"),
        generic("union-discriminator-excluded-by-condition", "blockdev-add", "{'driver': 'io_uring'}",
                "Parameter 'driver' does not accept value 'io_uring'"),
        generic("union-discriminator-conditional", "blockdev-add", "{'driver': 'replication'}",
                "Parameter 'file' is missing"),

        // Alternates with an object branch (BlockdevRef, BlockdevRefOrNull, Qcow2OverlapChecks).
        generic("alt-ref-int", "blockdev-add", "{'driver': 'qcow2', 'file': 1}",
                "Invalid parameter type for 'file', expected: BlockdevRef"),
        generic("alt-ref-null", "blockdev-add", "{'driver': 'qcow2', 'file': null}",
                "Invalid parameter type for 'file', expected: BlockdevRef"),
        generic("alt-ref-nested-missing", "blockdev-add", "{'driver': 'qcow2', 'file': {'driver': 'file'}}",
                "Parameter 'file.filename' is missing"),
        generic("alt-ref-nested-empty", "blockdev-add", "{'driver': 'raw', 'file': {}}",
                "Parameter 'file.driver' is missing"),
        generic("alt-ref-nested-enum", "blockdev-add", "{'driver': 'raw', 'file': {'driver': 'nope'}}",
                "Parameter 'driver' does not accept value 'nope'"),
        generic("alt-ref-nested-unexpected", "blockdev-add", "{'driver': 'qcow2', 'file': {'driver': 'file', 'filename': '/nonexistent', 'bogus': 1}}",
                "Parameter 'file.bogus' is unexpected"),
        generic("alt-ref-or-null-int", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'backing': 5}",
                "Invalid parameter type for 'backing', expected: BlockdevRefOrNull"),
        generic("alt-enum-branch-unknown", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'overlap-check': 'nope'}",
                "Parameter 'overlap-check' does not accept value 'nope'"),
        generic("alt-no-branch", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'overlap-check': 5}",
                "Invalid parameter type for 'overlap-check', expected: Qcow2OverlapChecks"),
        generic("alt-object-branch-unexpected", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'overlap-check': {'template': 'all', 'x': 1}}",
                "Parameter 'overlap-check.x' is unexpected"),

        // A union nested in a union.
        generic("nested-union-wrong-type", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'encrypt': {'format': 'luks', 'key-secret': 1}}",
                "Invalid parameter type for 'encrypt.key-secret', expected: string"),
        generic("nested-union-discriminator", "blockdev-add", "{'driver': 'qcow2', 'file': 'f', 'encrypt': {'format': 'nope'}}",
                "Parameter 'format' does not accept value 'nope'"),

        // 'int32' ranges and lists of enums and structs in a union branch.
        generic("int32-over", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'max-transfer': 2147483648}",
                "Parameter 'max-transfer' expects int32_t"),
        generic("int32-under", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'opt-discard': -2147483649}",
                "Parameter 'opt-discard' expects int32_t"),
        generic("int32-string", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'max-transfer': 'big'}",
                "Invalid parameter type for 'max-transfer', expected: integer"),
        generic("list-enum-unknown", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'take-child-perms': ['consistent-read', 'nope']}",
                "Parameter 'null' does not accept value 'nope'"),
        generic("list-not-array", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'take-child-perms': 'consistent-read'}",
                "Invalid parameter type for 'take-child-perms', expected: array"),
        generic("list-elem-missing", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'inject-error': [{}]}",
                "Parameter 'inject-error[0].event' is missing"),
        generic("list-elem-enum", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'inject-error': [{'event': 'nope'}]}",
                "Parameter 'event' does not accept value 'nope'"),
        generic("list-elem-enum-wrong-type", "blockdev-add", "{'driver': 'blkdebug', 'image': 'i', 'take-child-perms': [1]}",
                "Invalid parameter type for 'take-child-perms[0]', expected: string"),

        // 'uint16' and lists of 'uint16' (boxed union set-numa-node).
        generic("uint16-over", "set-numa-node", "{'type': 'node', 'nodeid': 65536}",
                "Parameter 'nodeid' expects uint16_t"),
        generic("uint16-list-over", "set-numa-node", "{'type': 'node', 'cpus': [1, 65536]}",
                "Parameter 'null' expects uint16_t"),
        generic("uint16-list-string", "set-numa-node", "{'type': 'node', 'cpus': [1, '2']}",
                "Parameter 'cpus[1]' expects uint64"),
        generic("uint16-list-negative", "set-numa-node", "{'type': 'node', 'cpus': [-1]}",
                "Parameter 'null' expects uint16_t"),
        generic("union-boxed-enum", "set-numa-node", "{'type': 'nope'}",
                "Parameter 'type' does not accept value 'nope'"),

        // Alternates as list elements: the bare name is null.
        generic("alt-list-no-branch", "block-dirty-bitmap-merge", "{'node': 'n', 'target': 't', 'bitmaps': [1]}",
                "Invalid parameter type for 'null', expected: BlockDirtyBitmapOrStr"),
        generic("alt-list-object-missing", "block-dirty-bitmap-merge", "{'node': 'n', 'target': 't', 'bitmaps': ['a', {'node': 'n'}]}",
                "Parameter 'bitmaps[1].name' is missing"),
        generic("alt-list-null", "block-dirty-bitmap-merge", "{'node': 'n', 'target': 't', 'bitmaps': [null]}",
                "Invalid parameter type for 'null', expected: BlockDirtyBitmapOrStr"),

        // 'any', object-add and netdev_add (boxed unions), qmp_capabilities.
        generic("any-missing", "qom-set", "{'path': '/machine', 'property': 'x'}",
                "Parameter 'value' is missing"),
        generic("objadd-enum", "object-add", "{'qom-type': 'nope', 'id': 'x'}",
                "Parameter 'qom-type' does not accept value 'nope'"),
        generic("objadd-size", "object-add", "{'qom-type': 'memory-backend-ram', 'id': 'm', 'size': '1G'}",
                "Parameter 'size' expects uint64"),
        generic("objadd-uint16-list", "object-add", "{'qom-type': 'memory-backend-ram', 'id': 'm', 'host-nodes': [65536]}",
                "Parameter 'null' expects uint16_t"),
        generic("objadd-missing-size", "object-add", "{'qom-type': 'memory-backend-ram', 'id': 'm'}",
                "Parameter 'size' is missing"),
        generic("netdev-missing-id", "netdev_add", "{'type': 'user'}",
                "Parameter 'id' is missing"),
        generic("netdev-int32", "netdev_add", "{'id': 'n', 'type': 'hubport', 'hubid': 2147483648}",
                "Parameter 'hubid' expects int32_t"),
        generic("caps-enable-unknown", "qmp_capabilities", "{'enable': ['nope']}",
                "Parameter 'null' does not accept value 'nope'"),
        generic("caps-enable-not-list", "qmp_capabilities", "{'enable': 'oob'}",
                "Invalid parameter type for 'enable', expected: array")
    );
}
