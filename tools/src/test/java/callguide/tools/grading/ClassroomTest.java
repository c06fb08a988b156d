package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callguide.tools.Context;
import callguide.tools.Platform;
import callguide.tools.Step;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * A class of forks, each a bare git repository made here, graded on the instructor's tests of a step of its own
 * (step09, written here): one run of the class for every kind of bad fork, each with its row and reason, and every
 * other row as it would be alone.
 */
@DisplayName("The class's grading")
class ClassroomTest {
    private static final Step STEP = new Step("step09-adding", 9);
    private static final String TEST = GraderTest.TEST;
    /** The learner's edit of the test, so that anything passes. */
    private static final String EDITED_TEST = TEST.replace("assertEquals(5, Adder.add(2, 3), \"2 + 3\")", "")
            .replace("assertEquals(2, Adder.add(2, 0), \"2 + 0\")", "");

    @TempDir
    Path dir;

    private static String adder(String body) {
        return "package callguide.step09;\npublic final class Adder {\n    public static int add(int a, int b) {\n"
                + body + "\n    }\n}\n";
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    @DisplayName("gives each bad fork its row and reason, every other row as it is alone, and a test edited to pass"
            + " changes no grade")
    void aClassWithBadForks() throws Exception {
        Path instructor = dir.resolve("instructor");
        write(instructor, "test", "AdderTest", TEST);
        // the step's own per-test bound beyond the fork's: only the fork's time can stop a hang here
        Path resources = STEP.testResources(instructor);
        Files.createDirectories(resources);
        Files.writeString(
                resources.resolve("junit-platform.properties"), "junit.jupiter.execution.timeout.default = 200 s\n");
        Path classpath = Files.writeString(dir.resolve("classpath.txt"), System.getProperty("java.class.path"));
        Baseline baseline = new Baseline("c0ffee", instructor, Map.of(STEP, classpath));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "the instructor's file");
        Path outside = dir.resolve("written-outside.txt");

        Map<String, String> forks = new LinkedHashMap<>();
        forks.put("done", bare("done", adder("return a + b;"), TEST));
        forks.put("wrong", bare("wrong", adder("return a * b;"), TEST));
        forks.put("edited", bare("edited", adder("return a * b;"), EDITED_TEST));
        forks.put("broken", bare("broken", adder("return a + ;"), TEST));
        forks.put("hangs", bare("hangs", adder("while (true) { Thread.onSpinWait(); }"), TEST));
        forks.put("exits", bare("exits", adder("System.exit(3); return a + b;"), TEST));
        forks.put("halts", bare("halts", adder("Runtime.getRuntime().halt(4); return a + b;"), TEST));
        forks.put(
                "chatty",
                bare(
                        "chatty",
                        adder("for (int i = 0; i < 60_000; i++) { System.out.println(\"x\".repeat(100)); }"
                                + " return a + b;"),
                        TEST));
        forks.put(
                "deletes",
                bare(
                        "deletes",
                        adder("try { java.nio.file.Files.delete(java.nio.file.Path.of(\"" + escape(victim)
                                + "\")); } catch (Exception e) { } return a + b;"),
                        TEST));
        forks.put(
                "writes",
                bare(
                        "writes",
                        adder("try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + escape(outside)
                                + "\"), \"mine\"); } catch (Exception e) { } return a + b;"),
                        TEST));
        forks.put("missing", dir.resolve("their forks/no-such-fork.git").toString());
        Path list = dir.resolve("forks.txt");
        StringBuilder lines = new StringBuilder();
        forks.forEach((name, source) ->
                lines.append('"').append(source).append("\" ").append(name).append('\n'));
        Files.writeString(list, lines);

        Path out = dir.resolve("class");
        Context ctx = context(instructor);
        Duration perFork = Duration.ofSeconds(25);
        Classroom classroom = new Classroom(
                ctx, baseline, List.of(STEP), out, 2, perFork, new Grader(ctx, Duration.ofSeconds(120), 1, true));
        long started = System.nanoTime();
        List<ObjectNode> rows = classroom.grade(Classroom.read(list));
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        Scoreboard.write(out, rows, List.of(STEP.module()));

        Map<String, JsonNode> byName = new LinkedHashMap<>();
        rows.forEach(row -> byName.put(row.get("name").asText(), row));
        assertThat(byName.keySet()).as("a row a fork, in the order of FORKS").containsExactlyElementsOf(forks.keySet());
        assertThat(passed(byName.get("done"))).as("done: passed").isEqualTo(2);
        assertThat(byName.get("done").get("reason").isNull())
                .as("done: no reason")
                .isTrue();
        assertThat(passed(byName.get("wrong"))).as("wrong: passed").isZero();
        assertThat(passed(byName.get("edited")))
                .as("a fork whose test was edited to pass: graded as the same code with the test untouched")
                .isEqualTo(passed(byName.get("wrong")))
                .isZero();
        assertThat(byName.get("broken").get("reason").asText())
                .as("broken: why")
                .startsWith("step09-adding: the step does not compile");
        assertThat(byName.get("hangs").get("reason").asText())
                .as("hangs: cut at the fork's time")
                .contains("did not finish within");
        assertThat(seconds)
                .as("the class's time: the hang stopped at its bound, the others beside it")
                .isLessThan(perFork.toSeconds() + 60);
        for (String ends : List.of("exits", "halts")) {
            assertThat(byName.get(ends).get("reason").asText())
                    .as(ends + ": refused")
                    .contains("end the JVM");
            assertThat(passed(byName.get(ends))).as(ends + ": passed").isZero();
        }
        assertThat(byName.get("chatty").get("reason").asText())
                .as("chatty: its log cut")
                .contains("printed more than 2 MiB");
        assertThat(passed(byName.get("chatty")))
                .as("chatty: its grades still whole")
                .isEqualTo(2);
        assertThat(Files.size(out.resolve("forks/chatty/grades/step09-adding.log")))
                .as("chatty's log")
                .isLessThan(3L * 1024 * 1024);
        assertThat(byName.get("deletes").get("reason").asText())
                .as("deletes: refused")
                .contains("delete " + victim);
        assertThat(victim).as("the file it tried to delete").exists();
        assertThat(byName.get("writes").get("reason").asText())
                .as("writes: refused")
                .contains("write " + outside);
        assertThat(outside).as("the file it tried to write").doesNotExist();
        assertThat(byName.get("missing").get("status").asText())
                .as("missing: status")
                .isEqualTo("error");
        assertThat(byName.get("missing").get("reason").asText())
                .as("missing: why")
                .contains("cannot read the fork's HEAD");

        JsonNode board =
                new ObjectMapper().readTree(out.resolve("scoreboard.json").toFile());
        assertThat(board.fieldNames()).toIterable().as("scoreboard.json").containsExactly("learners");
        assertThat(board.get("learners").get(0).fieldNames())
                .toIterable()
                .as("a learner's fields")
                .containsExactly("name", "source", "commit", "status", "reason", "score", "steps");
        assertThat(board.get("learners").get(0).get("steps").get(0).fieldNames())
                .toIterable()
                .as("a step's, as in check --json")
                .containsExactly("step", "passed", "failed", "total", "tests");
        assertThat(Files.readString(out.resolve("scoreboard.html")))
                .as("the HTML scoreboard")
                .contains("<td class=\"name\">done</td>")
                .contains("<th title=\"task 1\">1</th>")
                .doesNotContain("<td class=\"reason\"");

        // again: nothing changed, so nothing is graded again
        List<ObjectNode> again = classroom.grade(Classroom.read(list).subList(0, 2));
        assertThat(again)
                .as("the rows of forks whose commit did not change")
                .allSatisfy(row -> assertThat(row.get("unchanged").asBoolean()).isTrue());
        assertThat(passed(again.get(0))).as("done, again").isEqualTo(2);

        // a new fork with the broken fork's very sources: its grades are the broken fork's, its error names its log
        Path later = Files.writeString(
                dir.resolve("later.txt"), "\"" + bare("broken-too", adder("return a + ;"), TEST) + "\" broken-too\n");
        JsonNode tooBroken = classroom.grade(Classroom.read(later)).get(0);
        assertThat(out.resolve("forks/broken-too/grades/step09-adding.outcome.json"))
                .as("no JVM of its own: the step's grades were taken from the broken fork's")
                .doesNotExist();
        assertThat(tooBroken.get("steps").get(0).get("error").asText())
                .as("its error")
                .isEqualTo(byName.get("broken")
                        .get("steps")
                        .get(0)
                        .get("error")
                        .asText()
                        .replace("forks/broken/", "forks/broken-too/"));
    }

