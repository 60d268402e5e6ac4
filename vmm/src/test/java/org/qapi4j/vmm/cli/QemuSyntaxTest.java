package org.qapi4j.vmm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qapi4j.vmm.cli.QemuKeyval.KeyValue;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSize.SizeError;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/** QEMU's option syntaxes, the expectations from QEMU 7.2's util/cutils.c, qemu-option.c and keyval.c. */
class QemuSyntaxTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                    | 0
            16                   | 16
            +16                  | 16
            ' 16'                | 16
            1b                   | 1
            1B                   | 1
            1k                   | 1024
            1K                   | 1024
            16M                  | 16777216
            1G                   | 1073741824
            1T                   | 1099511627776
            1P                   | 1125899906842624
            1E                   | 1152921504606846976
            15E                  | 17293822569102704640
            1.5G                 | 1610612736
            1.G                  | 1073741824
            0.5K                 | 512
            1.0009765625K        | 1025
            1.00048828125K       | 1025
            1.0004K              | 1024
            0x10                 | 16
            0x10k                | 16384
            0X1f                 | 31
            0x1e                 | 30
            1.5e                 | 1729382256910270464
            18446744073709551615 | 18446744073709551615
            """)
    void sizes(String text, String bytes) throws Exception {
        assertThat(QemuSize.strtosz(text, 'B')).isEqualTo(new BigInteger(bytes));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                    | invalid
            abc                   | invalid
            -5                    | invalid
            -0                    | invalid
            1Z                    | invalid
            1.5                   | invalid
            .5G                   | invalid
            5.5e3M                | invalid
            1k5                   | invalid
            1KB                   | invalid
            0x                    | invalid
            00x10                 | invalid
            0x1.5K                | invalid
            16E                   | range
            99999999T             | range
            17179869184T          | range
            18446744073709551616  | range
            99999999999999999999k | invalid
            0x10000000000000000   | range
            """)
    void badSizes(String text, String kind) {
        assertThatThrownBy(() -> QemuSize.strtosz(text, 'B')).isInstanceOfSatisfying(SizeError.class,
                e -> assertThat(e.range ? "range" : "invalid").isEqualTo(kind));
    }

    @Test
    void sizeParameterErrorsAreQemus() {
        assertThatThrownBy(() -> QemuSyntax.parseSizeParameter("size", "abc"))
                .hasMessage("Parameter 'size' expects a non-negative number below 2^64");
        assertThatThrownBy(() -> QemuSyntax.parseSizeParameter("maxmem", "16E"))
                .hasMessage("Value '16E' is out of range for parameter 'maxmem'");
    }

    @Test
    void numbersAndBooleans() throws Exception {
        assertThat(QemuSyntax.parseNumber("n", "42")).isEqualTo(42);
        assertThat(QemuSyntax.parseNumber("n", "0x2a")).isEqualTo(42);
        assertThat(QemuSyntax.parseNumber("n", "052")).isEqualTo(42);
        assertThat(QemuSyntax.parseNumber("n", " +7")).isEqualTo(7);
        assertThat(QemuSyntax.parseNumber("n", "0")).isZero();
        for (String bad : List.of("", "x", "08", "1k", "0x", "-1", "1 ")) {
            assertThatThrownBy(() -> QemuSyntax.parseNumber("slots", bad)).as(bad)
                    .hasMessage("Parameter 'slots' expects a number");
        }
        assertThatThrownBy(() -> QemuSyntax.parseNumber("slots", "99999999999999999999"))
                .hasMessage("Value '99999999999999999999' is too large for parameter 'slots'");
        for (String on : List.of("on", "yes", "true", "y")) {
            assertThat(QemuSyntax.parseBool("b", on)).isTrue();
        }
        for (String off : List.of("off", "no", "false", "n")) {
            assertThat(QemuSyntax.parseBool("b", off)).isFalse();
        }
        assertThatThrownBy(() -> QemuSyntax.parseBool("server", "maybe"))
                .hasMessage("Parameter 'server' expects 'on' or 'off'");
        assertThatThrownBy(() -> QemuSyntax.parseBool("server", "ON"))
                .hasMessage("Parameter 'server' expects 'on' or 'off'");
    }

    private static final Map<String, Type> KNOWN = Map.of("path", Type.STRING, "server", Type.BOOL,
            "wait", Type.BOOL, "size", Type.SIZE);

    @Test
    void optsLists() throws Exception {
        assertThat(QemuSyntax.parseOpts("/tmp/s,server,nowait", "path", KNOWN)).containsExactly(
                new Opt("path", "/tmp/s"), new Opt("server", "on"), new Opt("wait", "off"));
        assertThat(QemuSyntax.parseOpts("a,,b,server=on", "path", KNOWN)).containsExactly(
                new Opt("path", "a,b"), new Opt("server", "on"));
        assertThat(QemuSyntax.parseOpts("path=x,,y,,,wait=no", null, KNOWN)).containsExactly(
                new Opt("path", "x,y,"), new Opt("wait", "no"));
        assertThat(QemuSyntax.parseOpts("id=foo,path=p", null, KNOWN)).containsExactly(new Opt("path", "p"));
        assertThat(QemuSyntax.parseOpts("", "path", KNOWN)).isEmpty();
        assertThat(QemuSyntax.parseOpts("p,", "path", KNOWN)).containsExactly(new Opt("path", "p"));
        // an empty first item is the implied parameter's empty value
        assertThat(QemuSyntax.parseOpts(",server", "path", KNOWN)).containsExactly(
                new Opt("path", ""), new Opt("server", "on"));
        assertThatThrownBy(() -> QemuSyntax.parseOpts("p,bogus=1", "path", KNOWN))
                .isInstanceOf(SyntaxError.class).hasMessage("Invalid parameter 'bogus'");
        assertThatThrownBy(() -> QemuSyntax.parseOpts("server", null, Map.of()))
                .hasMessage("Invalid parameter 'server'");
        assertThatThrownBy(() -> QemuSyntax.parseOpts("p,server=2", "path", KNOWN))
                .hasMessage("Parameter 'server' expects 'on' or 'off'");
        assertThatThrownBy(() -> QemuSyntax.parseOpts("size=1Q,bogus", null, KNOWN))
                .hasMessage("Parameter 'size' expects a non-negative number below 2^64");
        assertThat(QemuSyntax.hasId("16,id=x")).isTrue();
        assertThat(QemuSyntax.hasId("id")).isTrue();
        assertThat(QemuSyntax.hasId("16,ideal=1,path=id")).isFalse();
    }

    @Test
    void keyvalLists() throws Exception {
        assertThat(QemuKeyval.parseKeyval("none", "type")).containsExactly(new KeyValue("type", "none"));
        assertThat(QemuKeyval.parseKeyval("none,accel=kvm,x=a,,b", "type")).containsExactly(
                new KeyValue("type", "none"), new KeyValue("accel", "kvm"), new KeyValue("x", "a,b"));
        assertThat(QemuKeyval.parseKeyval("type=pc", "type")).containsExactly(new KeyValue("type", "pc"));
        assertThat(QemuKeyval.parseKeyval("", "type")).isEmpty();
        assertThatThrownBy(() -> QemuKeyval.parseKeyval("none,foo", "type"))
                .hasMessage("Expected '=' after parameter 'foo'");
        assertThatThrownBy(() -> QemuKeyval.parseKeyval("none,,x", "type")).hasMessage("Invalid parameter ''");
        assertThatThrownBy(() -> QemuKeyval.parseKeyval("none,1x=2", "type")).hasMessage("Invalid parameter '1x'");
        assertThatThrownBy(() -> QemuKeyval.parseKeyval("a=1,b", "type")).hasMessage("Expected '=' after parameter 'b'");
    }
}
