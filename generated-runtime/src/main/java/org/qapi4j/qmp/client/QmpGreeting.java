package org.qapi4j.qmp.client;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.qmp.types.QemuVersion;
import tools.jackson.databind.JsonNode;

/**
 * What a QMP server says first: {@code {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2,
 * "major": 7}, "package": "..."}, "capabilities": ["oob"]}}}. Read tolerantly: missing numbers
 * are {@code -1}, a missing package is empty, members we do not know stay in {@link #json()}.
 *
 * @param major QEMU's major version
 * @param minor QEMU's minor version
 * @param micro QEMU's micro version
 * @param packageName the build's package string (Debian's, for instance), often empty
 * @param capabilities what the server offers to enable at negotiation, e.g. {@code oob}
 * @param json the whole greeting as received
 */
public record QmpGreeting(int major, int minor, int micro, String packageName, List<String> capabilities,
        JsonNode json) {

    public QmpGreeting {
        capabilities = List.copyOf(capabilities);
    }

    /** Reads the greeting; {@code message} must have a {@code QMP} member. */
    static QmpGreeting parse(JsonNode message) {
        JsonNode qmp = message.path("QMP");
        JsonNode version = qmp.path("version");
        JsonNode qemu = version.path("qemu");
        List<String> capabilities = new ArrayList<>();
        for (JsonNode capability : qmp.path("capabilities")) {
            if (capability.isString()) {
                capabilities.add(capability.asString());
            }
        }
        return new QmpGreeting(qemu.path("major").asInt(-1), qemu.path("minor").asInt(-1),
                qemu.path("micro").asInt(-1), version.path("package").asString(""), capabilities, message);
    }

    /** {@code major.minor.micro}, e.g. {@code 7.2.22}. */
    public String version() {
        return major + "." + minor + "." + micro;
    }

    /**
     * The server's QEMU version, to compare or branch on: {@code
     * greeting.qemuVersion().isAtLeast(8, 0)}; against what a binding was generated from, {@code
     * SchemaIntrospection.origin().version()}. A greeting without numbers gives {@code -1.-1.-1},
     * older than any release.
     */
    public QemuVersion qemuVersion() {
        return new QemuVersion(major, minor, micro);
    }

    /** Whether the server offers {@code capability} (e.g. {@code oob}). */
    public boolean offers(String capability) {
        return capabilities.contains(capability);
    }
}
