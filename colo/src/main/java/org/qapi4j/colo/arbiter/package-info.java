/**
 * COLO's optional arbiter ({@code --colo-arbiter zookeeper://...}): a lease in Apache ZooKeeper,
 * through Apache Curator, so that a cut link never leaves two replicas releasing output, and so
 * that losing the primary fails over by itself when, and only when, an arbiter is configured.
 * {@link org.qapi4j.colo.arbiter.Lease} is the lease and its fencing rule, {@link
 * org.qapi4j.colo.arbiter.FencedOutput} the gate answers pass on their way to clients, {@link
 * org.qapi4j.colo.arbiter.Arbiter} what the primary and the secondary do with them. A ZooKeeper
 * that cannot be reached stalls the lease holder's output rather than risk two servers.
 */
package org.qapi4j.colo.arbiter;
