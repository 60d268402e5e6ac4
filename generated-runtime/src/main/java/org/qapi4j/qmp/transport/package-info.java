/**
 * The socket layer QMP servers and clients share: {@link org.qapi4j.qmp.transport.Transport}
 * picks Netty's native epoll transport where it loads and the JDK's NIO otherwise, once, for
 * both sides, and binds Unix-socket listeners owner-only at their real path.
 *
 * <p>This package depends on Netty and the JDK only, never on the client or the server, so
 * both can use it without a package cycle.
 */
@NullMarked
package org.qapi4j.qmp.transport;

import org.jspecify.annotations.NullMarked;
