package org.qapi4j.codegen.emit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.codegen.model.Module;
import org.qapi4j.codegen.model.Schema;

/**
 * What one build generates from a schema: the definitions its conditions keep, in definition
 * order, and their commands module by module, in the order QEMU visits modules ({@link
 * Schema#modules()}: the built-in module, the main file, then each included file where it is
 * first included).
 */
final class Selection {
    private final List<Definition> definitions;
    private final Map<Module, List<Command>> commandsByModule;

    private Selection(List<Definition> definitions, Map<Module, List<Command>> commandsByModule) {
        this.definitions = definitions;
        this.commandsByModule = commandsByModule;
    }

    static Selection of(Schema schema, Conditions conditions) {
        List<Definition> definitions = new ArrayList<>();
        for (Entity entity : schema.entities()) {
            if (entity instanceof Definition definition && conditions.holds(definition.ifCond())) {
                definitions.add(definition);
            }
        }
        Map<Module, List<Command>> commandsByModule = new LinkedHashMap<>();
        for (Module module : schema.modules()) {
            List<Command> commands = new ArrayList<>();
            for (Entity entity : module.entities()) {
                if (entity instanceof Command command && conditions.holds(command.ifCond())) {
                    commands.add(command);
                }
            }
            if (!commands.isEmpty()) {
                commandsByModule.put(module, List.copyOf(commands));
            }
        }
        return new Selection(List.copyOf(definitions), Collections.unmodifiableMap(commandsByModule));
    }

    /** The definitions kept, in definition order. */
    List<Definition> definitions() {
        return definitions;
    }

    /** The commands kept, in definition order. */
    List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        for (Definition definition : definitions) {
            if (definition instanceof Command command) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** The modules with at least one command kept, in module order, each with those commands in definition order. */
    Map<Module, List<Command>> commandsByModule() {
        return commandsByModule;
    }
}
