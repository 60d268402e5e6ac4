package org.qapi4j.vmm.monitor;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.vmm.api.CommandInfo;
import org.qapi4j.vmm.api.ControlCommands;
import org.qapi4j.vmm.api.QmpCapabilitiesArguments;
import org.qapi4j.vmm.api.VersionInfo;
import org.qapi4j.vmm.api.VersionTriple;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * The control module's commands. {@code qmp_capabilities} and {@code query-commands} are the
 * monitor's own: the monitor hub answers them before any handler is asked (it knows the
 * negotiation state and what is served), so those two methods are never called.
 */
public final class ControlHandlers implements ControlCommands {
    private final QmpVersion version;
    private final VirtualMachine vm;

    /** @param version what the greeting announces, which {@code query-version} repeats */
    public ControlHandlers(QmpVersion version, VirtualMachine vm) {
        this.version = version;
        this.vm = vm;
    }

    @Override
    public CompletionStage<Void> qmpCapabilities(CommandContext context, QmpCapabilitiesArguments arguments) {
        throw new IllegalStateException("qmp_capabilities is answered by the monitor hub");
    }

    @Override
    public CompletionStage<List<CommandInfo>> queryCommands(CommandContext context) {
        throw new IllegalStateException("query-commands is answered by the monitor hub");
    }

    @Override
    public CompletionStage<VersionInfo> queryVersion(CommandContext context) {
        return Replies.done(new VersionInfo(new VersionTriple(version.major(), version.minor(), version.micro()),
                version.packageVersion()));
    }

    /** As QEMU: SHUTDOWN (host-qmp-quit), the answer, then the process exits. */
    @Override
    public CompletionStage<Void> quit(CommandContext context) {
        vm.execute(vm.runState().rules()::quit).orThrow();
        return Replies.done();
    }
}
