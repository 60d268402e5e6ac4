package org.qapi4j.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.json.Json;

/** QEMU's JSON text: C's %.17g, and the QDict member order (checked against QEMU 7.2's output). */
class QemuJsonTest {

    @Test
    void doublesAsPrintfSeventeenG() {
        assertThat(QemuJson.formatDouble(1.5)).isEqualTo("1.5");
        assertThat(QemuJson.formatDouble(100.0)).isEqualTo("100");
        assertThat(QemuJson.formatDouble(0.1)).isEqualTo("0.10000000000000001");
        assertThat(QemuJson.formatDouble(-0.0)).isEqualTo("-0");
        assertThat(QemuJson.formatDouble(1e-7)).isEqualTo("9.9999999999999995e-08");
        assertThat(QemuJson.formatDouble(1e20)).isEqualTo("1e+20");
        assertThat(QemuJson.formatDouble(1e16)).isEqualTo("10000000000000000");
        assertThat(QemuJson.formatDouble(1e17)).isEqualTo("1e+17");
        assertThat(QemuJson.formatDouble(0.0001)).isEqualTo("0.0001");
        assertThat(QemuJson.formatDouble(0.00001)).isEqualTo("1.0000000000000001e-05");
        assertThat(QemuJson.formatDouble(1.8446744073709552e19)).isEqualTo("1.8446744073709552e+19");
        assertThat(QemuJson.formatDouble(-9.2233720368547758e18)).isEqualTo("-9.2233720368547758e+18");
        assertThat(QemuJson.formatDouble(1e300 * 1e10)).isEqualTo("inf");
        assertThat(QemuJson.formatDouble(-123.25)).isEqualTo("-123.25");
    }

    @Test
    void membersInQdictOrder() {
        // As QEMU 7.2 writes them (observed): replies, errors, events, query-status, the greeting.
        assertThat(QDictOrder.of(List.of("return", "id"))).containsExactly("return", "id");
        assertThat(QDictOrder.of(List.of("error", "id"))).containsExactly("id", "error");
        assertThat(QDictOrder.of(List.of("class", "desc"))).containsExactly("class", "desc");
        assertThat(QDictOrder.of(List.of("event", "timestamp", "data"))).containsExactly("timestamp", "event", "data");
        assertThat(QDictOrder.of(List.of("seconds", "microseconds"))).containsExactly("seconds", "microseconds");
        assertThat(QDictOrder.of(List.of("running", "singlestep", "status"))).containsExactly("status", "singlestep", "running");
        assertThat(QDictOrder.of(List.of("major", "minor", "micro"))).containsExactly("micro", "minor", "major");
        assertThat(QDictOrder.of(List.of("execute", "id", "return", "error", "arguments", "timestamp")))
                .containsExactly("timestamp", "execute", "return", "arguments", "id", "error");
        assertThat(QDictOrder.tdbHash("")).isEqualTo(12345);
    }

    @Test
    void stringsInAscii() {
        assertThat(QemuJson.write(Json.string("a\"\\/\b\f\n\r\t\u0001\u007f\u00ff\u20ac\ud83d\ude00")))
                .isEqualTo("\"a\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u007F\\u00FF\\u20AC\\uD83D\\uDE00\"");
        assertThat(new String(QemuJson.line(Json.object()))).isEqualTo("{}\r\n");
    }
}
