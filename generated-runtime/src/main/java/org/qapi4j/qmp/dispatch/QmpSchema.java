package org.qapi4j.qmp.dispatch;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a server needs to know of a whole schema to serve the commands QEMU's monitor serves
 * itself: {@code qmp_capabilities}, {@code query-commands} and {@code query-qmp-schema}. The
 * generated {@code SchemaIntrospection.schema()} implements it for a generated schema.
 */
public interface QmpSchema {
    /**
     * Every command of the schema (with the build's defines), in the order QEMU registers them:
     * the order of QEMU's generated {@code qmp_init_marshal} (module by module, each module's
     * commands in definition order), then the commands the schema marks {@code 'gen': false},
     * which QEMU registers by hand afterwards ({@code device_add} in QEMU 7.2). QEMU's
     * {@code query-commands} lists what is served in the reverse of this order.
     */
    Map<String, CommandSpec> commands();

    /** The answer to {@code query-qmp-schema}, as QEMU's generator builds it. */
    JsonNode schemaInfo();
}
