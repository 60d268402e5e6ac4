package org.qapi4j.vmm.monitor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.vmm.api.MigrateArguments;
import org.qapi4j.vmm.api.MigrateIncomingArguments;
import org.qapi4j.vmm.api.MigrateSetCapabilitiesArguments;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationCommands;
import org.qapi4j.vmm.api.MigrationCapabilityStatus;
import org.qapi4j.vmm.api.MigrationInfo;
import org.qapi4j.vmm.api.MigrationParameters;
import org.qapi4j.vmm.migration.MigrationService;

/**
 * The migration module's commands: the migration itself ({@link MigrationService}) and its
 * capabilities and parameters ({@link org.qapi4j.vmm.migration.settings.MigrationSettings}).
 * Runs on the main loop.
 */
public final class MigrationHandlers implements MigrationCommands {
    private final MigrationService migration;

    public MigrationHandlers(MigrationService migration) {
        this.migration = migration;
    }

    @Override
    public CompletionStage<MigrationInfo> queryMigrate(CommandContext context) {
        return Replies.done(migration.info());
    }

    @Override
    public CompletionStage<Void> migrateSetCapabilities(CommandContext context,
            MigrateSetCapabilitiesArguments arguments) {
        migration.settings().setCapabilities(arguments.capabilities(), migration.isRunning());
        return Replies.done();
    }

    @Override
    public CompletionStage<List<MigrationCapabilityStatus>> queryMigrateCapabilities(CommandContext context) {
        return Replies.done(migration.settings().capabilities());
    }

    @Override
    public CompletionStage<Void> migrateSetParameters(CommandContext context, MigrateSetParameters arguments) {
        migration.setParameters(arguments);
        return Replies.done();
    }

    @Override
    public CompletionStage<MigrationParameters> queryMigrateParameters(CommandContext context) {
        return Replies.done(migration.settings().parameters());
    }

    /** The VMM has no postcopy, so capability postcopy-ram is never on: QEMU's answer for that. */
    @Override
    public CompletionStage<Void> migrateStartPostcopy(CommandContext context) {
        throw QmpException.generic("Enable postcopy with migrate_set_capability before the start of migration");
    }

    @Override
    public CompletionStage<Void> migrateCancel(CommandContext context) {
        migration.cancel();
        return Replies.done();
    }

    @Override
    public CompletionStage<Void> migrate(CommandContext context, MigrateArguments arguments) {
        migration.migrate(arguments);
        return Replies.done();
    }

    @Override
    public CompletionStage<Void> migrateIncoming(CommandContext context, MigrateIncomingArguments arguments) {
        migration.startIncoming(arguments.uri());
        return Replies.done();
    }
}
