package org.qapi4j.codegen.model;

import org.qapi4j.codegen.source.SourceInfo;

/** An {@code include} directive, kept in the including module. QEMU's {@code QAPISchemaInclude}. */
public final class Include extends Entity {
    private final Module subModule;

    Include(Module subModule, SourceInfo info) {
        super(info);
        this.subModule = subModule;
    }

    /** The module the directive includes. */
    public Module subModule() {
        return subModule;
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitInclude(subModule.name(), info());
    }
}
