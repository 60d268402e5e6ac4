package org.qapi4j.codegen.model;

import org.qapi4j.codegen.diag.SchemaException;

/** The check of a command's or event's {@code 'data'}, which QEMU words the same for both. */
final class ArgumentTypes {

    private ArgumentTypes() {
    }

    /** Resolves and checks {@code typeName} as the data of {@code owner}, a command or event. */
    static ObjectType resolve(Schema schema, Definition owner, String typeName, boolean boxed) {
        String meta = owner.meta();
        SchemaType typ = schema.resolveType(typeName, owner.info(), meta + "'s 'data'");
        if (!(typ instanceof ObjectType)) {
            throw new SchemaException(
                    owner.info(), meta + "'s 'data' cannot take " + typ.describe());
        }
        ObjectType argType = (ObjectType) typ;
        if (argType.branches() != null && !boxed) {
            throw new SchemaException(owner.info(), meta + "'s 'data' can take "
                    + argType.describe() + " only with 'boxed': true");
        }
        argType.check(schema);
        if (argType.hasConditionalMembers() && !boxed) {
            throw new SchemaException(
                    owner.info(), "conditional " + meta + " arguments require 'boxed': true");
        }
        return argType;
    }
}
