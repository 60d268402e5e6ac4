/**
 * qapi4j's virtual machine monitor: a machine ({@code machine}: guest RAM, a virtual CPU, devices,
 * guest programs), QEMU 7.2's run states ({@code runstate}), its QMP handlers ({@code monitor})
 * and its command line ({@code cli}).
 */
package org.qapi4j.vmm;
