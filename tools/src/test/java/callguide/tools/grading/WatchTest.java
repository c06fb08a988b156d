package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch mode on a step of its own (step09, written here): each run compiles what is on disk
 * now and runs it in a new class loader, so an edit between two runs is what the second run tests.
 */
@DisplayName("The watch mode")
class WatchTest {
    private static final String GOOD = """
            package callguide.step09;
            public final class Adder {
                public static int add(int a, int b) { return a + b; }
            }
            """;
    private static final String WRONG = GOOD.replace("a + b", "a - b");
    private static final String BROKEN = GOOD.replace("a + b;", "a + ;");
    private static final String TEST = """
            package callguide.step09;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import static org.junit.jupiter.api.Assertions.assertEquals;
            @Tag("task:1")
            class AdderTest {
                @Test void adds() { assertEquals(5, Adder.add(2, 3), "2 + 3"); }
                @Test void addsZero() { assertEquals(2, Adder.add(2, 0), "2 + 0"); }
            }
            """;

    @TempDir
    Path dir;

    private Path main;
    private Path adder;
    private Watch watch;

    @BeforeEach
    void step() throws IOException {
        main = dir.resolve("main");
        Path test = dir.resolve("test");
        adder = main.resolve("callguide/step09/Adder.java");
        Files.createDirectories(adder.getParent());
        Files.createDirectories(test.resolve("callguide/step09"));
        Files.writeString(adder, GOOD);
        Files.writeString(test.resolve("callguide/step09/AdderTest.java"), TEST);
        List<Path> classpath = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .toList();
        watch = new Watch("step09-adding", List.of(main, test), List.of(), classpath, dir.resolve("work"));
    }

    @Test
    @DisplayName("grades the code as it is at each run: right, then wrong after an edit, then right again")
    void reRunsTheNewCode() throws IOException {
        Watch.Outcome first = watch.runOnce();
        assertThat(first.compiled()).as("the first run compiles").isTrue();
        assertThat(first.total()).as("tests found in the step's package").isEqualTo(2);
        assertThat(first.passed()).as("tests passing with a + b").isEqualTo(2);
        assertThat(first.timedOut()).as("a run where no test timed out").isFalse();

        Files.writeString(adder, WRONG);
        Watch.Outcome second = watch.runOnce();
        assertThat(second.passed())
                .as("tests passing after the edit to a - b (the new class must be loaded)")
                .isEqualTo(1);
        assertThat(second.total()).isEqualTo(2);

        Files.writeString(adder, GOOD);
        assertThat(watch.runOnce().passed())
                .as("tests passing once a + b is back")
                .isEqualTo(2);
        assertThat(Files.readString(dir.resolve("work/grades/step09-adding.jsonl")))
                .as("the grades file, in check's format")
                .contains("\"task\":1", "\"status\":\"passed\"");
    }

    @Test
    @DisplayName("says the step does not compile, runs nothing, and recovers at the next good save")
    void compileErrors() throws IOException {
        Files.writeString(adder, BROKEN);
        Watch.Outcome broken = watch.runOnce();
        assertThat(broken.compiled()).as("a run of code that does not compile").isFalse();
        assertThat(broken.summary("changed: Adder.java")).contains("does not compile");
        assertThat(broken.errors())
                .as("the compiler's message with file, line and column")
                .containsExactly("Adder.java:3:54: illegal start of expression");

        Files.writeString(adder, GOOD.replace("a + b", "a.plus(b)"));
        assertThat(watch.runOnce().errors())
                .as("a message with javac's detail lines")
                .singleElement()
                .asString()
                .startsWith("Adder.java:3:")
                .contains("int cannot be dereferenced");

        Files.writeString(adder, GOOD);
        assertThat(watch.runOnce().passed()).as("tests passing after the fix").isEqualTo(2);
    }

    @Test
    @DisplayName("wakes on a saved source file and names it")
    void wakesOnSave() throws Exception {
        try (WatchService watcher = watch.watchSources()) {
            CompletableFuture<String> change = CompletableFuture.supplyAsync(() -> {
                try {
                    return watch.awaitChange(watcher);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Files.writeString(adder, WRONG);
            assertThat(change)
                    .as("the watch, after a save")
                    .succeedsWithin(Duration.ofSeconds(10))
                    .isEqualTo("changed: Adder.java");
        }
    }

    @Test
    @DisplayName("bounds a test that never returns with the step's junit-platform.properties, as check does")
    void boundsAHangingTest() throws IOException {
        Path test = dir.resolve("test/callguide/step09/AdderTest.java");
        Files.writeString(
                test,
                TEST.replace(
                        "@Test void addsZero() {",
                        "@Test void waitsForever() throws Exception { new "
                                + "java.util.concurrent.CountDownLatch(1).await(); }\n"
                                + "                @Test void addsZero() {"));
        Path resources = Files.createDirectories(dir.resolve("resources"));
        Files.writeString(resources.resolve("junit-platform.properties"), """
                junit.jupiter.execution.timeout.default = 1 s
                junit.jupiter.execution.timeout.thread.mode.default = SEPARATE_THREAD
                """);
        List<Path> classpath = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .toList();
        Watch bounded = new Watch(
                "step09-adding",
                List.of(main, dir.resolve("test")),
                List.of(resources),
                classpath,
                dir.resolve("work"));

        Watch.Outcome outcome = bounded.runOnce();
        assertThat(outcome.total()).as("tests run, the hanging one included").isEqualTo(3);
        assertThat(outcome.passed())
                .as("the two that return pass; the one that waits forever fails on its timeout")
                .isEqualTo(2);
        assertThat(outcome.timedOut())
                .as("the run says a test timed out, so the watch asks for a fresh JVM")
                .isTrue();
        assertThat(Files.readString(dir.resolve("work/grades/step09-adding.jsonl")))
                .as("the grade of the hanging test")
                .contains("waitsForever", "timed out");
    }

    @Test
    @DisplayName("knows a step's package from its name")
    void packageOfAStep() {
        assertThat(Watch.packageOf("step04-offer-answer")).isEqualTo("callguide.step04");
        assertThatThrownBy(() -> Watch.packageOf("offer-answer")).isInstanceOf(IllegalArgumentException.class);
    }
}
