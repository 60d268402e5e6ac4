package org.qapi4j.codegen.model;

import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * The text QEMU's {@code tests/qapi-schema/test-qapi.py} prints for a schema: every visited
 * entity (built-in types and arrays excepted), then every documentation block. It is the format
 * of the conformance corpus's {@code .out} files.
 */
public final class SchemaDumper implements SchemaVisitor {
    private final StringBuilder out = new StringBuilder();

    private SchemaDumper() {
    }

    /** The dump of {@code schema}, each line ending in a newline. */
    public static String dump(Schema schema) {
        SchemaDumper dumper = new SchemaDumper();
        schema.visit(dumper);
        dumper.dumpDocs(schema.docs());
        return dumper.out.toString();
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private static String py(boolean value) {
        return value ? "True" : "False";
    }

    @Override
    public void visitModule(String name) {
        line("module " + name);
    }

    @Override
    public void visitInclude(String name, SourceInfo info) {
        line("include " + name);
    }

    @Override
    public void visitEnumType(EnumType type) {
        line("enum " + type.name());
        if (type.prefix() != null && !type.prefix().isEmpty()) {
            line("    prefix " + type.prefix());
        }
        for (EnumMember m : type.members()) {
            line("    member " + m.name());
            printIf(m.ifCond(), 8);
            printFeatures(m.features(), 8);
        }
        printIf(type.ifCond(), 4);
        printFeatures(type.features(), 4);
    }

    @Override
    public void visitArrayType(ArrayType type) {
        if (type.info() == null) {
            return; // built-in arrays
        }
        line("array " + type.name() + " " + type.elementType().name());
        printIf(type.ifCond(), 4);
    }

    @Override
    public void visitObjectType(ObjectType type) {
        line("object " + type.name());
        if (type.base() != null) {
            line("    base " + type.base().name());
        }
        for (ObjectTypeMember m : type.localMembers()) {
            line("    member " + m.name() + ": " + m.type().name() + " optional=" + py(m.optional()));
            printIf(m.ifCond(), 8);
            printFeatures(m.features(), 8);
        }
        printVariants(type.branches());
        printIf(type.ifCond(), 4);
        printFeatures(type.features(), 4);
    }

    @Override
    public void visitAlternateType(AlternateType type) {
        line("alternate " + type.name());
        printVariants(type.alternatives());
        printIf(type.ifCond(), 4);
        printFeatures(type.features(), 4);
    }

    @Override
    public void visitCommand(Command command) {
        line("command " + command.name() + " " + nameOrNone(command.argType()) + " -> "
                + nameOrNone(command.retType()));
        line("    gen=" + py(command.gen()) + " success_response=" + py(command.successResponse())
                + " boxed=" + py(command.boxed()) + " oob=" + py(command.allowOob())
                + " preconfig=" + py(command.allowPreconfig())
                + (command.coroutine() ? " coroutine=True" : ""));
        printIf(command.ifCond(), 4);
        printFeatures(command.features(), 4);
    }

    @Override
    public void visitEvent(Event event) {
        line("event " + event.name() + " " + nameOrNone(event.argType()));
        line("    boxed=" + py(event.boxed()));
        printIf(event.ifCond(), 4);
        printFeatures(event.features(), 4);
    }

    private static String nameOrNone(Definition definition) {
        return definition == null ? "None" : definition.name();
    }

    private void printVariants(Variants variants) {
        if (variants == null) {
            return;
        }
        line("    tag " + variants.tagMember().name());
        for (Variant v : variants.variants()) {
            line("    case " + v.name() + ": " + v.type().name());
            printIf(v.ifCond(), 8);
        }
    }

    private void printIf(IfCond ifCond, int indent) {
        if (ifCond.isPresent()) {
            line(" ".repeat(indent) + "if " + ifCond.pythonStr());
        }
    }

    private void printFeatures(List<Feature> features, int indent) {
        for (Feature f : features) {
            line(" ".repeat(indent) + "feature " + f.name());
            printIf(f.ifCond(), indent + 4);
        }
    }

    private void dumpDocs(List<QapiDoc> docs) {
        for (QapiDoc doc : docs) {
            if (doc.symbol() != null && !doc.symbol().isEmpty()) {
                line("doc symbol=" + doc.symbol());
            } else {
                line("doc freeform");
            }
            line("    body=\n" + doc.body().text());
            for (Map.Entry<String, QapiDoc.ArgSection> e : doc.args().entrySet()) {
                line("    arg=" + e.getKey() + "\n" + e.getValue().text());
            }
            for (Map.Entry<String, QapiDoc.ArgSection> e : doc.features().entrySet()) {
                line("    feature=" + e.getKey() + "\n" + e.getValue().text());
            }
            for (QapiDoc.Section section : doc.sections()) {
                line("    section=" + section.kind() + "\n" + section.text());
            }
        }
    }
}
