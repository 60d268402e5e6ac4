/**
 * The checked schema model: QEMU's {@code scripts/qapi/schema.py} in Java.
 *
 * <p>{@link org.qapi4j.codegen.model.Schema#build Schema.build} turns the checked expressions
 * into linked entities (types, commands, events, includes), adds QEMU's implicit types
 * (built-in types and their arrays, {@code q_empty}, {@code QType}, {@code q_obj_NAME-arg},
 * {@code q_obj_NAME-base}, {@code TYPEList}), checks them with QEMU's messages, connects the
 * documentation and assigns every entity to its module. Code generators read the result through
 * {@link org.qapi4j.codegen.model.SchemaVisitor}; the model is read-only for them.
 */
package org.qapi4j.codegen.model;
