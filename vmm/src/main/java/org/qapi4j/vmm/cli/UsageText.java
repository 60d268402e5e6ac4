package org.qapi4j.vmm.cli;

/** The texts {@code --help} and {@code --version} print. */
final class UsageText {
    private UsageText() {
    }

    /** The text {@code --help} prints. */
    static String help() {
        return """
                usage: vmm [options]

                A virtual machine monitor that clients manage over QMP as they manage
                QEMU 7.2. Options that QEMU has are spelled as in QEMU (one dash or two);
                the VMM's own options take two dashes.

                QEMU's options:
                  -qmp unix:PATH,server=on,wait=off
                  -qmp tcp:[HOST]:PORT,server=on,wait=off
                          serve QMP on a Unix socket or a TCP port; repeatable
                          ('server,nowait' works too; the VMM never waits for a client).
                          Without -qmp (and without -nodefaults) the VMM serves QMP on
                          the Unix socket vmm-qmp.sock in the working directory
                  -m [size=]SIZE
                          guest RAM: a plain number is MiB, or give a suffix
                          B, K, M, G or T (default 128M)
                  -mem-prealloc
                          allocate all of guest RAM at start, before QMP is
                          served (seconds a GiB), instead of as the guest first
                          writes it: a migration destination then receives
                          pages without a page fault each
                  -S      do not start the guest: wait for 'cont'
                  -incoming tcp:[HOST]:PORT | unix:PATH | defer
                          wait for the guest to arrive by migration ('defer': the
                          address comes later, with 'migrate-incoming')
                  -name [guest=]NAME
                          the machine's name ('query-name')
                  -uuid UUID
                          the machine's UUID ('query-uuid')
                  -no-shutdown
                          when the guest shuts down, keep the machine (run state
                          'shutdown') instead of exiting
                  -no-reboot
                          when the guest resets, shut down instead
                  -machine none, -M none
                          the VMM's one machine (the default)
                  -nodefaults
                          no default QMP socket (see -qmp)
                  -nographic, -display none
                          accepted; the VMM has no display
                  -h, -help
                          print this help and exit
                  -version
                          print the version and exit

                The VMM's own options:
                  --guest PROGRAM[,key=value...]
                          what the guest runs: 'kvstore' (the default), a key-value
                          store served on the NIC, or 'dirty[,rate=N][,wss=SIZE][,fill=random]',
                          which writes N pages a second within SIZE bytes of RAM
                          (fill=random: first fill those SIZE bytes with pseudo-random
                          bytes from a fixed seed; with rate=0 it then idles)
                  --nic HOST:PORT
                          where the NIC listens (default 127.0.0.1:0: any free
                          port; the VMM prints where it listens)
                  --disk PATH[,size=SIZE]
                          the disk's image file; size: the disk's size, in bytes
                          unless a suffix says otherwise
                  --serial PATH|stdio|none
                          where the serial port writes (default none)
                  --colo-fault checkpoint=M,before=MESSAGE,action=die|stop|delay[,ms=N]
                  --colo-fault checkpoint=M,after=MESSAGE,action=...
                  --colo-fault at=precopy-pass:N|switchover|failover,action=...
                          for tests: just before sending (before=) or just after
                          receiving (after=) COLO message MESSAGE in checkpoint
                          M (0: COLO's entry); as migration source at the start
                          of precopy pass N or once the guest stopped for the
                          switch-over; at the start of a COLO failover: die,
                          stop (SIGSTOP) or wait N ms; repeatable
                  --colo-arbiter zookeeper://HOST:PORT[,HOST:PORT...][/PATH]
                                 [?session-timeout-ms=N]
                          COLO's arbiter: a lease in ZooKeeper under PATH
                          (default /qapi4j-colo; session timeout default
                          10000 ms); only its holder releases output, and the
                          secondary takes over by itself once it holds it.
                          Unreachable ZooKeeper: output stalls. Default: none
                  --help, --version
                          as -help and -version
                """;
    }

    /** The text {@code --version} prints. */
    static String version() {
        String version = VmmCommandLine.class.getPackage().getImplementationVersion();
        return "vmm (qapi4j) " + (version == null ? "development version" : version) + "\n"
                + "Machine and QMP modelled on QEMU 7.2.0\n";
    }
}