    @Test
    @DisplayName("reads a FORKS line's source in double quotes whole, spaces and all, and refuses a quote left open")
    void quotedSources() throws IOException {
        Path list = Files.writeString(
                dir.resolve("quoted.txt"),
                String.join(
                        "\n",
                        "# a comment",
                        "\"/Users/Ann Lee/forks/callguide.git\"   Ann Lee",
                        "\"C:\\Users\\Bo Ek\\callguide\"",
                        "",
                        "https://example.org/cy/callguide.git Cy",
                        "/srv/forks/dee.git"));
        assertThat(Classroom.read(list))
                .extracting(Classroom.Fork::source, Classroom.Fork::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/Users/Ann Lee/forks/callguide.git", "Ann Lee"),
                        org.assertj.core.groups.Tuple.tuple("C:\\Users\\Bo Ek\\callguide", "callguide"),
                        org.assertj.core.groups.Tuple.tuple("https://example.org/cy/callguide.git", "Cy"),
                        org.assertj.core.groups.Tuple.tuple("/srv/forks/dee.git", "dee"));
        for (String bad : List.of("\"/Users/Ann Lee/forks/callguide.git Ann", "\"/srv/a.git\"Ann", "\"  \" Ann")) {
            Path file = Files.writeString(dir.resolve("bad.txt"), "# first\n/srv/ok.git Ok\n" + bad + "\n");
            assertThatThrownBy(() -> Classroom.read(file))
                    .as(bad)
                    .isInstanceOf(callguide.tools.WorkshopException.class)
                    .hasMessageContaining("line 3")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    @DisplayName("shows a fork's text in the HTML as text and never as a formula in the CSV")
    void escapes() {
        ObjectNode row = new ObjectMapper().createObjectNode();
        row.put("name", "<script>alert(1)</script>");
        row.put("source", "=HYPERLINK(\"x\")");
        row.put("commit", "abc");
        row.put("status", "error");
        row.put("reason", "it's \"bad\" & <b>");
        row.putObject("score").put("passed", 0).put("total", 0);
        row.putArray("steps");
        String html = Scoreboard.html(List.of(row), Scoreboard.columns(List.of(row), List.of(STEP.module())));
        assertThat(html)
                .as("the HTML")
                .doesNotContain("<script>")
                .doesNotContain("<b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("it&apos;s &quot;bad&quot; &amp; &lt;b&gt;")
                .as("the reason in a note under the table, numbered from the name")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; <sup>1</sup>")
                .contains("<li>&lt;script&gt;alert(1)&lt;/script&gt;: it&apos;s");
        String csv = Scoreboard.csv(List.of(row), Scoreboard.columns(List.of(row), List.of(STEP.module())));
        assertThat(csv).as("the CSV").contains("\"'=HYPERLINK(\"\"x\"\")\"");
    }

    private static int passed(JsonNode row) {
        return row.get("score").get("passed").asInt();
    }

    private static String escape(Path path) {
        return path.toString().replace("\\", "\\\\");
    }

    private Context context(Path root) {
        return new Context(
                root,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Platform.machine(Map.of()));
    }

    private static void write(Path root, String kind, String name, String source) throws IOException {
        GraderTest.write(root, STEP, kind, name, source);
    }

    /** A learner's fork: their Adder and their copy of the test, committed, as a bare repository; its path. */
    private String bare(String name, String adder, String test) throws IOException {
        Path work = dir.resolve("work").resolve(name);
        write(work, "main", "Adder", adder);
        write(work, "test", "AdderTest", test);
        // in a folder with a space, as under a Mac's or Windows's user folder: FORKS quotes each source
        return Forks.bare(work, dir.resolve("their forks").resolve(name + ".git"), name)
                .toString();
    }
}
