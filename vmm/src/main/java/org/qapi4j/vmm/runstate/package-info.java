/**
 * QEMU 7.2's run states, as our VMM keeps them: which transitions exist ({@link
 * org.qapi4j.vmm.runstate.RunStateTable}), the current state with its pending requests ({@link
 * org.qapi4j.vmm.runstate.RunStateMachine}), and what each command and request does to them
 * ({@link org.qapi4j.vmm.runstate.RunStateRules}, for migration {@link
 * org.qapi4j.vmm.runstate.MigrationRunStateRules}), independent of QMP plumbing.
 *
 * <p>The reference is QEMU at tag v7.2.0 (commit b67b00e6b4c7): {@code softmmu/runstate.c}
 * (the table, {@code runstate_set}, the main loop's handling of shutdown, reset and power-down
 * requests), {@code softmmu/cpus.c} ({@code vm_stop}, {@code vm_start}, {@code
 * vm_prepare_start}, {@code vm_stop_force_state}), {@code monitor/qmp-cmds.c} ({@code qmp_stop},
 * {@code qmp_cont}, {@code qmp_system_reset}, {@code qmp_system_powerdown}, {@code qmp_quit}),
 * {@code migration/migration.c} (incoming and outgoing migration) and {@code softmmu/vl.c}
 * ({@code -incoming}, {@code -S}, the start of the machine). The Javadoc of each rule names the
 * QEMU function it follows and says, in our words, what that function does.
 */
package org.qapi4j.vmm.runstate;
