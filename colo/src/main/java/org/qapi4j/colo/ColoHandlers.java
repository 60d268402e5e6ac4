package org.qapi4j.colo;

import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.vmm.api.COLOStatus;
import org.qapi4j.vmm.api.ColoCommands;

/** The COLO module's commands, served on the main loop. */
final class ColoHandlers implements ColoCommands {
    private final ColoState state;

    ColoHandlers(ColoState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<COLOStatus> queryColoStatus(CommandContext context) {
        return Replies.done(state.status());
    }

    @Override
    public CompletionStage<Void> xColoLostHeartbeat(CommandContext context) {
        state.requestFailover();
        return Replies.done();
    }
}
