package org.qapi4j.vmm.machine.program.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvstoreRequestTest {
    private static KvstoreRequest parse(String line) {
        return KvstoreRequest.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aPutsValueIsTheRestOfTheLine() {
        KvstoreRequest.Put put = (KvstoreRequest.Put) parse("PUT id-1 greeting hello,  world ");
        assertThat(text(put.requestId())).isEqualTo("id-1");
        assertThat(text(put.key())).isEqualTo("greeting");
        assertThat(text(put.value())).isEqualTo("hello,  world ");
    }

    @Test
    void keysMayBeUtf8ButNotControlBytes() {
        assertThat(text(((KvstoreRequest.Get) parse("GET clé")).key())).isEqualTo("clé");
        assertThat(parse("GET a\u007Fb")).isEqualTo(new KvstoreRequest.Invalid("control character in key"));
        assertThat(parse("PUT a\u0001 k v")).isEqualTo(new KvstoreRequest.Invalid("control character in request id"));
    }

    @Test
    void boundsAreExact() {
        assertThat(parse("PUT " + "i".repeat(32) + " " + "k".repeat(64) + " " + "v".repeat(256))).isInstanceOf(KvstoreRequest.Put.class);
        assertThat(parse("GET " + "k".repeat(64))).isInstanceOf(KvstoreRequest.Get.class);
        assertThat(parse("GET " + "k".repeat(65))).isEqualTo(new KvstoreRequest.Invalid("key longer than 64 bytes"));
    }

    @Test
    void plainCommandsTakeNoArguments() {
        assertThat(parse("TIME")).isEqualTo(new KvstoreRequest.Plain("TIME"));
        assertThat(parse("RAND")).isEqualTo(new KvstoreRequest.Plain("RAND"));
        assertThat(parse("STATS")).isEqualTo(new KvstoreRequest.Plain("STATS"));
        assertThat(parse("PING")).isEqualTo(new KvstoreRequest.Plain("PING"));
        assertThat(parse("PING ")).isEqualTo(new KvstoreRequest.Invalid("usage: PING"));
        assertThat(parse("ping")).isEqualTo(new KvstoreRequest.Invalid("unknown command"));
    }

    @Test
    void anyBytesParseToSomething() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            byte[] line = new byte[random.nextInt(40)];
            random.nextBytes(line);
            if (random.nextBoolean() && line.length > 4) { // often a real command word, with garbage after it
                System.arraycopy(new String[] {"PUT ", "GET ", "TIME", "RAND"}[random.nextInt(4)].getBytes(StandardCharsets.US_ASCII), 0, line, 0, 4);
            }
            assertThat(KvstoreRequest.parse(line)).isNotNull();
        }
    }
}
