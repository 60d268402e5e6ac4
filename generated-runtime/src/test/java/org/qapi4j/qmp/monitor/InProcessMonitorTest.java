package org.qapi4j.qmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Closing an in-process monitor: by the client, by the server, by both at once. */
class InProcessMonitorTest {

    /**
     * The client closes while the server closes the same monitor (a hub closing, QEMU's
     * {@code quit}): whichever comes second finds the I/O thread gone, and must say nothing.
     * It used to throw a RejectedExecutionException, in the caller or uncaught in the I/O thread.
     */
    @Test
    void closingFromBothEndsAtOnceIsQuiet() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        MonitorHub hub = MonitorHub.builder().build();
        try {
            for (int i = 0; i < 200; i++) {
                InProcessMonitor monitor = InProcessMonitor.connect(hub);
                assertThat(monitor.nextLine(Duration.ofSeconds(5))).as("greeting").startsWith("{\"QMP\"");
                if (i % 2 == 0) {
                    monitor.close();
                    assertThatCode(() -> monitor.session().closeGracefully()).doesNotThrowAnyException();
                } else {
                    monitor.session().closeGracefully();
                    assertThatCode(monitor::close).doesNotThrowAnyException();
                }
                // The session's close has run once the monitor answers end of file.
                for (byte[] line = new byte[1]; line != null && line.length > 0; ) {
                    line = monitor.nextOutput(Duration.ofSeconds(5)); // lines produced before the close
                }
            }
            Thread.sleep(100);
        } finally {
            hub.close();
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertThat(uncaught).isEmpty();
    }
}
