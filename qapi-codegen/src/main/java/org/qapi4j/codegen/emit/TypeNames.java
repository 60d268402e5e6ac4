package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.Module;
import org.qapi4j.codegen.model.ObjectType;

/**
 * Every top-level Java class name of a generation run, allocated once before any code is
 * written, so that no emitter can take a name another one needs.
 *
 * <p>Schema types ask first and keep their names; then command argument records ({@code
 * migrate} → {@code MigrateArguments}), and last the generated infrastructure ({@code Event}
 * with the events nested in it: {@code STOP} → {@code Event.Stop}; {@code QmpCommands}; one
 * handler interface per schema module with commands, {@code migration.json} → {@code
 * MigrationCommands}; {@code QmpClient}), which takes a suffix should a schema already use its
 * name.
 */
final class TypeNames {
    private final String packageName;
    private final NameScope scope = new NameScope(true);
    private final Map<String, ClassName> types = new HashMap<>();
    private final Map<String, ClassName> events = new HashMap<>();
    private final Map<String, ClassName> arguments = new HashMap<>();
    private final ClassName eventType;
    private final ClassName unknownEvent;
    private final ClassName commands;
    private final Map<Module, ClassName> moduleCommands = new LinkedHashMap<>();
    private final ClassName client;
    private final ClassName introspection;

    /**
     * Simple names generated code refers to without qualification: java.lang's, and those of
     * the library and runtime types it imports. A schema type may not take one (QEMU has a
     * struct {@code String}); it becomes {@code QapiString} instead.
     */
    private static final Set<String> IMPLICITLY_USED = Set.of(
            "String", "Object", "Integer", "Long", "Boolean", "Double", "Number", "Void", "Override",
            "Deprecated", "Record", "Enum", "Class", "Math", "System", "Thread", "Exception", "Error",
            "Iterable", "Character", "Byte", "Short", "Float", "Module", "Package", "Comparable",
            "Runnable", "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "Throwable",
            "List", "Map", "Set", "Objects", "Collections", "LinkedHashMap", "Stream", "Collectors", "Nullable",
            "QapiReader", "Json", "QapiObject", "QapiEnum", "QapiValue", "QapiNull", "QmpEvent", "Unstable",
            "Members", "SchemaOrigin", "QemuVersion",
            "JsonNode", "ObjectNode", "CompletionStage", "CompletableFuture", "CommandContext",
            "CommandDispatcher", "CommandSpec", "QmpSchema", "QmpTransport", "QmpException", "ErrorClass");

    TypeNames(String packageName, Selection selection) {
        this.packageName = packageName;
        List<Definition> definitions = selection.definitions();
        scope.reserve(IMPLICITLY_USED.toArray(new String[0]));
        for (Definition definition : definitions) {
            if (definition instanceof EnumType || definition instanceof AlternateType
                    || (definition instanceof ObjectType && !definition.isImplicit())) {
                String preferred = JavaNames.typeName(definition.name());
                if (IMPLICITLY_USED.contains(preferred)) {
                    preferred = "Qapi" + preferred;
                }
                types.put(definition.name(), allocate(preferred));
            }
        }
        for (Definition definition : definitions) {
            if (definition instanceof Command command) {
                ObjectType args = command.argType();
                // 'gen': false commands take raw JSON: no argument record.
                if (args != null && args.isImplicit() && command.gen()) {
                    arguments.put(definition.name(),
                            allocate(JavaNames.typeName(JavaNames.memberName(definition.name())) + "Arguments"));
                }
            }
        }
        eventType = allocate("Event");
        NameScope eventScope = new NameScope(false).reserve(eventType.simpleName());
        for (Definition definition : definitions) {
            if (definition instanceof Event) {
                events.put(definition.name(), eventType.nestedClass(eventScope.allocate(JavaNames.className(definition.name()))));
            }
        }
        unknownEvent = eventType.nestedClass(eventScope.allocate("Unknown"));
        commands = allocate("QmpCommands");
        for (Module module : selection.commandsByModule().keySet()) {
            moduleCommands.put(module, allocate(JavaNames.fileTypeName(module.name()) + "Commands"));
        }
        client = allocate("QmpClient");
        introspection = allocate("SchemaIntrospection");
    }

    private ClassName allocate(String preferred) {
        String simple = Character.toUpperCase(preferred.charAt(0)) + preferred.substring(1);
        return ClassName.get(packageName, scope.allocate(simple));
    }

    String packageName() {
        return packageName;
    }

    /** The class of an enum, struct, union or alternate. */
    ClassName type(String qapiName) {
        ClassName name = types.get(qapiName);
        if (name == null) {
            throw new IllegalArgumentException("no Java class for QAPI type " + qapiName);
        }
        return name;
    }

    ClassName event(String qapiName) {
        return events.get(qapiName);
    }

    /** The argument record of a command whose arguments are written in place. */
    ClassName arguments(String commandName) {
        return arguments.get(commandName);
    }

    ClassName eventType() {
        return eventType;
    }

    ClassName unknownEvent() {
        return unknownEvent;
    }

    ClassName commands() {
        return commands;
    }

    /** The handler interface of a schema module that has commands. */
    ClassName moduleCommands(Module module) {
        ClassName name = moduleCommands.get(module);
        if (name == null) {
            throw new IllegalArgumentException("no commands in module " + module.name());
        }
        return name;
    }

    ClassName client() {
        return client;
    }

    ClassName introspection() {
        return introspection;
    }
}
