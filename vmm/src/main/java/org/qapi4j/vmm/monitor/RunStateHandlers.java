package org.qapi4j.vmm.monitor;

import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.vmm.api.RunStateCommands;
import org.qapi4j.vmm.api.StatusInfo;
import org.qapi4j.vmm.runstate.RunStateRules;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * The run-state module's commands: each asks QEMU 7.2's rule ({@link RunStateRules}) and answers
 * its error, or lets the machine act on it. Runs on the main loop.
 */
public final class RunStateHandlers implements RunStateCommands {
    private final VirtualMachine vm;

    public RunStateHandlers(VirtualMachine vm) {
        this.vm = vm;
    }

    @Override
    public CompletionStage<StatusInfo> queryStatus(CommandContext context) {
        return Replies.done(vm.status());
    }

    @Override
    public CompletionStage<Void> stop(CommandContext context) {
        vm.execute(vm.runState().rules()::stop).orThrow();
        return Replies.done();
    }

    @Override
    public CompletionStage<Void> cont(CommandContext context) {
        vm.execute(vm.runState().rules()::cont).orThrow();
        return Replies.done();
    }

    @Override
    public CompletionStage<Void> systemReset(CommandContext context) {
        vm.execute(vm.runState().rules()::systemReset).orThrow();
        return Replies.done();
    }

    @Override
    public CompletionStage<Void> systemPowerdown(CommandContext context) {
        vm.execute(vm.runState().rules()::systemPowerdown).orThrow();
        return Replies.done();
    }
}
