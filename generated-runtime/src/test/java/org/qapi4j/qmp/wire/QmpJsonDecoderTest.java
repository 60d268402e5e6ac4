package org.qapi4j.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Pins the decoder to the behaviour recorded from real QEMU 7.2 ({@code qmp-framing-cases.txt},
 * checked against QEMU by {@link RealQemuFramingTest}), plus what the table cannot hold: the
 * size and count limits, node kinds, buffer kinds and end of stream.
 */
class QmpJsonDecoderTest {
    private static final int M = QmpJsonDecoder.MAX_TOKEN_SIZE;
    private static final byte[] SYNC = "{\"execute\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
    private static final String SYNC_MSG = "V {\"execute\":\"x\"}";

    static Stream<FramingCases.Case> cases() {
        return FramingCases.load().stream();
    }

    @Test
    void tableIsComplete() {
        List<FramingCases.Case> cases = FramingCases.load();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        assertThat(cases).allSatisfy(c -> assertThat(c.expected()).as(c.name()).isNotEmpty()
                .last().isEqualTo("V {\"execute\":\"query-status\",\"id\":\"sync\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordedCase(FramingCases.Case c) {
        assertThat(FramingCases.describeAll(FramingCases.decode(c.chunks()))).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordedCaseByteByByteAndInDirectBuffers(FramingCases.Case c) {
        byte[] all = c.bytes();
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertThat(FramingCases.describeAll(FramingCases.decode(single))).isEqualTo(c.expected());
        assertThat(decodeDirect(all)).isEqualTo(c.expected());
    }

    private static List<String> decodeDirect(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpJsonDecoder());
        ByteBuf direct = Unpooled.directBuffer(bytes.length);
        direct.writeBytes(bytes);
        ch.writeInbound(direct);
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(FramingCases.describe((JsonMessage) o));
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static List<String> decode(byte[]... parts) {
        return FramingCases.describeAll(FramingCases.decode(Arrays.asList(parts)));
    }

    private static byte[] repeat(String s, int n) {
        return s.repeat(n).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------ node kinds

    @Test
    void numberKindsFollowQnum() {
        List<JsonMessage> m = FramingCases.decode(List.of(bytes(
                "[0,-0,9223372036854775807,-9223372036854775808,9223372036854775808,"
                        + "18446744073709551615,18446744073709551616,-9223372036854775809,"
                        + "1.0,1e2,123456789012345678901234567890]")));
        JsonNode a = ((JsonMessage.Value) m.get(0)).json();
        assertThat(a.get(0).isLong()).isTrue();
        assertThat(a.get(1).isLong()).isTrue();
        assertThat(a.get(2).longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(a.get(3).longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(a.get(4).isBigInteger()).isTrue();
        assertThat(a.get(5).bigIntegerValue()).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        assertThat(a.get(6).isDouble()).isTrue();
        assertThat(a.get(7).isDouble()).isTrue();
        assertThat(a.get(8).isDouble()).isTrue();
        assertThat(a.get(9).doubleValue()).isEqualTo(100.0);
        assertThat(a.get(10).doubleValue()).isEqualTo(1.2345678901234568e29);
    }

    @Test
    void hugeExponentsAreInfinityOrZero() {
        assertThat(decode(bytes("[1e99999999999999999999,-1e400,1e-99999999999999999999]"))).containsExactly(
                "V [dInfinity,d-Infinity,d0.0]");
    }

    // ------------------------------------------------------------ limits
    // Each expectation below was checked once against QEMU 7.2 by hand (not in
    // RealQemuFramingTest: QEMU's monitor reads one byte per main-loop turn, so 64 MiB takes
    // it about four minutes): M-3 / M-2 string content, 64 MiB + 0xFF, two 32 MiB strings,
    // 2 Mi + 1 and 2 Mi tokens all gave exactly these replies, and the follow-up was answered.

    @Test
    void longestStringTokenIsOneByteUnderTheLimit() {
        // The streamer wants token + 1 <= 64 MiB; a string token includes its quotes.
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write('"');
        in.writeBytes(repeat("a", M - 3));
        in.write('"');
        List<JsonMessage> m = FramingCases.decode(List.of(in.toByteArray(), SYNC));
        assertThat(m).hasSize(2);
        assertThat(((JsonMessage.Value) m.get(0)).json().stringValue()).hasSize(M - 3);
    }

    @Test
    void stringTokenAtTheLimitIsRejected() {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write('"');
        in.writeBytes(repeat("a", M - 2));
        in.write('"');
        assertThat(decode(in.toByteArray(), SYNC))
                .containsExactly("E \"JSON token size limit exceeded\"", SYNC_MSG);
    }

    @Test
    void lexerCutsATokenLongerThan64MiBAndLexesTheRestAfresh() {
        // After 64 MiB + 1 bytes of one token the lexer hands it over (rejected by size) and
        // starts again: the rest of the string's content is read as a keyword.
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write('"');
        in.writeBytes(repeat("a", M + 3));
        in.write('\n');
        assertThat(decode(in.toByteArray(), SYNC)).containsExactly(
                "E \"JSON token size limit exceeded\"",
                "E \"JSON parse error, invalid keyword 'aaa'\"",
                SYNC_MSG);
    }

    @Test
    void totalTokenSizeLimitDropsTheMessageAndReadsOn() {
        byte[] half = repeat("a", M / 2);
        assertThat(decode(bytes("[\""), half, bytes("\",\""), half, bytes("\"]"), SYNC)).containsExactly(
                "E \"JSON token size limit exceeded\"",
                "E \"JSON parse error, expecting value\"",
                SYNC_MSG);
    }

    @Test
    void tokenCountLimit() {
        // '[' plus 2 Mi tokens: the 2 Mi + 1st token is refused.
        assertThat(decode(bytes("["), repeat("1,", 1 << 20), bytes("1]"), SYNC)).containsExactly(
                "E \"JSON token count limit exceeded\"",
                "V 1",
                "E \"JSON parse error, expecting value\"",
                SYNC_MSG);
        // One fewer token fits.
        List<String> ok = decode(bytes("["), repeat("1,", (1 << 20) - 2), bytes("1]")); // 2 Mi tokens
        assertThat(ok).hasSize(1);
        assertThat(ok.get(0)).startsWith("V [1,1,");
    }

    @Test
    void strayTokenIsReportedWhole() {
        byte[] in = new byte[100_002];
        Arrays.fill(in, (byte) 'a');
        in[0] = '"';
        in[in.length - 1] = 1;
        List<JsonMessage> m = FramingCases.decode(List.of(in));
        assertThat(((JsonMessage.ParseError) m.get(0)).description())
                .hasSize("JSON parse error, stray ''".length() + 100_002);
    }

    // ------------------------------------------------------------ stream ends

    @Test
    void pendingInputIsDiscardedAtEndOfStream() {
        // QEMU resets its parser when the client goes away: a pending number, an open object
        // and an open string all vanish.
        assertThat(decode(bytes("123"))).isEmpty();
        assertThat(decode(bytes("{\"a\":1"))).isEmpty();
        assertThat(decode(bytes("\"abc"))).isEmpty();
    }

    @Test
    void bufferIsConsumedAndReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpJsonDecoder());
        ByteBuf buf = Unpooled.copiedBuffer("{\"a\":[1,2", StandardCharsets.US_ASCII);
        ch.writeInbound(buf);
        assertThat(buf.refCnt()).isZero();
        ch.writeInbound(Unpooled.copiedBuffer("]}", StandardCharsets.US_ASCII));
        JsonMessage m = ch.readInbound();
        assertThat(FramingCases.describe(m)).isEqualTo("V {\"a\":[1,2]}");
        assertThat(ch.finish()).isFalse();
    }
}
