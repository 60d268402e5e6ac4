package org.qapi4j.qmp.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QemuVersionTest {
    @Test
    void parsesWhatSchemasAndGreetingsSay() {
        assertThat(QemuVersion.parse("7.2")).isEqualTo(new QemuVersion(7, 2, 0));
        assertThat(QemuVersion.parse(" 10.2.0 (moved)")).isEqualTo(new QemuVersion(10, 2, 0));
        assertThat(QemuVersion.find("7.2.22")).isEqualTo(new QemuVersion(7, 2, 22));
        assertThat(QemuVersion.find("soon")).isNull();
        assertThatThrownBy(() -> QemuVersion.parse("v7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersAsQemuNumbersReleases() {
        List<QemuVersion> versions = List.of(QemuVersion.parse("10.2.50"), QemuVersion.parse("7.2.22"),
                QemuVersion.of(8, 0), QemuVersion.of(7, 2), QemuVersion.parse("10.2"));
        assertThat(versions.stream().sorted().map(QemuVersion::toString))
                .containsExactly("7.2.0", "7.2.22", "8.0.0", "10.2.0", "10.2.50");
        assertThat(QemuVersion.parse("7.2.22").isAtLeast(7, 2)).isTrue();
        assertThat(QemuVersion.parse("7.2.22").isAtLeast(8, 0)).isFalse();
        assertThat(QemuVersion.parse("10.2.50").isAtLeast(QemuVersion.of(10, 2))).isTrue();
        assertThat(QemuVersion.parse("10.2.50").isDevelopment()).isTrue();
        assertThat(QemuVersion.parse("7.2.22").isDevelopment()).isFalse();
    }
}
