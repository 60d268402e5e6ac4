/**
 * A QMP server that clients cannot tell from QEMU 7.2: {@link org.qapi4j.qmp.server.QmpServer}
 * serves a {@link org.qapi4j.qmp.dispatch.CommandDispatcher} on Unix-socket and TCP listeners
 * with QEMU's greeting, negotiation, request checks, error texts, flow control, out-of-band
 * execution, events and rate limits; {@link org.qapi4j.qmp.wire.QemuJson} writes JSON exactly
 * as QEMU does.
 */
@NullMarked
package org.qapi4j.qmp.server;

import org.jspecify.annotations.NullMarked;
