package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A schema file, or the built-in module {@code ./builtin}. QEMU's {@code QAPISchemaModule}.
 *
 * <p>A user module's name is its file name relative to the root schema's directory.
 */
public final class Module {
    /** The name of the module holding the built-in types. */
    public static final String BUILTIN_MODULE_NAME = "./builtin";

    private final String name;
    private final List<Entity> entities = new ArrayList<>();

    Module(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The entities of the module, in definition order. */
    public List<Entity> entities() {
        return Collections.unmodifiableList(entities);
    }

    /** Whether {@code name} names an internally defined module (starts with {@code ./}). */
    public static boolean isSystemModule(String name) {
        return name.startsWith("./");
    }

    /** Whether {@code name} names a module of the user's schema files. */
    public static boolean isUserModule(String name) {
        return !isSystemModule(name);
    }

    /** Whether {@code name} names the built-in module. */
    public static boolean isBuiltinModule(String name) {
        return BUILTIN_MODULE_NAME.equals(name);
    }

    void addEntity(Entity entity) {
        entities.add(entity);
    }

    void visit(SchemaVisitor visitor) {
        visitor.visitModule(name);
        for (Entity entity : entities) {
            if (visitor.visitNeeded(entity)) {
                entity.accept(visitor);
            }
        }
    }
}
