package callguide.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A copy of the workshop's tree for a test (the parent pom, each step's exercise, tests and
 * hints, the solutions), under git when asked, and the tools run on it with their output kept.
 */
final class Project {
    /** The real project: this module's parent folder. */
    static final Path REAL = Path.of("..").toAbsolutePath().normalize();

    final Path root;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Project(Path root) {
        this.root = root;
    }

    static Project copy(Path dir) throws IOException {
        Files.copy(REAL.resolve("pom.xml"), dir.resolve("pom.xml"));
        Files.copy(REAL.resolve("README.md"), dir.resolve("README.md"));
        for (Step step : Steps.fromPom(REAL.resolve("pom.xml")).all()) {
            copyTree(step.dir(REAL).resolve("src"), step.dir(dir).resolve("src"));
            Files.copy(step.hints(REAL), step.hints(dir));
            copyTree(step.solutionSources(REAL), step.solutionSources(dir));
        }
        return new Project(dir);
    }

    /** The copy committed to a git repository of its own, as a learner's clone is. */
    Project committed() throws IOException {
        callguide.tools.grading.Forks.commit(root, "the workshop");
        return this;
    }

    /**
     * Runs {@code ./workshop ARGS} on the copy; its exit status, the output kept for {@link #out()} and {@link #err()}.
     */
    int run(String... args) {
        return run(Map.of("PATH", System.getenv().getOrDefault("PATH", "")), new Machines.Fake(), args);
    }

    /** The same in an environment and on a machine of the test's own. */
    int run(Map<String, String> env, Platform.Machine machine, String... args) {
        out.reset();
        err.reset();
        Context ctx = new Context(
                root,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                machine);
        return Workshop.run(ctx, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static void copyTree(Path from, Path to) throws IOException {
        Trees.copy(from, to);
    }

    static Optional<Path> file(Path dir, String name) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }
}
