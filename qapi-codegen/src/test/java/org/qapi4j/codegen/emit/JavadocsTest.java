package org.qapi4j.codegen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** QAPI's reStructuredText as Javadoc. */
class JavadocsTest {
    @Test
    void literalsBecomeCode() {
        assertThat(Javadocs.text("Start with ``-smp 2`` and @id.")).isEqualTo("Start with {@code -smp 2} and {@code id}.");
    }

    @Test
    void noParagraphEndsOnAColonWithNothingAfterIt() {
        assertThat(Javadocs.text("Options for all block devices:\n")).isEqualTo("Options for all block devices.");
        assertThat(Javadocs.text("These:\n\n- one\n- two")).isEqualTo("These:\n<p>- one\n- two");
        assertThat(Javadocs.text("Text.\n\nExample:\n")).isEqualTo("Text.");
    }

    @Test
    void qemu72ExampleSectionsAreLiteral() {
        assertThat(Javadocs.text("Example:\n\n-> { \"execute\": \"stop\" }\n<- { \"return\": {} }\n"))
                .isEqualTo("Example:\n<p><pre>\n-&gt; { \"execute\": \"stop\" }\n&lt;- { \"return\": {} }\n</pre>");
    }

    @Test
    void annotatedExamplesAreTextWithLiteralBlocks() {
        String rst = """
                .. qmp-example::
                   :annotated:

                   Started with ``-smp 1``::

                    -> { "execute": "stop" }
                """;
        assertThat(Javadocs.text(rst)).isEqualTo(
                "Started with {@code -smp 1}:\n<p><pre>\n-&gt; { \"execute\": \"stop\" }\n</pre>");
        assertThat(Javadocs.text(".. qmp-example::\n   :title: Stopping\n\n    -> { \"execute\": \"stop\" }\n"))
                .isEqualTo("Stopping\n<p><pre>\n-&gt; { \"execute\": \"stop\" }\n</pre>");
    }
}
