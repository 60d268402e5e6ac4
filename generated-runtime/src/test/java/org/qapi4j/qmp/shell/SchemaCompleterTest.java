package org.qapi4j.qmp.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.json.Json;

/** Completion comes from the server's query-qmp-schema answer. */
class SchemaCompleterTest {
    private static final String SCHEMA = """
            [{"name": "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "1"},
             {"name": "migrate", "meta-type": "command", "arg-type": "2", "ret-type": "0"},
             {"name": "0", "meta-type": "object", "members": []},
             {"name": "2", "meta-type": "object", "members": [{"name": "uri", "type": "str"},
                                                              {"name": "detach", "type": "bool", "default": null}]},
             {"name": "STOP", "meta-type": "event", "arg-type": "0"}]
            """;

    @Test
    void commandsAndTheirArguments() {
        SchemaCompleter completer = new SchemaCompleter(Json.parse(SCHEMA));
        assertThat(completer.commands()).containsExactly("migrate", "query-status");
        assertThat(completer.arguments("migrate")).containsExactly("uri", "detach");
        assertThat(completer.arguments("query-status")).isEmpty();
        assertThat(completer.arguments("no-such-command")).isEmpty();
    }

    @Test
    void commandNamesOnlyFromQueryCommandsOrNothing() {
        SchemaCompleter names = SchemaCompleter.ofCommandList(Json.parse("[{\"name\": \"stop\"}, {\"name\": \"cont\"}]"));
        assertThat(names.commands()).containsExactly("cont", "stop");
        assertThat(names.arguments("stop")).isEmpty();
        assertThat(SchemaCompleter.none().commands()).isEmpty();
    }
}
