package org.qapi4j.qmp.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.json.Json;

/** The qmp-shell syntax, as QEMU's qmp-shell reads it. */
class ShellCommandLineTest {
    private final ShellCommandLine shell = new ShellCommandLine();

    private String parse(String line) throws Exception {
        return Json.write(shell.parse(line));
    }

    @Test
    void commandWithTypedValues() throws Exception {
        assertThat(parse("migrate-set-parameters downtime-limit=300 x-checkpoint-delay=2000 tls-creds=creds0"))
                .isEqualTo("{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":300,"
                        + "\"x-checkpoint-delay\":2000,\"tls-creds\":\"creds0\"}}");
        assertThat(parse("set-x on=TRUE off=false list=[1,2] obj={\"a\":1}"))
                .isEqualTo("{\"execute\":\"set-x\",\"arguments\":{\"on\":true,\"off\":false,\"list\":[1,2],\"obj\":{\"a\":1}}}");
    }

    @Test
    void dottedKeysNest() throws Exception {
        assertThat(parse("blockdev-add driver=file node-name=n1 file.filename=/tmp/x file.aio=native"))
                .isEqualTo("{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"file\",\"node-name\":\"n1\","
                        + "\"file\":{\"filename\":\"/tmp/x\",\"aio\":\"native\"}}}");
    }

    @Test
    void quotedValuesKeepTheirSpaces() throws Exception {
        assertThat(parse("human-monitor-command command-line=\"info status\""))
                .isEqualTo("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"\\\"info status\\\"\"}}");
    }

    @Test
    void rawJsonIsSentAsIs() throws Exception {
        assertThat(parse("{\"execute\": \"query-status\", \"id\": 7}")).isEqualTo("{\"execute\":\"query-status\",\"id\":7}");
    }

    @Test
    void transactionsCollectActions() throws Exception {
        assertThat(shell.parse("transaction(")).isNull();
        assertThat(shell.inTransaction()).isTrue();
        assertThat(shell.parse("block-dirty-bitmap-add node=drive0 name=bitmap0")).isNull();
        assertThat(parse("block-dirty-bitmap-clear node=drive0 name=bitmap1 )"))
                .isEqualTo("{\"execute\":\"transaction\",\"arguments\":{\"actions\":["
                        + "{\"type\":\"block-dirty-bitmap-add\",\"data\":{\"node\":\"drive0\",\"name\":\"bitmap0\"}},"
                        + "{\"type\":\"block-dirty-bitmap-clear\",\"data\":{\"node\":\"drive0\",\"name\":\"bitmap1\"}}]}}");
        assertThat(shell.inTransaction()).isFalse();
    }

    @Test
    void mistakesGetQmpShellsMessages() {
        assertThatThrownBy(() -> shell.parse("stop now")).hasMessage("Expected a key=value pair, got 'now'");
        assertThatThrownBy(() -> shell.parse("x a=1 a=2")).hasMessage("Cannot set \"a\" multiple times");
        assertThatThrownBy(() -> shell.parse("x a=1 a.b=2")).hasMessage("Cannot use \"a\" as both leaf and non-leaf key");
        assertThatThrownBy(() -> shell.parse("{\"execute\": ")).hasMessageStartingWith("incomplete JSON");
    }

    @Test
    void rawJsonKeepsEveryMemberAndItsIdAsTyped() throws Exception {
        assertThat(parse("  {\"id\": [1, \"a\"], \"execute\": \"x\", \"unknown\": true}"))
                .isEqualTo("{\"id\":[1,\"a\"],\"execute\":\"x\",\"unknown\":true}");
    }

    @Test
    void badRawJsonIsToldInOurWordsWithTheColumn() throws Exception {
        assertThatThrownBy(() -> shell.parse("{\"execute\": ")).hasMessage("incomplete JSON: the object at column 1 is not closed")
                .extracting("column").isEqualTo(13);
        assertThatThrownBy(() -> shell.parse("  {\"a\": [1, {\"b\": 2}")).hasMessage("incomplete JSON: the array at column 9 is not closed");
        assertThatThrownBy(() -> shell.parse("{\"a\": \"x\\\"")).hasMessage("incomplete JSON: the string at column 7 is not closed");
        assertThatThrownBy(() -> shell.parse("{\"execute\" \"x\"}")).hasMessage("invalid JSON at column 12: unexpected '\"'")
                .extracting("column").isEqualTo(12);
        assertThatThrownBy(() -> shell.parse("{'execute': 'x'}")).hasMessage("invalid JSON at column 2: unexpected '''");
        assertThatThrownBy(() -> shell.parse("{\"a\": tru}")).hasMessage("invalid JSON at column 7: unexpected 'tru'");
        assertThatThrownBy(() -> shell.parse("{\"a\": \"\u0001\"}")).hasMessage("invalid JSON at column 8: unexpected control character U+0001");
        assertThatThrownBy(() -> shell.parse("{\"a\": 1} {\"b\": 2}")).hasMessage("invalid JSON at column 10: unexpected '{' after the end of the object");
        assertThatThrownBy(() -> shell.parse("{\"a\": {\"b\": 1, \"b\": 2}}")).hasMessage("invalid JSON at column 16: duplicate member \"b\"");
        assertThat(parse("{\"a\": 1, \"b\": {\"a\": 2}, \"c\": [{\"a\": 3}, {\"a\": 4}]}")).isNotEmpty();
    }

    @Test
    void emptyLinesSendNothing() throws Exception {
        assertThat(shell.parse("   ")).isNull();
    }
}
