package org.qapi4j.vmm.monitor;

import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.vmm.api.COLOExitReason;
import org.qapi4j.vmm.api.COLOMode;
import org.qapi4j.vmm.api.COLOStatus;
import org.qapi4j.vmm.api.ColoCommands;

/**
 * The COLO module's commands where the VMM runs without COLO ({@link
 * org.qapi4j.vmm.spi.ColoProvider}): QEMU 7.2's answers outside COLO, which is all such a VMM
 * can be.
 */
public final class NoColoHandlers implements ColoCommands {
    @Override
    public CompletionStage<COLOStatus> queryColoStatus(CommandContext context) {
        return Replies.done(new COLOStatus(COLOMode.Known.NONE, COLOMode.Known.NONE, COLOExitReason.Known.NONE));
    }

    /** {@code qmp_x_colo_lost_heartbeat} outside COLO: QERR_FEATURE_DISABLED. */
    @Override
    public CompletionStage<Void> xColoLostHeartbeat(CommandContext context) {
        throw QmpException.generic("The feature 'colo' is not enabled");
    }
}
