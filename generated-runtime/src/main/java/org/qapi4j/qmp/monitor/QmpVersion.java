package org.qapi4j.qmp.monitor;

import java.util.Objects;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The version a QMP server announces in its greeting (and that {@code query-version} would
 * answer): {@code {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "..."}}.
 *
 * @param major QEMU's major version
 * @param minor QEMU's minor version
 * @param micro QEMU's micro version
 * @param packageVersion the distribution's package string, {@code ""} when none (QEMU's
 *     {@code QEMU_PKGVERSION})
 */
public record QmpVersion(int major, int minor, int micro, String packageVersion) {
    /** What Debian 12's {@code qemu-system-x86} 7.2 announces: for a server that must pass for it. */
    public static final QmpVersion QEMU_7_2 = new QmpVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3");

    /**
     * What a qapi4j server announces unless told otherwise: QEMU 7.2.0, the QMP whose behaviour
     * it has (clients that check the QEMU version see the version they talk to), and the package
     * {@code qapi4j} with its version, so that nobody takes it for a real QEMU.
     */
    public static final QmpVersion QAPI4J = new QmpVersion(7, 2, 0, packageName());

    public QmpVersion {
        Objects.requireNonNull(packageVersion, "packageVersion");
    }

    private static String packageName() {
        String version = QmpVersion.class.getPackage().getImplementationVersion();
        return version == null ? "qapi4j" : "qapi4j " + version;
    }

    /** The {@code version} member of the greeting, in QEMU's insertion order. */
    public ObjectNode toJson() {
        ObjectNode qemu = Json.object();
        qemu.put("major", major);
        qemu.put("minor", minor);
        qemu.put("micro", micro);
        ObjectNode version = Json.object();
        version.set("qemu", qemu);
        version.put("package", packageVersion);
        return version;
    }
}
