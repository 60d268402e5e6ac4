package com.example.qemu;

import com.example.qemu.qmp.DeviceDelArguments;
import com.example.qemu.qmp.Event;
import com.example.qemu.qmp.QmpClient;
import com.example.qemu.qmp.StatusInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpEventListener;

/**
 * Drives a running QEMU 7.2 through the client generated from QEMU's schema: asks its status,
 * stops it and sees the STOP event, asks for something that fails and gets QEMU's error, and
 * lets it run again.
 *
 * <pre>
 * qemu-system-x86_64 -M none -nodefaults -display none -qmp unix:/tmp/qemu.sock,server=on,wait=off &amp;
 * java -cp ... com.example.qemu.QemuClientExample /tmp/qemu.sock
 * </pre>
 */
public final class QemuClientExample {
    private QemuClientExample() {}

    /**
     * What the client saw.
     *
     * @param before the status when it connected
     * @param event the event that {@code stop} caused
     * @param stopped the status after {@code stop}
     * @param error QEMU's answer to deleting a device that does not exist
     */
    public record Seen(StatusInfo before, @Nullable Event event, StatusInfo stopped, QmpError error) {}

    public static void main(String[] args) throws Exception {
        try (QmpConnection qmp = connect(Path.of(args[0]))) {
            Seen seen = run(qmp);
            System.out.println("QEMU " + qmp.greeting().version() + ": " + seen.before().status().wireName());
            System.out.println("stop: " + seen.event() + ", then " + seen.stopped().status().wireName());
            System.out.println("device_del: " + seen.error().errorClass() + ": " + seen.error().description());
        }
    }

    /** Connects to QEMU's QMP socket and negotiates. */
    public static QmpConnection connect(Path socket) throws Exception {
        return QmpConnection.builder().unix(socket).commandTimeout(Duration.ofSeconds(10))
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** The example's conversation with QEMU; QEMU runs again afterwards. */
    public static Seen run(QmpConnection qmp) throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        AutoCloseable listener = qmp.addEventListener(QmpEventListener.typed(Event::decode, events::add));
        try {
            QmpClient client = new QmpClient(qmp);
            StatusInfo before = client.queryStatus().get(10, TimeUnit.SECONDS);

            // QEMU sends STOP before its reply to stop: the event is there when stop is done.
            client.stop().get(10, TimeUnit.SECONDS);
            Event event = events.poll(10, TimeUnit.SECONDS);
            StatusInfo stopped = client.queryStatus().get(10, TimeUnit.SECONDS);

            QmpError error = null;
            try {
                client.deviceDel(new DeviceDelArguments("no-such-device")).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof QmpException failure)) {
                    throw e;
                }
                error = failure.error();
            }
            client.cont().get(10, TimeUnit.SECONDS);
            if (error == null) {
                throw new IllegalStateException("device_del of a device that does not exist succeeded");
            }
            return new Seen(before, event, stopped, error);
        } finally {
            listener.close();
        }
    }
}
