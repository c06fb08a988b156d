package callguide.tools.grading;

import java.io.FilePermission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.Permission;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * What a fork's code may do in the JVM that grades it ({@code Watch --contain DIR}): a security manager that
 * denies, whenever a class of the learner's own is on the calling thread's stack, writing or deleting a file
 * outside {@code DIR} (that JVM's working directory and temporary folder), starting a program, ending the JVM
 * ({@code System.exit}, {@code Runtime.halt}), replacing the security manager, and reflection past access checks
 * in the learner's own classes (which would reach the grade recorder or this; the kit and webrtc-java use it for
 * themselves, called from the learner's code or not). Native code is beyond any JVM check: a library the learner's code
 * wrote into {@code DIR} and loaded could do anything (webrtc-java's own is loaded from there too).
 * Everything else is allowed, and nothing is checked while only the workshop's own code (the tests, the kit,
 * webrtc-java, JUnit, the grader) is on the stack: the tests run as they always do, and the grades are written
 * where only they can write. Each refusal is logged, one line, to the file {@code violations}, which the
 * scoreboard gives as the reason.
 *
 * <p>It needs a Java that still has the security manager (17 to 23, started with
 * {@code -Djava.security.manager=allow}); {@link #install} says whether it could.
 */
final class Containment extends SecurityManager {
    private static final int MAX_LOGGED = 50;

    /** Whether this Java has a security manager to install: 17 to 23 (JEP 486 removed it in 24). */
    static final boolean AVAILABLE = Runtime.version().feature() < 24;

    /** The JVM's upcall to link a call site or a dynamic constant: the JDK's own work below it. */
    private static final Class<?> LINKING = linking();

    private final Path sandbox;
    private final String sandboxPrefix;
    private final Path violations;
    private volatile Set<String> learner = Set.of();
    private volatile ClassLoader loader;
    private int logged;
    /** The thread is writing a refusal to the log: its own write is the grader's. */
    private final ThreadLocal<Boolean> logging = ThreadLocal.withInitial(() -> false);

    private Containment(Path sandbox, Path violations) {
        this.sandbox = sandbox.toAbsolutePath().normalize();
        this.sandboxPrefix = this.sandbox + java.io.File.separator;
        this.violations = violations;
    }

    /** Installs it for the rest of this JVM's life; null, with why on standard error, when this Java cannot. */
    static Containment install(Path sandbox, Path violations) {
        Containment containment = new Containment(sandbox, violations);
        // the common pool made after a security manager runs its tasks with no permission at all: make it now
        ForkJoinPool.commonPool();
        try {
            System.setSecurityManager(containment);
            return containment;
        } catch (UnsupportedOperationException e) {
            System.err.println("containment: this Java has no security manager (" + e.getMessage() + ")");
            return null;
        }
    }

    /** The learner's classes of the coming run (binary names) and the loader that holds them. */
    void learner(Set<String> classes, ClassLoader loader) {
        this.learner = Set.copyOf(classes);
        this.loader = loader;
    }

    @Override
    public void checkPermission(Permission perm) {
        String refused = refused(perm);
        if (refused != null
                && !logging.get()
                && (perm instanceof java.lang.reflect.ReflectPermission ? learnerCalls() : learnerOnStack())) {
            log(refused);
            throw new SecurityException("the grader does not let a learner's code " + refused);
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }

    /** What the permission would let learner's code do that it may not, or null. */
    private String refused(Permission perm) {
        if (perm instanceof FilePermission file) {
            String actions = file.getActions();
            if (actions.contains("execute")) {
                return "start a program (" + file.getName() + ")";
            }
            if ((actions.contains("write") || actions.contains("delete")) && !inSandbox(file.getName())) {
                return (actions.contains("delete") ? "delete " : "write ") + file.getName()
                        + " (outside its own folder)";
            }
            return null;
        }
        if (perm instanceof RuntimePermission runtime) {
            String name = runtime.getName();
            if (name.startsWith("exitVM")) {
                return "end the JVM (System.exit or Runtime.halt)";
            }
            if (name.equals("setSecurityManager")) {
                return "replace the grader's security manager";
            }
            return null;
        }
        if (perm instanceof java.lang.reflect.ReflectPermission reflect
                && reflect.getName().equals("suppressAccessChecks")) {
            return "use reflection past access checks (setAccessible)";
        }
        return null;
    }

    private boolean inSandbox(String file) {
        if (file.equals("<<ALL FILES>>")) {
            return false;
        }
        Path path = Path.of(file).toAbsolutePath().normalize();
        return path.equals(sandbox) || path.toString().startsWith(sandboxPrefix);
    }

    private boolean learnerOnStack() {
        Set<String> classes = learner;
        ClassLoader theirs = loader;
        if (classes.isEmpty() || theirs == null) {
            return false;
        }
        for (Class<?> c : getClassContext()) {
            if (c.getClassLoader() == theirs && classes.contains(hostName(c.getName()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the code that asked is the learner's own: the first frame outside the JDK's base module. The kit and
     * webrtc-java use reflection for themselves, also when the learner's code calls them. So does the JDK when it
     * links a lambda, a method reference or a {@code switch} of the learner's (the JVM's upcall,
     * {@code MethodHandleNatives}, below the JDK's own frames): that is the JDK's own, not the learner's. Refused, it
     * failed a learner's lambda whenever it was the first in its JVM to need a piece of the JDK's lambda machinery
     * (the step06 solution lost three tests). A bootstrap method of the learner's own would be the first frame outside
     * the base module, above that upcall: still refused.
     */
    private boolean learnerCalls() {
        ClassLoader theirs = loader;
        if (learner.isEmpty() || theirs == null) {
            return false;
        }
        Module base = Object.class.getModule();
        for (Class<?> c : getClassContext()) {
            if (c == LINKING) {
                return false;
            }
            if (c != Containment.class && c.getModule() != base) {
                return c.getClassLoader() == theirs && learner.contains(hostName(c.getName()));
            }
        }
        return false;
    }

    private static Class<?> linking() {
        try {
            return Class.forName("java.lang.invoke.MethodHandleNatives", false, null);
        } catch (ClassNotFoundException e) {
            return Void.class; // a JDK without it: no frame matches, so nothing more is allowed
        }
    }

    /** A lambda's class stands for the class that holds its body. */
    private static String hostName(String name) {
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : name.substring(0, lambda);
    }

    private synchronized void log(String refused) {
        if (logged++ >= MAX_LOGGED) {
            return;
        }
        logging.set(true);
        try {
            Files.writeString(
                    violations,
                    refused + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("containment: cannot log a refusal: " + e);
        } finally {
            logging.set(false);
        }
    }
}
