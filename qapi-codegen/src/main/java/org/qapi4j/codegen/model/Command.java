package org.qapi4j.codegen.model;

import java.util.List;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/** A command. QEMU's {@code QAPISchemaCommand}. */
public final class Command extends Definition {
    private final String argTypeName;
    private ObjectType argType;
    private final String retTypeName;
    private SchemaType retType;
    private final CommandFlags flags;

    /**
     * The command's flags, with QEMU's defaults for absent keys.
     *
     * @param gen {@code 'gen'}, default true
     * @param successResponse {@code 'success-response'}, default true
     * @param boxed {@code 'boxed'}, default false
     * @param allowOob {@code 'allow-oob'}, default false
     * @param allowPreconfig {@code 'allow-preconfig'}, default false
     * @param coroutine {@code 'coroutine'}, default false
     */
    public record CommandFlags(boolean gen, boolean successResponse, boolean boxed,
            boolean allowOob, boolean allowPreconfig, boolean coroutine) {
    }

    Command(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features,
            String argTypeName, String retTypeName, CommandFlags flags) {
        super(name, info, doc, ifCond, features);
        this.argTypeName = argTypeName;
        this.retTypeName = retTypeName;
        this.flags = flags;
    }

    @Override
    public String meta() {
        return "command";
    }

    /** The arguments' type (possibly implicit {@code q_obj_NAME-arg}), or null for none. */
    public ObjectType argType() {
        return argType;
    }

    /** The return type, or null when the command returns nothing. */
    public SchemaType retType() {
        return retType;
    }

    public CommandFlags flags() {
        return flags;
    }

    public boolean gen() {
        return flags.gen();
    }

    public boolean successResponse() {
        return flags.successResponse();
    }

    public boolean boxed() {
        return flags.boxed();
    }

    public boolean allowOob() {
        return flags.allowOob();
    }

    public boolean allowPreconfig() {
        return flags.allowPreconfig();
    }

    public boolean coroutine() {
        return flags.coroutine();
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        if (argTypeName != null) {
            argType = ArgumentTypes.resolve(schema, this, argTypeName, flags.boxed());
        }
        if (retTypeName != null) {
            retType = schema.resolveType(retTypeName, info(), "command's 'returns'");
            if (!info().pragma().commandReturnsExceptions().contains(name())) {
                SchemaType typ = retType;
                if (typ instanceof ArrayType) {
                    typ = ((ArrayType) typ).elementType();
                }
                if (!(typ instanceof ObjectType)) {
                    throw new SchemaException(
                            info(), "command's 'returns' cannot take " + retType.describe());
                }
            }
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        QapiDoc d = doc != null ? doc : doc();
        if (d != null) {
            if (argType != null && argType.isImplicit()) {
                argType.connectDoc(schema, d);
            }
            if (retType != null && info() != null) {
                d.ensureReturns(info());
            }
        }
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitCommand(this);
    }
}
