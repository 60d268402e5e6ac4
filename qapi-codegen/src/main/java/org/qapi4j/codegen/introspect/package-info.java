/**
 * QMP introspection: the answer to {@code query-qmp-schema}, QEMU's
 * {@code scripts/qapi/introspect.py} in Java.
 *
 * <p>{@link org.qapi4j.codegen.introspect.Introspection#build Introspection.build} turns a
 * checked schema into the {@code SchemaInfo} list a QEMU built from that schema reports, with the
 * build's conditions applied; {@link org.qapi4j.codegen.introspect.IntrospectionJson} writes it
 * as the compact JSON text that generated code ships.
 */
package org.qapi4j.codegen.introspect;
