package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXException;

@DisplayName("The grade report")
class GradeReportTest {

    @TempDir
    Path grades;

    @Test
    @DisplayName("counts every test of a step that did not build as failed, so a broken step never raises the score")
    void brokenStepCounts() throws IOException {
        Files.writeString(
                grades.resolve("step01-media.jsonl"),
                "{\"name\":\"task 1 > picks the front camera\",\"task\":1,\"status\":\"passed\",\"message\":null}\n");
        Files.writeString(grades.resolve("step02-peer.error"), """
                the step does not compile (the log: .workshop/grades/step02-peer.log):
                  PeerConnections.java:40:13: cannot find symbol
                      symbol:   method setEnabeld(boolean)
                """);

        JsonNode report = GradeReport.report(grades, List.of("step01-media", "step02-peer"));

        int step02Tests = GradeReport.testNames(
                        Path.of("..", "step02-peer", "src", "test", "java").normalize())
                .size();
        JsonNode broken = report.get("steps").get(1);
        assertThat(broken.get("passed").asInt()).as("passed in the broken step").isZero();
        assertThat(broken.get("failed").asInt())
                .as("failed in the broken step: the tests in its sources, or at least one")
                .isGreaterThanOrEqualTo(1)
                .isEqualTo(broken.get("tests").size());
        assertThat(broken.get("ran").asBoolean())
                .as("ran, for a step that did not build")
                .isFalse();
        assertThat(broken.get("tests"))
                .as("each of its tests, failed with the compiler's first line")
                .allSatisfy(test -> {
                    assertThat(test.get("status").asText()).isEqualTo("failed");
                    assertThat(test.get("message").asText()).startsWith("the step does not compile");
                });
        assertThat(report.get("score").get("total").asInt())
                .as("the score's total counts the broken step")
                .isEqualTo(1 + broken.get("failed").asInt());
        assertThat(report.get("score").get("passed").asInt())
                .as("passed overall")
                .isEqualTo(1);
        assertThat(step02Tests)
                .as("test methods in step02's sources (seen from the tools module)")
                .isGreaterThan(1);

        String table = GradeReport.table(report);
        assertThat(table)
                .as("the table names the compiler's message with its detail")
                .contains(
                        "step02-peer",
                        "does not compile",
                        "PeerConnections.java:40:13: cannot find symbol",
                        "method setEnabeld(boolean)")
                .contains("score: 1 of " + report.get("score").get("total").asInt() + " tests pass");
    }

