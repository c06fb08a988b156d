package callguide.kit.grading;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The grade report")
class GradeReportTest {

    @TempDir
    Path grades;

    @Test
    @DisplayName("counts every test of a step that did not build as failed, so a broken step never raises the score")
    void brokenStepCounts() throws IOException {
        Files.writeString(grades.resolve("step01-media.jsonl"),
                "{\"name\":\"task 1 > picks the front camera\",\"task\":1,\"status\":\"passed\",\"message\":null}\n");
        Files.writeString(grades.resolve("step02-peer.error"), """
                the step does not compile (the log: .workshop/grades/step02-peer.log):
                  PeerConnections.java:40:13: cannot find symbol
                      symbol:   method setEnabeld(boolean)
                """);

        JsonNode report = GradeReport.report(grades, List.of("step01-media", "step02-peer"));

        int step02Tests = GradeReport.testMethods(Path.of("..", "step02-peer", "src", "test", "java").normalize());
        JsonNode broken = report.get("steps").get(1);
        assertThat(broken.get("passed").asInt()).as("passed in the broken step").isZero();
        assertThat(broken.get("failed").asInt()).as("failed in the broken step: the tests in its sources, or at least one")
                .isGreaterThanOrEqualTo(1);
        assertThat(report.get("score").get("total").asInt()).as("the score's total counts the broken step")
                .isEqualTo(1 + broken.get("failed").asInt());
        assertThat(report.get("score").get("passed").asInt()).as("passed overall").isEqualTo(1);
        assertThat(step02Tests).as("test methods in step02's sources (seen from the kit module)").isGreaterThan(1);

        String table = GradeReport.table(report);
        assertThat(table).as("the table names the compiler's message with its detail")
                .contains("step02-peer", "does not compile", "PeerConnections.java:40:13: cannot find symbol", "method setEnabeld(boolean)")
                .contains("score: 1 of " + report.get("score").get("total").asInt() + " tests pass");
    }

    @Test
    @DisplayName("counts @Test, @ParameterizedTest, @RepeatedTest and @TestFactory methods in test sources")
    void countsTestMethods(@TempDir Path sources) throws IOException {
        Files.createDirectories(sources.resolve("a"));
        Files.writeString(sources.resolve("a/ATest.java"), """
                class ATest {
                    @Test void one() {}
                    @ParameterizedTest @ValueSource(ints = {1, 2}) void two(int i) {}
                    @RepeatedTest(3) void three() {}
                    @TestFactory Object four() { return null; }
                    // @Test in a comment line that does not start with it counts not
                    void helper() {}
                }
                """);
        assertThat(GradeReport.testMethods(sources)).isEqualTo(4);
        assertThat(GradeReport.testMethods(sources.resolve("missing"))).as("no sources: at least one").isEqualTo(1);
    }
}
