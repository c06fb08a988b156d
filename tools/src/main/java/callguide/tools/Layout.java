package callguide.tools;

import java.nio.file.Path;
import java.util.List;

/**
 * Where things are: every path, module name, Maven switch and main class name the tools use, in
 * one place. The steps themselves are not listed here: they are the parent pom's modules named
 * {@code stepNN-...} (see {@link Steps}).
 */
public final class Layout {
    /** A module of the build that is a step: {@code step04-offer-answer}. */
    public static final String STEP_MODULE = "step(\\d\\d)-.+";
    /** A step's package is this and its number: {@code callguide.step04}. */
    public static final String STEP_PACKAGE = "callguide.step";
    /** The reference solutions, one folder a step module, mirroring it. */
    public static final String SOLUTIONS = "solutions";
    /** What the tools keep between runs: grades, hints shown, backups, logs. Never committed. */
    public static final String STATE = ".workshop";

    /** The module whose build holds the whole call's mains and their runtime classpath. */
    public static final String CALL_MODULE = "app";
    /** The module holding the benchmarks' mains. */
    public static final String BENCH_MODULE = "bench";
    /** The module of the relay's main. */
    public static final String RELAY_MODULE = "relay";
    /** This module: the tools' sources, and the jar the launchers start. */
    public static final String TOOLS_MODULE = "tools";

    public static final String DEMO_MAIN = "callguide.app.Demo";
    public static final String PEER_MAIN = "callguide.app.PeerMain";
    public static final String RELAY_MAIN = "callguide.relay.RelayMain";
    /**
     * A step's run program is this package and the step's CamelCase name: {@code callguide.app.run.Step04OfferAnswer}.
     */
    public static final String RUN_PACKAGE = "callguide.app.run";
    /** A benchmark's main is this package, {@code Bench} and its name: {@code callguide.bench.BenchCall}. */
    public static final String BENCH_PACKAGE = "callguide.bench";

    /** The build flavours: each builds into {@code target/<flavour>} (see the parent pom). */
    public static final String MINE = "mine";

    public static final String SOLUTIONS_FLAVOUR = "solutions";
    /** Maven profiles of the whole suite. */
    public static final String SOLUTIONS_PROFILE = "solutions";

    public static final String BROWSER_PROFILE = "browser";
    public static final String CLASSROOM_PROFILE = "classroom";
    /** The bench's comparison with PeerJS server: needs node and npm. */
    public static final String PEERJS_PROFILE = "peerjs";
    /**
     * The system property each step's test JVM writes its grades to (the grade recorder's file, one JSON line a test).
     */
    public static final String GRADES_PROPERTY = "callguide.grades";

    /**
     * The relay's JVM: a set heap, so a client that floods the relay meets its caps (relay/PROTOCOL.md), never the
     * machine's memory, and one small enough that the whole process stays within 256 MB resident after 500 rooms of
     * traffic: the JVM's own memory (code, metaspace, the compiler's arenas, its libraries) is another 100-110 MB
     * beside the heap. The young generation is fixed at 48 MB, so a young pause copies only what is in flight
     * (without a bound ParallelGC grew it to ~2 GB, with 30-140 MB surviving and pauses up to 150 ms at the p99),
     * and the 80 MB left hold the relay's state and its queue budget (a quarter of the heap). The serial
     * collector: the relay is measured on one core (bench relay --vs peerjs pins it) and a workshop's relay shares
     * a laptop's, where a parallel collector's threads only take turns and G1's concurrent ones compete with the
     * relay itself. Metaspace starts at 64 MB: the default threshold cost a full collection mid-traffic. Measured
     * (bench relay --vs peerjs --rounds 1 on a loaded 2-core machine, noisy): resident memory after 500 rooms of
     * offers 367-430 MB with -XX:+UseParallelGC -Xmx512m (idle 119-153), 229 MB with this (idle 114); p99 at 500
     * rooms, candidates / offers, 45-65 / 7-69 ms then, 2.3 / 5.5 ms with this.
     */
    public static final List<String> RELAY_JVM =
            List.of("-XX:+UseSerialGC", "-Xmx128m", "-Xmn48m", "-XX:MetaspaceSize=64m");
    /**
     * {@code bench relay}: the relay's collector, and its clients in the same JVM; no heap of the
     * relay's own, since 1,000 clients share it.
     */
    public static final List<String> BENCH_RELAY_JVM = List.of("-XX:+UseParallelGC");

    private final Path root;

    public Layout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path parentPom() {
        return root.resolve("pom.xml");
    }

    public Path state() {
        return root.resolve(STATE);
    }

    public Path grades() {
        return state().resolve("grades");
    }

    /** The grades of {@code check --solutions}: a folder of their own, never shown as the learner's. */
    public Path solutionGrades() {
        return state().resolve("grades-solutions");
    }

    public Path readme() {
        return root.resolve("README.md");
    }

    /** The build of a module in a flavour: {@code app/target/solutions}. */
    public Path target(String module, String flavour) {
        return root.resolve(module).resolve("target").resolve(flavour);
    }

    /**
     * The flavour of one step graded from the learner's code ({@code -Dstep=04} builds into it): {@code step04}; the
     * watch names its work folder so.
     */
    public static String stepFlavour(Step step) {
        return "step" + step.no();
    }

    /** The surefire reports of the whole suite: every module's solutions and common builds. */
    public static final List<String> SUITE_FLAVOURS = List.of(SOLUTIONS_FLAVOUR, "common");

    /** Relative to the root, for messages: {@code .workshop/grades/step01-media.log}. */
    public String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