    @Test
    @DisplayName("writes the grades as JUnit XML with the real counts, replacing an earlier report, a broken step's "
            + "tests failed")
    void junitXml() throws IOException, SAXException, javax.xml.parsers.ParserConfigurationException {
        Files.writeString(
                grades.resolve("step01-media.jsonl"),
                String.join(
                        "\n",
                        "{\"name\":\"task 1 > picks <the> \\\"front\\\" camera & "
                                + "more\",\"task\":1,\"status\":\"passed\",\"message\":null}",
                        "{\"name\":\"task 2 > builds the "
                                + "stream\",\"task\":2,\"status\":\"failed\",\"message\":\"step01 task 2 is not done "
                                + "yet\\u0001\"}",
                        "{\"name\":\"task 3 > switches\",\"task\":3,\"status\":\"skipped\",\"message\":\"not "
                                + "on this machine\"}"));
        Files.writeString(grades.resolve("step02-peer.error"), "the step does not compile:\n  A.java:1:1: oops\n");
        Path junit = grades.resolve("junit");
        Files.createDirectories(junit.resolve("step01-media"));
        Files.writeString(junit.resolve("step01-media/TEST-old.xml"), "<testsuite tests=\"13\"/>");

        GradeReport.writeJunit(junit, GradeReport.report(grades, List.of("step01-media", "step02-peer")));

        try (var files = Files.list(junit.resolve("step01-media"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the step's reports, the old one gone: the JUnit XML and Exercism's results.json")
                    .containsExactlyInAnyOrder("TEST-step01-media.xml", GradeReport.RESULTS);
        }
        String step01 = Files.readString(junit.resolve("step01-media/TEST-step01-media.xml"));
        assertThat(step01)
                .as("the suite's counts")
                .contains("<testsuite name=\"step01-media\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">")
                .contains("classname=\"step01-media.task1\" name=\"task 1 &gt; picks &lt;the&gt; &quot;front&quot; "
                        + "camera &amp; more\"/>")
                .contains("<failure message=\"step01 task 2 is not done yet?\">")
                .contains("<skipped message=\"not on this machine\"/>");
        String step02 = Files.readString(junit.resolve("step02-peer/TEST-step02-peer.xml"));
        assertThat(step02)
                .as("a broken step: every test failed, with the compiler's messages")
                .contains("failures=\"1\"", "A.java:1:1: oops");
        assertThat(javax.xml.parsers.DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(junit.resolve("step01-media/TEST-step01-media.xml")
                                .toFile())
                        .getDocumentElement()
                        .getTagName())
                .as("well-formed XML")
                .isEqualTo("testsuite");
    }

    @Test
    @DisplayName("gives the design's JSON shape: steps with their counts and tests, then the score")
    void jsonShape() throws IOException {
        Files.writeString(
                grades.resolve("step01-media.jsonl"),
                String.join(
                        "\n",
                        "{\"name\":\"task 1 > picks the front "
                                + "camera\",\"task\":1,\"status\":\"passed\",\"message\":null}",
                        "{\"name\":\"task 2 > builds the "
                                + "stream\",\"task\":2,\"status\":\"failed\",\"message\":\"step01 task 2 is not done "
                                + "yet\"}"));

        JsonNode report = GradeReport.report(grades, List.of("step01-media"), Path.of(".."));

        assertThat(report.fieldNames()).toIterable().as("the report's keys").containsExactly("steps", "score");
        JsonNode step = report.get("steps").get(0);
        assertThat(step.fieldNames())
                .toIterable()
                .as("a step's keys")
                .containsExactly("step", "passed", "failed", "total", "tests");
        assertThat(step.get("tests").get(1).fieldNames())
                .toIterable()
                .as("a test's keys")
                .containsExactly("name", "task", "status", "message");
        assertThat(List.of(
                        step.get("passed").asInt(),
                        step.get("failed").asInt(),
                        step.get("total").asInt()))
                .as("passed, failed, total")
                .containsExactly(1, 1, 2);
        assertThat(report.get("score").toString()).as("the score").isEqualTo("{\"passed\":1,\"total\":2}");
        assertThat(GradeReport.table(report))
                .as("the table")
                .contains("step01-media           1              1/1")
                .contains("                       2              0/1  task 2 > builds the stream")
                .endsWith("score: 1 of 2 tests pass");
    }

    @Test
    @DisplayName(
            "says once under the table, when it cut messages short, where they are whole; nothing when it cut none")
    void cutMessagesSayWhereTheyAreWhole() throws IOException {
        String long1 = "step01 task 2 is not done yet: " + "a message longer than the column. ".repeat(6);
        Files.writeString(
                grades.resolve("step01-media.jsonl"),
                String.join(
                        "\n",
                        "{\"name\":\"task 1 > chooses\",\"task\":1,\"status\":\"failed\",\"message\":\"" + long1
                                + "\"}",
                        "{\"name\":\"task 2 > builds\",\"task\":2,\"status\":\"failed\",\"message\":\"" + long1 + "\"}",
                        "{\"name\":\"task 3 > switches\",\"task\":3,\"status\":\"failed\",\"message\":\"short\"}"));
        JsonNode report = GradeReport.report(grades, List.of("step01-media"), Path.of(".."));

        List<String> table = GradeReport.table(report, "WHERE").lines().toList();

        assertThat(table)
                .as("the table of two messages cut short")
                .filteredOn(line -> line.strip().endsWith("..."))
                .hasSize(2);
        assertThat(table)
                .as("the table of two messages cut short")
                .containsOnlyOnce("(a message cut short with ... is whole in WHERE)")
                .endsWith("(a message cut short with ... is whole in WHERE)", "", "score: 0 of 3 tests pass");

        Files.writeString(
                grades.resolve("step01-media.jsonl"),
                "{\"name\":\"task 3 > switches\",\"task\":3,\"status\":\"failed\",\"message\":\"short\"}");
        assertThat(GradeReport.table(GradeReport.report(grades, List.of("step01-media"), Path.of("..")), "WHERE"))
                .as("the table of a message not cut")
                .doesNotContain("cut short", "WHERE");
    }

    @Test
    @DisplayName("grades a test that needs several tasks in the whole step's row, after the tasks, and says so in "
            + "the JUnit XML and results.json")
    void wholeStepRow() throws IOException {
        Files.writeString(
                grades.resolve("step05-candidates.jsonl"),
                String.join(
                        "\n",
                        "{\"name\":\"a whole call\",\"task\":\"step\",\"status\":\"failed\",\"message\":\"no call\"}",
                        "{\"name\":\"task 1 > sends\",\"task\":1,\"status\":\"passed\",\"message\":null}",
                        "{\"name\":\"task 2 > holds\",\"task\":2,\"status\":\"failed\",\"message\":\"not held\"}"));
        Files.writeString(grades.resolve("step01-media.error"), "the step does not compile (the log: x.log):");

        JsonNode report = GradeReport.report(grades, List.of("step05-candidates", "step01-media"), Path.of(".."));
        GradeReport.writeJunit(grades.resolve("junit"), report);

        assertThat(GradeReport.table(report).lines().toList())
                .as("the table: each task, then the whole step's row")
                .startsWith(
                        "step                   task        passed  first failure",
                        "step05-candidates      1              1/1",
                        "                       2              0/1  task 2 > holds",
                        "                                           not held",
                        "                       whole step     0/1  a whole call",
                        "                                           no call");
        assertThat(Files.readString(grades.resolve("junit/step05-candidates/TEST-step05-candidates.xml")))
                .as("the whole step's test in the JUnit XML")
                .contains("classname=\"step05-candidates.step\" name=\"a whole call\"");
        JsonNode results = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(grades.resolve("junit/step05-candidates/" + GradeReport.RESULTS)
                        .toFile());
        assertThat(results.toString())
                .as("Exercism's results.json, version 3: task_id null for the whole step's test")
                .isEqualTo("{\"version\":3,\"status\":\"fail\",\"tests\":["
                        + "{\"name\":\"a whole call\",\"status\":\"fail\",\"message\":\"no call\",\"task_id\":null},"
                        + "{\"name\":\"task 1 > sends\",\"status\":\"pass\",\"message\":null,\"task_id\":1},"
                        + "{\"name\":\"task 2 > holds\",\"status\":\"fail\",\"message\":\"not held\",\"task_id\":2}]}");
        JsonNode broken = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(grades.resolve("junit/step01-media/" + GradeReport.RESULTS)
                        .toFile());
        assertThat(broken.get("status").asText())
                .as("a step that did not compile: its status")
                .isEqualTo("error");
        assertThat(broken.get("message").asText())
                .as("and why")
                .isEqualTo("the step does not compile (the log: x.log):");
        assertThat(broken.get("tests"))
                .as("its tests, each an error, none left out")
                .isNotEmpty()
                .allSatisfy(test -> assertThat(test.get("status").asText()).isEqualTo("error"));
        assertThat(GradeReport.WHOLE_STEP)
                .as("the tag's value, as the grade recorder writes it")
                .isEqualTo(callguide.testkit.grading.GradeRecorder.WHOLE_STEP);
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
        assertThat(GradeReport.testNames(sources))
                .containsExactly("ATest.one", "ATest.two", "ATest.three", "ATest.four");
        assertThat(GradeReport.testNames(sources.resolve("missing")))
                .as("no sources: at least one")
                .hasSize(1);
    }
}
