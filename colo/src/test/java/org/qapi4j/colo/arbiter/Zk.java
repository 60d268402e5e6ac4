package org.qapi4j.colo.arbiter;

import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.qapi4j.vmm.cli.ColoArbiter;

/** A real ZooKeeper server for the arbiter's tests (ZooKeeper's own code, in this JVM), 100 ms ticks. */
public final class Zk {
    private Zk() {}

    /** Sessions may then be 200 ms to 20 s long. */
    public static TestingServer start() throws Exception {
        return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 100, -1,
                java.util.Map.of("maxSessionTimeout", "20000")), true);
    }

    public static ColoArbiter arbiter(int port, String path, int sessionTimeoutMillis) {
        return new ColoArbiter(List.of("127.0.0.1:" + port), path, sessionTimeoutMillis);
    }
}
