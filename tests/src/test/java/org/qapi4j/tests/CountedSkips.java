package org.qapi4j.tests;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Tests that cannot run (QEMU's reference data or a QEMU binary is absent) count as skipped,
 * never as fewer tests. JUnit reports an abort in {@code @BeforeAll} or in a
 * {@code @TestFactory} as an aborted container, which surefire does not count at all: a class
 * whose setup found nothing to test showed "Tests run: 0", and a factory of 2,000 round trips
 * simply vanished from the total. This extension, on for every test class of the module
 * ({@code junit-platform.properties} enables autodetection,
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} names it), turns such an
 * abort into skipped tests with the same reason:
 *
 * <ul>
 *   <li>after an abort in {@code @BeforeAll}, each test of the class is aborted (the class's
 *       other setup and teardown failures, which an incomplete setup may cause, are ignored);
 *   <li>a {@code @TestFactory} that aborts, or that belongs to such a class, yields one test,
 *       itself aborted: its dynamic tests cannot be listed without what is missing.
 * </ul>
 *
 * <p>Which tests skip, and why, is printed once by the code that found the reason missing.
 */
public final class CountedSkips
        implements LifecycleMethodExecutionExceptionHandler, BeforeEachCallback, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CountedSkips.class);

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (aborted(context) != null) {
            return; // a later @BeforeAll of a class whose setup was abandoned
        }
        if (throwable instanceof TestAbortedException abort) {
            context.getStore(NAMESPACE).put(context.getRequiredTestClass(), abort);
            return;
        }
        throw throwable;
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (aborted(context) == null) {
            throw throwable;
        }
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (aborted(context) == null) {
            throw throwable;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestAbortedException abort = aborted(context);
        boolean factory = context.getTestMethod().map(m -> m.isAnnotationPresent(TestFactory.class)).orElse(false);
        if (abort != null && !factory) {
            throw new TestAbortedException(abort.getMessage());
        }
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        TestAbortedException abort = aborted(context);
        if (abort != null) {
            invocation.skip();
        } else {
            try {
                return invocation.proceed();
            } catch (TestAbortedException e) {
                abort = e;
            }
        }
        String why = abort.getMessage();
        @SuppressWarnings("unchecked") // JUnit takes any stream of dynamic tests from a factory
        T placeholder = (T) Stream.of(DynamicTest.dynamicTest("not run", () -> {
            throw new TestAbortedException(why);
        }));
        return placeholder;
    }

    private static TestAbortedException aborted(ExtensionContext context) {
        return context.getTestClass()
                .map(type -> context.getStore(NAMESPACE).get(type, TestAbortedException.class))
                .orElse(null);
    }
}
