package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.tools.Context;
import callguide.tools.Platform;
import callguide.tools.Step;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grader on steps of its own (step08 and step09, written here into a project folder): each
 * graded in a JVM of its own by the watch's engine, into check's files, whatever the other does.
 */
@DisplayName("The grader")
class GraderTest {
    private static final Step ADDING = new Step("step09-adding", 9);
    private static final Step HALTING = new Step("step08-halting", 8);
    private static final String GOOD = """
            package callguide.step09;
            public final class Adder {
                public static int add(int a, int b) { return a + b; }
            }
            """;
    /** The step's test: two of task 1 (the class's grading grades forks on it too). */
    static final String TEST = """
            package callguide.step09;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import static org.junit.jupiter.api.Assertions.assertEquals;
            @DisplayName("adding")
            class AdderTest {
                @Nested @Tag("task:1") @DisplayName("task 1: two numbers")
                class TwoNumbers {
                    @Test @DisplayName("adds") void adds() { assertEquals(5, Adder.add(2, 3), "2 + 3"); }
                    @Test @DisplayName("adds zero") void addsZero() { assertEquals(2, Adder.add(2, 0), "2 + 0"); }
                }
            }
            """;

    private static final String HALTS = """
            package callguide.step08;
            public final class Halter {
                public static int halt() { Runtime.getRuntime().halt(3); return 0; }
            }
            """;
    private static final String HALT_TEST = """
            package callguide.step08;
            import org.junit.jupiter.api.Test;
            import static org.junit.jupiter.api.Assertions.assertEquals;
            class HalterTest {
                @Test void passes() { assertEquals(1, 1); }
                @Test void halts() { assertEquals(0, Halter.halt()); }
            }
            """;

    @TempDir
    Path root;

    private Path classpath;
    private Path out;
    private Context ctx;

    @BeforeEach
    void project() throws IOException {
        write(ADDING, "main", "Adder", GOOD);
        write(ADDING, "test", "AdderTest", TEST);
        write(HALTING, "main", "Halter", HALTS);
        write(HALTING, "test", "HalterTest", HALT_TEST);
        // this JVM's classpath holds what a step's would: the grade recorder (kit), JUnit, Jackson
        classpath = Files.writeString(root.resolve("classpath.txt"), System.getProperty("java.class.path"));
        out = root.resolve(".workshop/grades");
        ctx = new Context(
                root,
                Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Platform.machine(Map.of()));
    }

    private void write(Step step, String kind, String name, String source) throws IOException {
        write(root, step, kind, name, source);
    }

