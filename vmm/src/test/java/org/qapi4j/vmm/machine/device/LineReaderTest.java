package org.qapi4j.vmm.machine.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static List<String> lines(String input, int max) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), max);
        List<String> lines = new ArrayList<>();
        for (byte[] line = reader.next(); line != null; line = reader.next()) {
            lines.add(line == LineReader.TOO_LONG ? "<too long>" : new String(line, StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    @Test
    void splitsOnNewlinesDroppingACarriageReturn() throws IOException {
        assertThat(lines("a\nbb\r\n\nc\rd\n", 8)).containsExactly("a", "bb", "", "c\rd");
    }

    @Test
    void anUnterminatedLastLineCounts() throws IOException {
        assertThat(lines("one\ntwo", 8)).containsExactly("one", "two");
        assertThat(lines("", 8)).isEmpty();
    }

    @Test
    void linesOverTheBoundAreReportedOnceAndSkipped() throws IOException {
        assertThat(lines("12345678\n123456789\nok\n" + "x".repeat(100000) + "\nafter\n" + "y".repeat(9), 8))
                .containsExactly("12345678", "<too long>", "ok", "<too long>", "after", "<too long>");
        assertThat(lines("12345678\r\n", 8)).as("the \\r is not part of the line").containsExactly("12345678");
    }
}
