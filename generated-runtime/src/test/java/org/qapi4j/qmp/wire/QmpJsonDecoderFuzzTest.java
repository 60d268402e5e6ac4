package org.qapi4j.qmp.wire;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.qapi4j.codegen.testing.QuietSeedReplay;

/**
 * Coverage-guided fuzzing of {@link QmpJsonDecoder} in an {@code EmbeddedChannel}. For any
 * input bytes:
 *
 * <ol>
 *   <li>nothing is thrown out of the pipeline ({@code EmbeddedChannel} rethrows);
 *   <li>the messages are the same however the bytes are split into reads (whole, byte by
 *       byte, and at pseudo-random points derived from the input);
 *   <li><b>resynchronisation</b>, the guarantee QEMU's lexer gives (json-lexer.c): every state
 *       of the lexer, including inside a string or an escape and in error recovery, turns a
 *       byte 0xFF into a lexical error; the streamer then drops whatever it was collecting. So
 *       after <em>any</em> input, the bytes {@code 0xFF {"execute":"x"}} yield exactly: at most
 *       one message for a token the 0xFF ended (a number or keyword waits for one byte of
 *       lookahead), then one {@code stray} error, then the command. The same holds for 0xFE and
 *       for every ASCII control character except tab, CR and LF. Newlines alone do not resync:
 *       they only end strings (and numbers/keywords), not open brackets.
 *   <li>the messages for the input alone are a prefix of those for the input plus the
 *       resync suffix (nothing is reordered or held back).
 * </ol>
 *
 * <p>In a normal build this runs the seeds under
 * {@code src/test/resources/org/qapi4j/qmp/wire/QmpJsonDecoderFuzzTestInputs/} (the framing
 * table's inputs). To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl generated-runtime test -Dtest=QmpJsonDecoderFuzzTest}.
 */
@ExtendWith(QuietSeedReplay.class)
public class QmpJsonDecoderFuzzTest {
    private static final byte[] COMMAND = "{\"execute\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
    private static final String COMMAND_MSG = "V {\"execute\":\"x\"}";
    /** Bytes that always reset QEMU's lexer and streamer. */
    private static final byte[] RESYNC_BYTES = resyncBytes();

    private static byte[] resyncBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = 0; c < 0x20; c++) {
            if (c != '\t' && c != '\n' && c != '\r') {
                b.write(c);
            }
        }
        b.write(0xFE);
        b.write(0xFF);
        return b.toByteArray();
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({
        "{", "}", "[", "]", ":", ",", "\"", "'", "\\\\", "\\\\u", "\\\\uD83D\\\\uDE00", "true", "false",
        "null", "-", "0", "1e", "E+", ".5", "18446744073709551616", "\\x0A", "\\xFF", "\\xC0\\x80",
        "\\xED\\xA0\\x80", "\\xEF\\xBF\\xBE", "{\"execute\":", "\"id\":", "%"
    })
    void decodesAlikeHoweverSplitAndResynchronises(byte[] input) {
        fuzzerTestOneInput(input);
    }

    public static void fuzzerTestOneInput(byte[] input) {
        List<String> whole = decode(input, List.of(input.length));
        List<Integer> bytewise = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            bytewise.add(1);
        }
        check(whole.equals(decode(input, bytewise)), "byte by byte", input);
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(input));
        for (int round = 0; round < 3; round++) {
            List<Integer> sizes = new ArrayList<>();
            for (int left = input.length; left > 0; ) {
                int n = Math.min(left, 1 + rnd.nextInt(Math.max(1, Math.min(left, 64))));
                sizes.add(n);
                left -= n;
            }
            check(whole.equals(decode(input, sizes)), "random split", input);
        }

        for (byte resync : new byte[] {(byte) 0xFF, RESYNC_BYTES[rnd.nextInt(RESYNC_BYTES.length)]}) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(input);
            all.write(resync);
            all.writeBytes(COMMAND);
            byte[] bytes = all.toByteArray();
            List<String> out = decode(bytes, List.of(input.length, 1, COMMAND.length));
            check(out.subList(0, whole.size()).equals(whole), "prefix", input);
            int extra = out.size() - whole.size();
            check(extra == 2 || extra == 3, "2 or 3 messages after resync, got " + out, input);
            check(out.get(out.size() - 1).equals(COMMAND_MSG), "command after resync: " + out, input);
            check(out.get(out.size() - 2).startsWith("E \"JSON parse error, stray '"),
                    "stray error from the resync byte: " + out, input);
        }
    }

    private static List<String> decode(byte[] input, List<Integer> sizes) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        for (int n : sizes) {
            chunks.add(Arrays.copyOfRange(input, at, at + n));
            at += n;
        }
        return FramingCases.describeAll(FramingCases.decode(chunks));
    }

    private static void check(boolean ok, String what, byte[] input) {
        if (!ok) {
            throw new AssertionError(what + " for input " + FramingCases.quote(
                    new String(input, StandardCharsets.ISO_8859_1)));
        }
    }
}
