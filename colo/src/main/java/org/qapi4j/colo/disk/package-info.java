/**
 * COLO's disk replication, after QEMU's block replication: the primary's disk writes go to its
 * own image and are forwarded, in order, to the secondary ({@link
 * org.qapi4j.colo.disk.PrimaryDisk}, {@link org.qapi4j.colo.disk.DiskReplicationClient}); the
 * secondary applies them to its base image while keeping what they overwrote in a hidden
 * buffer and its own guest's writes in an active buffer ({@link
 * org.qapi4j.colo.disk.SecondaryDisk}, {@link org.qapi4j.colo.disk.DiskReplicationServer}).
 * A checkpoint empties both buffers; a failover commits the secondary guest's view into its
 * base image.
 */
package org.qapi4j.colo.disk;
