package org.qapi4j.vmm.machine.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.machine.MachineConfigException;

class ProgramOptionsTest {
    @Test
    void sizesTakeBinarySuffixes() throws Exception {
        ProgramOptions options = new ProgramOptions("p", Map.of("a", "4096", "b", "64K", "c", "3m", "d", "1G", "e", "2T"));
        assertThat(options.size("a", 0, 0, Long.MAX_VALUE)).isEqualTo(4096);
        assertThat(options.size("b", 0, 0, Long.MAX_VALUE)).isEqualTo(64 << 10);
        assertThat(options.size("c", 0, 0, Long.MAX_VALUE)).isEqualTo(3 << 20);
        assertThat(options.size("d", 0, 0, Long.MAX_VALUE)).isEqualTo(1L << 30);
        assertThat(options.size("e", 0, 0, Long.MAX_VALUE)).isEqualTo(2L << 40);
        assertThat(options.size("absent", 77, 0, 100)).isEqualTo(77);
        options.checkAllUsed();
    }

    @Test
    void badValuesAndUnknownOptionsAreNamed() {
        ProgramOptions options = new ProgramOptions("p", Map.of("n", "12x", "s", "K", "huge", "99999999999T", "typo", "1"));
        assertThatThrownBy(() -> options.number("n", 0, 0, 100)).isInstanceOf(MachineConfigException.class)
                .hasMessage("program 'p': option n=12x is not a whole number");
        assertThatThrownBy(() -> options.size("s", 0, 0, 100)).isInstanceOf(MachineConfigException.class)
                .hasMessage("program 'p': option s=K is not a size (a whole number, optionally followed by K, M, G or T)");
        assertThatThrownBy(() -> options.size("huge", 0, 0, 100)).isInstanceOf(MachineConfigException.class)
                .hasMessage("program 'p': option huge=99999999999T is out of range 0..100 bytes");
        assertThatThrownBy(options::checkAllUsed).isInstanceOf(MachineConfigException.class)
                .hasMessage("program 'p' has no option 'typo' (its options: huge, n, s)");
        assertThatThrownBy(new ProgramOptions("q", Map.of("x", "1"))::checkAllUsed)
                .hasMessage("program 'q' has no option 'x' (it takes none)");
    }
}
