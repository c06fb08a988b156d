package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.tools.Context;
import callguide.tools.Platform;
import callguide.tools.Step;
import callguide.tools.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class's benchmark on a workshop of two steps of its own (step08 and step09, written and committed here):
 * four generated forks, one of each stage, graded two at a time, each row scoring what its stage says.
 */
@DisplayName("The class's benchmark")
class ClassBenchTest {
    private static final Step DOUBLING = new Step("step08-doubling", 8);
    private static final Step ADDING = new Step("step09-adding", 9);
    private static final String DOUBLER_TEST = """
            package callguide.step08;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import static org.junit.jupiter.api.Assertions.assertEquals;
            @DisplayName("doubling")
            class DoublerTest {
                @Nested @Tag("task:1") @DisplayName("task 1: a number")
                class ANumber {
                    @Test @DisplayName("doubles") void doubles() { assertEquals(6, Doubler.twice(3), "twice 3"); }
                }
            }
            """;

    @TempDir
    Path dir;

    private static String code(String pkg, String type, String method, String body) {
        return "package callguide." + pkg + ";\npublic final class " + type + " {\n    public static int " + method
                + " {\n        " + body + "\n    }\n}\n";
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("makes a fork of each stage and grades them: untouched none, half done its step, done all, broken"
            + " its done step and the broken step's compile error as its reason")
    void fourForks() throws Exception {
        Path instructor = dir.resolve("instructor");
        String stub = "throw new UnsupportedOperationException(\"not done yet\");";
        GraderTest.write(instructor, DOUBLING, "main", "Doubler", code("step08", "Doubler", "twice(int a)", stub));
        GraderTest.write(instructor, DOUBLING, "test", "DoublerTest", DOUBLER_TEST);
        GraderTest.write(instructor, ADDING, "main", "Adder", code("step09", "Adder", "add(int a, int b)", stub));
        GraderTest.write(instructor, ADDING, "test", "AdderTest", GraderTest.TEST);
        solution(instructor, DOUBLING, "Doubler", code("step08", "Doubler", "twice(int a)", "return 2 * a;"));
        solution(instructor, ADDING, "Adder", code("step09", "Adder", "add(int a, int b)", "return a + b;"));
        Forks.commit(instructor, "the workshop");
        String commit = Trees.head(instructor).orElseThrow();
        // this JVM's classpath holds what a step's would: the grade recorder (kit), JUnit, Jackson
        Path classpath = Files.writeString(dir.resolve("classpath.txt"), System.getProperty("java.class.path"));
        Baseline baseline = new Baseline(commit, instructor, Map.of(DOUBLING, classpath, ADDING, classpath));
        Context ctx = new Context(
                instructor,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Platform.machine(Map.of()));
        Path out = dir.resolve("bench");

        ClassBench.Result result = ClassBench.run(
                ctx,
                List.of(DOUBLING, ADDING),
                new ClassBench.Options(4, false, 2, out, Duration.ofSeconds(120)),
                baseline,
                Duration.ZERO,
                false);

        assertThat(result.learners())
                .as("the learners: a stage each, in the order the class takes them")
                .extracting(Cohort.Learner::name)
                .containsExactly("learner-1-half", "learner-2-done", "learner-3-broken", "learner-4-untouched");
        assertThat(Classroom.read(out.resolve(Cohort.FORKS)))
                .as("FORKS: a fork a learner, named")
                .extracting(Classroom.Fork::name)
                .containsExactly("learner-1-half", "learner-2-done", "learner-3-broken", "learner-4-untouched");
        ClassBench.Run run = result.runs().get(0);
        assertThat(result.runs())
                .as("the runs without --fresh: the step cache's")
                .hasSize(1);
        JsonNode board =
                new ObjectMapper().readTree(run.out().resolve("scoreboard.json").toFile());
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        board.get("learners").forEach(row -> rows.put(row.get("name").asText(), row));
        assertThat(rows.values()).as("every row graded, of the three tests").allSatisfy(row -> {
            assertThat(row.get("status").asText()).isEqualTo("graded");
            assertThat(row.get("score").get("total").asInt()).isEqualTo(3);
        });
        assertThat(passed(rows.get("learner-4-untouched"))).as("untouched").isZero();
        assertThat(passed(rows.get("learner-1-half")))
                .as("half done: step08's one test")
                .isEqualTo(1);
        assertThat(passed(rows.get("learner-2-done"))).as("done").isEqualTo(3);
        assertThat(rows.get("learner-2-done").get("reason").isNull())
                .as("done: no reason")
                .isTrue();
        assertThat(passed(rows.get("learner-3-broken")))
                .as("broken: step08 done, step09 broken")
                .isEqualTo(1);
        assertThat(rows.get("learner-3-broken").get("reason").asText())
                .as("broken: why")
                .startsWith("step09-adding: the step does not compile")
                .contains("illegal start of expression");
        assertThat(run.mismatches()).as("the bench's own check of the rows").isEmpty();
        assertThat(run.scoreboards())
                .as("the three scoreboards")
                .extracting(p -> p.getFileName().toString())
                .containsExactly("scoreboard.html", "scoreboard.csv", "scoreboard.json");
        assertThat(run.times().keySet()).as("a fork's times a fork").containsExactlyInAnyOrderElementsOf(rows.keySet());

        JsonNode json = new ObjectMapper().readTree(ClassBench.json(result).toString());
        JsonNode figures = json.get("runs").get(0);
        assertThat(figures.get("mode").asText()).as("the run's mode").isEqualTo("cache");
        // five distinct steps' sources: two stubs, two solutions, one broken; two forks at once may both grade one
        assertThat(figures.get("jvms").asInt()).as("the steps graded in a JVM").isBetween(5, 8);
        assertThat(figures.get("jvms").asInt() + figures.get("steps_from_cache").asInt())
                .as("every step of the four forks, in a JVM or from the cache")
                .isEqualTo(8);
        assertThat(figures.get("scores_as_staged").asBoolean())
                .as("scores_as_staged")
                .isTrue();
        assertThat(json.get("stages").toString())
                .as("the stages")
                .isEqualTo("{\"half\":1,\"done\":1,\"broken\":1,\"untouched\":1}");

        JsonNode results = new ObjectMapper().readTree(result.results().toFile());
        assertThat(result.results())
                .as("the sample results.json: the half-done learner's step not done")
                .endsWith(Path.of("forks/learner-1-half/grades/junit/step09-adding/results.json"));
        assertThat(results.get("status").asText()).as("its status").isEqualTo("fail");

        if (Platform.current().chromium(ctx.env(), ctx.machine()).present()) {
            assertThat(result.screenshot())
                    .as("the screenshot, with Chromium here")
                    .isNotNull();
            byte[] png = Files.readAllBytes(result.screenshot());
            assertThat(new String(png, 1, 3, StandardCharsets.ISO_8859_1))
                    .as("a PNG")
                    .isEqualTo("PNG");
        } else {
            assertThat(result.screenshotNote()).as("why no screenshot").startsWith("no screenshot: ");
        }
        assertThat(ClassBench.text(result))
                .as("the figures as printed")
                .contains("4 generated forks (1 half done, 1 done, 1 broken, 1 untouched; 2 steps)")
                .contains("every row scored what its learner's stage says")
                .contains("a step's results.json: " + result.results());
    }

    private static void solution(Path root, Step step, String name, String source) throws IOException {
        Path file = step.solutionSources(root)
                .resolve(step.packageName().replace('.', '/'))
                .resolve(name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    private static int passed(JsonNode row) {
        return row.get("score").get("passed").asInt();
    }
}
