package org.qapi4j.qmp.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.qapi4j.qmp.testing.GeneratedQemu72Java;
import org.qapi4j.qmp.dispatch.CommandDispatcher;

/**
 * QEMU 7.2's schema as the generator turns it into Java, compiled and loaded in this JVM: the
 * server side that conformance tests compare with a real QEMU 7.2.
 *
 * <p>{@link GeneratedQemu72Java} generates and compiles it, once per test JVM; when the
 * reference data is absent, the calling test is skipped with a message that says so.
 */
final class GeneratedQemu72 {
    static final String PACKAGE = "org.qapi4j.conformance.qemu72";


    private static GeneratedQemu72 instance;

    private final Class<?> handlersType;
    private final Method dispatcherFactory;

    private GeneratedQemu72(Class<?> handlersType) throws NoSuchMethodException {
        this.handlersType = handlersType;
        this.dispatcherFactory = handlersType.getMethod("dispatcher", handlersType);
    }

    /** The compiled schema; skips the calling test when QEMU's reference data is absent. */
    static synchronized GeneratedQemu72 get() {
        if (instance == null) {
            GeneratedQemu72Java.assumePresent();
            try {
                ClassLoader loader = GeneratedQemu72Java.compile(PACKAGE, Map.of(), GeneratedQemu72.class.getClassLoader());
                instance = new GeneratedQemu72(Class.forName(PACKAGE + ".QmpCommands", true, loader));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /**
     * A dispatcher over handlers that should never run: every call is reported to
     * {@code onCall} (handler method name, arguments as decoded), then answered with a completed
     * stage of null. Arguments that reach a handler are arguments decoding accepted.
     */
    CommandDispatcher dispatcher(BiConsumer<String, Object[]> onCall) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    if (method.getParameterCount() == 0) {
                        return "QEMU 7.2 handlers (test double)";
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                default:
                    break;
            }
            // args[0] is the CommandContext; the rest are the decoded arguments.
            onCall.accept(method.getName(), args == null ? new Object[0] : Arrays.copyOfRange(args, 1, args.length));
            return CompletableFuture.completedStage(null);
        };
        Object handlers = Proxy.newProxyInstance(handlersType.getClassLoader(), new Class<?>[] {handlersType}, handler);
        try {
            return (CommandDispatcher) dispatcherFactory.invoke(null, handlers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dispatcher whose handlers fail the test if called: for arguments that must not decode. */
    CommandDispatcher rejectingDispatcher() {
        return dispatcher((method, args) -> {
            throw new AssertionError("handler " + method + " was called with " + Arrays.deepToString(args)
                    + ": decoding accepted arguments that QEMU rejects");
        });
    }
}
