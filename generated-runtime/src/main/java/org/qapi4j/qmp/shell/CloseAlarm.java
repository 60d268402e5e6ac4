package org.qapi4j.qmp.shell;

import org.jspecify.annotations.Nullable;

/**
 * Wakes the shell from its prompt when the connection closes, so that it says so at once
 * rather than when the user next presses Enter. The prompt's thread is interrupted, which
 * JLine's {@code readLine} answers with a {@code UserInterruptException}, only while it waits
 * at the prompt: an interrupt never reaches the rest of the shell's work, and a close that
 * comes just before the prompt is seen by {@link #beginPrompt()} instead.
 */
final class CloseAlarm {
    private @Nullable Thread prompting;
    private boolean closed;

    /** The connection closed (on the connection's callback thread). */
    synchronized void ring() {
        closed = true;
        if (prompting != null) {
            prompting.interrupt();
        }
    }

    synchronized boolean rang() {
        return closed;
    }

    /** Before the prompt; false when the connection closed already, and there is no point. */
    synchronized boolean beginPrompt() {
        if (closed) {
            return false;
        }
        prompting = Thread.currentThread();
        return true;
    }

    /** After the prompt, however it ended: an interrupt meant for it goes no further. */
    synchronized void endPrompt() {
        prompting = null;
        Thread.interrupted();
    }
}
