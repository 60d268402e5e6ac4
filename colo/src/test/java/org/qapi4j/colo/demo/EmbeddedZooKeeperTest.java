package org.qapi4j.colo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo's own ZooKeeper server: it serves, grants short sessions, and leaves nothing behind. */
class EmbeddedZooKeeperTest {
    @Test
    @Timeout(30)
    void servesGrantsTheSessionAskedForAndRemovesItsFiles(@TempDir Path parent) throws Exception {
        Path dir = parent.resolve("zookeeper");
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir)) {
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(before);
            assertThat(zooKeeper.connectString()).matches("127\\.0\\.0\\.1:\\d+");
            try (CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.connectString())
                    .sessionTimeoutMs(1000).retryPolicy(new RetryOneTime(100)).build()) {
                client.start();
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .forPath("/demo/lease", "me".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(client.getData().forPath("/demo/lease"), StandardCharsets.UTF_8)).isEqualTo("me");
                // 1 s is 10 ticks: granted as asked (the usual 2 s tick would make it 4 s).
                assertThat(client.getZookeeperClient().getZooKeeper().getSessionTimeout()).isEqualTo(1000);
            }
            assertThat(dir).isDirectoryContaining(p -> true);
        }
        assertThat(dir).doesNotExist();
        assertThat(EmbeddedZooKeeper.version()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