    /** A step's source file in a project folder: {@code kind} is main or test. */
    static void write(Path root, Step step, String kind, String name, String source) throws IOException {
        Path file = step.dir(root)
                .resolve("src")
                .resolve(kind)
                .resolve("java")
                .resolve(step.packageName().replace('.', '/'))
                .resolve(name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    private Grader.Job job(Step step) {
        return Grader.Job.of(step, step.mainSources(root), root, classpath);
    }

    private JsonNode report(Step... steps) throws IOException {
        return GradeReport.report(
                out, java.util.Arrays.stream(steps).map(Step::module).toList(), root);
    }

    @Test
    @DisplayName(
            "grades a step in a JVM of its own into check's files, its tests named as the grade recorder names them")
    void gradesAStep() throws IOException {
        new Grader(ctx, Duration.ofSeconds(120), 2).grade(List.of(job(ADDING)), out);

        JsonNode report = report(ADDING);
        assertThat(report.fieldNames())
                .as("the report's fields, the design's shape")
                .toIterable()
                .containsExactly("steps", "score");
        JsonNode step = report.get("steps").get(0);
        assertThat(step.fieldNames())
                .as("a step's fields")
                .toIterable()
                .containsExactly("step", "passed", "failed", "total", "tests");
        assertThat(step.get("tests").get(0).fieldNames())
                .as("a test's fields")
                .toIterable()
                .containsExactly("name", "task", "status", "message");
        assertThat(step.get("passed").asInt()).as("tests passing with a + b").isEqualTo(2);
        assertThat(step.has("ran"))
                .as("ran: only a step that did not run says so")
                .isFalse();
        assertThat(step.get("tests"))
                .as("the tests' names, the display names below the class")
                .extracting(test -> test.get("name").asText())
                .containsExactlyInAnyOrder("task 1: two numbers > adds", "task 1: two numbers > adds zero");
        assertThat(step.get("tests"))
                .as("their task, from the tag")
                .allSatisfy(test -> assertThat(test.get("task").asInt()).isEqualTo(1));
        assertThat(out.resolve("step09-adding.log"))
                .as("the JVM's output, kept")
                .exists();
        assertThat(out.resolve("step09-adding.error"))
                .as("no error for a step that compiled and ran")
                .doesNotExist();
    }

    @Test
    @DisplayName("reports a step that does not compile with javac's messages in the shape Maven's log gave, every "
            + "test failed")
    void compileErrors() throws IOException {
        write(ADDING, "main", "Adder", GOOD.replace("a + b", "a + c"));

        new Grader(ctx, Duration.ofSeconds(120), 2).grade(List.of(job(ADDING)), out);

        JsonNode step = report(ADDING).get("steps").get(0);
        assertThat(step.fieldNames())
                .as("the fields of a step that did not compile")
                .toIterable()
                .containsExactly("step", "error", "ran", "passed", "failed", "total", "tests");
        assertThat(step.get("error").asText())
                .as("the error: where, the message, its detail lines")
                .isEqualTo("""
                the step does not compile (the log: .workshop/grades/step09-adding.log):
                  Adder.java:3:54: cannot find symbol
                      symbol:   variable c
                      location: class callguide.step09.Adder""");
        assertThat(step.get("ran").asBoolean()).as("ran").isFalse();
        assertThat(step.get("tests"))
                .as("every test in the step's sources, failed with the first line")
                .hasSize(2)
                .allSatisfy(test -> assertThat(test.get("message").asText())
                        .isEqualTo("the step does not compile (the log: .workshop/grades/step09-adding.log):"));
    }

    @Test
    @DisplayName("a step whose code halts its JVM fails all its tests with why, and leaves another step's grades as "
            + "they are")
    void isolation() throws IOException {
        new Grader(ctx, Duration.ofSeconds(120), 2).grade(List.of(job(ADDING)), out);
        String alone = Files.readString(out.resolve("step09-adding.jsonl"));

        new Grader(ctx, Duration.ofSeconds(120), 2).grade(List.of(job(HALTING), job(ADDING)), out);

        JsonNode report = report(HALTING, ADDING);
        JsonNode halting = report.get("steps").get(0);
        assertThat(halting.get("ran").asBoolean())
                .as("ran, for the step whose JVM ended")
                .isFalse();
        assertThat(halting.get("passed").asInt())
                .as("passed in it: none count once its JVM died")
                .isZero();
        assertThat(halting.get("total").asInt()).as("its tests, all counted").isEqualTo(2);
        assertThat(halting.get("error").asText())
                .as("why")
                .isEqualTo("the step's tests did not finish: the step's code ended"
                        + " their JVM (exit 3: System.exit or Runtime.halt in a test's path; the log: "
                        + ".workshop/grades/step08-halting.log)");
        assertThat(Files.readString(out.resolve("step09-adding.jsonl")))
                .as("the other step's grades, as when graded alone")
                .isEqualTo(alone);
        assertThat(report.get("score").get("passed").asInt())
                .as("the score: the other step's two")
                .isEqualTo(2);
        assertThat(report.get("score").get("total").asInt()).isEqualTo(4);
    }

    @Test
    @DisplayName("stops a step's JVM that runs past the bound, reports it, and grades the other")
    void timeBound() throws IOException {
        write(
                HALTING,
                "test",
                "HalterTest",
                HALT_TEST
                        .replace("Halter.halt()", "sleep()")
                        .replace(
                                "class HalterTest {",
                                "class HalterTest {\n    static int sleep() { try { Thread.sleep(60_000); }"
                                        + " catch (InterruptedException e) { Thread.currentThread().interrupt(); "
                                        + "} return 1; }"));
        long start = System.nanoTime();

        new Grader(ctx, Duration.ofSeconds(8), 2).grade(List.of(job(HALTING), job(ADDING)), out);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took)
                .as("how long grading took, with a test that sleeps a minute and a bound of 8 s")
                .isLessThan(Duration.ofSeconds(40));
        JsonNode report = report(HALTING, ADDING);
        assertThat(report.get("steps").get(0).get("error").asText())
                .as("why the step has no grades")
                .startsWith("the step's tests did not finish within 8 s: their JVM was stopped");
        assertThat(report.get("steps").get(0).get("total").asInt())
                .as("its tests, all counted")
                .isEqualTo(2);
        assertThat(report.get("steps").get(1).get("passed").asInt())
                .as("the other step, graded")
                .isEqualTo(2);
    }

    @Test
    @DisplayName("contained, lets the JDK link a learner's lambdas and method references, and refuses the learner's"
            + " own setAccessible")
    void containedReflection() throws IOException {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("a lambda", "return java.util.stream.IntStream.of(a, b).map(x -> x).sum();");
        bodies.put("a method reference", "return java.util.stream.IntStream.of(a, b).reduce(0, Integer::sum);");
        bodies.put(
                "setAccessible",
                "try { Adder.class.getDeclaredMethod(\"add\", int.class, int.class).setAccessible(true); }"
                        + " catch (ReflectiveOperationException | SecurityException e) { } return a + b;");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            write(ADDING, "main", "Adder", GOOD.replace("{ return a + b; }", "{ " + body.getValue() + " }"));
            new Grader(ctx, Duration.ofSeconds(120), 1, true).grade(List.of(job(ADDING)), out);

            Path violations = out.resolve("step09-adding" + Grader.VIOLATIONS);
            assertThat(report(ADDING).get("score").get("passed").asInt())
                    .as("tests passing with " + body.getKey())
                    .isEqualTo(2);
            if (body.getKey().equals("setAccessible") && Containment.AVAILABLE) {
                assertThat(Files.readAllLines(violations))
                        .as("the refusals (a test each), for " + body.getKey())
                        .containsOnly("use reflection past access checks (setAccessible)");
            } else {
                assertThat(violations).as("no refusal, for " + body.getKey()).doesNotExist();
            }
        }
    }
}
