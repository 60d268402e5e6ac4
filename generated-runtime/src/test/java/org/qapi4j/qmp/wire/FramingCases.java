package org.qapi4j.qmp.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The committed table of framing cases ({@code qmp-framing-cases.txt}) and the helpers that run
 * and describe them.
 */
final class FramingCases {
    private FramingCases() {}

    static final String RESOURCE = "qmp-framing-cases.txt";

    /** One case: input written in chunks, and the messages expected (empty if not recorded). */
    record Case(String name, List<String> escapedChunks, List<String> expected) {
        List<byte[]> chunks() {
            return escapedChunks.stream().map(FramingCases::unescape).toList();
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            chunks().forEach(all::writeBytes);
            return all.toByteArray();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> load() {
        try (InputStream in = FramingCases.class.getResourceAsStream(RESOURCE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        String name = null;
        List<String> chunks = null;
        List<String> expected = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("## ")) {
                if (name != null) {
                    cases.add(new Case(name, chunks, expected));
                }
                name = line.substring(3);
                chunks = new ArrayList<>();
                expected = new ArrayList<>();
            } else if (line.startsWith("< ")) {
                chunks.add(line.substring(2));
            } else if (line.startsWith(">")) {
                int space = line.indexOf(' ');
                int times = space == 1 ? 1 : Integer.parseInt(line.substring(1, space));
                for (int i = 0; i < times; i++) {
                    expected.add(line.substring(space + 1));
                }
            }
        }
        if (name != null) {
            cases.add(new Case(name, chunks, expected));
        }
        return cases;
    }

    /** Writes the table back with the given expectations (run-length encoded). */
    static void write(Path file, String header, List<Case> cases, Map<String, List<String>> results)
            throws IOException {
        StringBuilder sb = new StringBuilder(header);
        for (Case c : cases) {
            sb.append("## ").append(c.name()).append('\n');
            for (String chunk : c.escapedChunks()) {
                sb.append("< ").append(chunk).append('\n');
            }
            List<String> exp = results.getOrDefault(c.name(), c.expected());
            for (int i = 0; i < exp.size(); ) {
                int j = i;
                while (j < exp.size() && exp.get(j).equals(exp.get(i))) {
                    j++;
                }
                sb.append('>').append(j - i == 1 ? "" : Integer.toString(j - i)).append(' ')
                        .append(exp.get(i)).append('\n');
                i = j;
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static String header(String text) {
        int at = text.indexOf("\n## ");
        return at < 0 ? text : text.substring(0, at + 1);
    }

    // ---------------------------------------------------------------- escapes

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\' -> out.write('\\');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case '<' -> {
                    int colon = s.indexOf(':', i);
                    int close = s.indexOf('>', colon);
                    int n = Integer.parseInt(s.substring(i + 1, colon));
                    byte[] unit = unescape(s.substring(colon + 1, close));
                    for (int k = 0; k < n; k++) {
                        out.writeBytes(unit);
                    }
                    i = close;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }

    /** A Java string as an ASCII JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7F) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    // ---------------------------------------------------------------- messages

    /**
     * A message as one unambiguous line: {@code V <value>} where numbers are tagged by kind
     * (plain = long, {@code u} = BigInteger, {@code d} = double), or {@code E "<description>"}.
     */
    static String describe(JsonMessage m) {
        if (m instanceof JsonMessage.Value v) {
            return "V " + render(v.json());
        }
        return "E " + quote(((JsonMessage.ParseError) m).description());
    }

    static String render(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        render(n, sb);
        return sb.toString();
    }

    private static void render(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(quote(e.getKey())).append(':');
                render(e.getValue(), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                render(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isString()) {
            sb.append(quote(n.stringValue()));
        } else if (n.isLong() || n.isInt()) {
            sb.append(n.longValue());
        } else if (n.isBigInteger()) {
            sb.append('u').append(n.bigIntegerValue());
        } else if (n.isDouble()) {
            sb.append('d').append(n.doubleValue());
        } else if (n.isBoolean() || n.isNull()) {
            sb.append(n);
        } else {
            throw new IllegalArgumentException("unexpected node " + n.getNodeType() + " " + n);
        }
    }

    /** Runs bytes through a fresh decoder in an EmbeddedChannel, in the given chunks. */
    static List<JsonMessage> decode(List<byte[]> chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpJsonDecoder());
        List<JsonMessage> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            drain(ch, out);
        }
        ch.finish();
        drain(ch, out);
        return out;
    }

    private static void drain(EmbeddedChannel ch, List<JsonMessage> out) {
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add((JsonMessage) o);
        }
    }

    static List<String> describeAll(List<JsonMessage> messages) {
        return messages.stream().map(FramingCases::describe).toList();
    }

    /** For numbers that QEMU echoes back: compare across kinds by value. */
    static String canonicalNumber(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return BigInteger.valueOf((long) d).toString();
        }
        return Double.toString(d);
    }
}
