package org.qapi4j.vmm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * Handlers for the signals that end QEMU (SIGTERM, SIGINT, SIGHUP), which QEMU turns into a
 * shutdown that its monitors hear of. Java 17 has no public API for signals; the JDK's own
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}, there for this very use) does it, and
 * is reached by reflection so that the build stays free of javac's proprietary-API warning.
 * Where it is missing, signals keep the JVM's default (exit without telling the monitors).
 */
final class TerminationSignals {
    static final String[] NAMES = {"TERM", "INT", "HUP"};

    private TerminationSignals() {}

    /**
     * Calls {@code onSignal} with the signal's number, on a JVM thread, for each of {@link #NAMES}.
     *
     * @return null, or the line to print when the handlers cannot be installed
     */
    static String install(IntConsumer onSignal) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method getNumber = signalClass.getMethod("getNumber");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(TerminationSignals.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            onSignal.accept((Integer) getNumber.invoke(args[0]));
                        }
                        return null;
                    });
            for (String name : NAMES) {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
            return null;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            return org.qapi4j.vmm.cli.VmmCommandLine.PROGRAM
                    + ": cannot handle termination signals (" + cause + "); they end the VMM without SHUTDOWN";
        }
    }

    /**
     * What the JVM itself does on these signals, for one that comes before the VMM takes them
     * over: exit with status 128 + the signal's number, running the shutdown hooks.
     */
    static void asTheJvmDoes(int number) {
        System.exit(128 + number);
    }
}
