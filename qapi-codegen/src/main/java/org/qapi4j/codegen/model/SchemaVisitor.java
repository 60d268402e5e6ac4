package org.qapi4j.codegen.model;

import org.qapi4j.codegen.source.SourceInfo;

/**
 * Walks a checked {@link Schema} module by module. QEMU's {@code QAPISchemaVisitor}; every
 * method does nothing unless overridden.
 *
 * <p>Where QEMU passes an entity's attributes one by one, this passes the entity; read the same
 * attributes from it. {@link #visitObjectType} corresponds to QEMU's {@code visit_object_type}
 * (use {@link ObjectType#base()} and {@link ObjectType#localMembers()}) and
 * {@link #visitObjectTypeFlat} to {@code visit_object_type_flat} (use
 * {@link ObjectType#members()}); both are called for every object type, in that order.
 */
public interface SchemaVisitor {

    /** Before anything else. */
    default void visitBegin(Schema schema) {
    }

    /** After everything else. */
    default void visitEnd() {
    }

    /** Before the entities of module {@code name}. */
    default void visitModule(String name) {
    }

    /** Whether to visit {@code entity}; all by default. */
    default boolean visitNeeded(Entity entity) {
        return true;
    }

    /** An include directive of module {@code name}. */
    default void visitInclude(String name, SourceInfo info) {
    }

    default void visitBuiltinType(BuiltinType type) {
    }

    default void visitEnumType(EnumType type) {
    }

    /** An array type; built-in ones have a null {@link ArrayType#info()}. */
    default void visitArrayType(ArrayType type) {
    }

    default void visitObjectType(ObjectType type) {
    }

    default void visitObjectTypeFlat(ObjectType type) {
    }

    default void visitAlternateType(AlternateType type) {
    }

    default void visitCommand(Command command) {
    }

    default void visitEvent(Event event) {
    }
}
