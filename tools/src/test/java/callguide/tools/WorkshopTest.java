package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands that need no build, on a copy of the project; the usage and the errors of every one. */
@DisplayName("The workshop command")
class WorkshopTest {
    @TempDir
    Path dir;

    private Project project;

    @BeforeEach
    void copy() throws IOException {
        project = Project.copy(dir);
    }

    @Nested
    @DisplayName("when asked for help or given no command it knows")
    class Usage {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"help", "-h", "--help"})
        @DisplayName("prints the usage on standard output and exits 0")
        void help(String arg) {
            assertThat(project.run(arg)).as("the exit status of %s", arg).isZero();
            assertThat(project.out())
                    .as("the usage")
                    .startsWith("usage: ./workshop COMMAND [ARGS]")
                    .contains("  check [STEP] [--solutions] [--json]   grade one step or all, each in isolation")
                    .contains("your own five steps")
                    .endsWith("STEP may be written 4, 04, step04 or step04-offer-answer." + System.lineSeparator());
            assertThat(project.err()).as("standard error").isEmpty();
        }

        @Test
        @DisplayName("prints the usage without a command")
        void noCommand() {
            assertThat(project.run()).as("the exit status without a command").isZero();
            assertThat(project.out()).as("the usage").startsWith("usage: ./workshop COMMAND [ARGS]");
        }

        @Test
        @DisplayName("prints the usage on standard error for an unknown command, and exits 2")
        void unknown() {
            assertThat(project.run("fly", "--high"))
                    .as("the exit status of an unknown command")
                    .isEqualTo(2);
            assertThat(project.err()).as("standard error").startsWith("usage: ./workshop COMMAND [ARGS]");
            assertThat(project.out()).as("standard output").isEmpty();
        }

        @Test
        @DisplayName("lists every command it has")
        void everyCommand() {
            project.run("help");
            for (String command :
                    Workshop.commandLine(contextOf(project)).getSubcommands().keySet()) {
                if (!command.equals("help")) {
                    assertThat(project.out())
                            .as("the usage names %s", command)
                            .containsPattern("(?m)^  " + command + " ");
                }
            }
        }
    }

    private static Context contextOf(Project project) {
        return new Context(project.root, java.util.Map.of(), System.out, System.err, new Machines.Fake());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "run; usage: ./workshop run STEP [--solutions] [ARGS]",
                "watch; usage: ./workshop watch STEP [--solutions]",
                "watch 01 02; usage: ./workshop watch STEP [--solutions]",
                "watch 01 --runs x; --runs needs a number",
                "watch 01 --runs; --runs needs a number",
                "hint; usage: ./workshop hint STEP [TASK]",
                "hint 01 1 2; usage: ./workshop hint STEP [TASK]",
                "reset; usage: ./workshop reset STEP",
                "diff 02 03; usage: ./workshop diff STEP",
                "bench; usage: ./workshop bench call|relay|check|soak|abuse [--json]",
                "bench fly; no benchmark 'fly': call, relay, check, soak or abuse",
                "bench ../../x; no benchmark '../../x': call, relay, check, soak or abuse",
                "hint 01 7; step01-media has tasks 1 to 3, not '7'",
                "hint 01 x; step01-media has tasks 1 to 3, not 'x'",
                "check 6; no step '6': write 4, 04, step04 or step04-offer-answer (steps 01 to 05)",
                "check --fast; no step '--fast': write 4, 04, step04 or step04-offer-answer (steps 01 to 05)",
                "run step04-offer; no step 'step04-offer': did you mean step04-offer-answer?",
                "hint 9; no step '9': write 4, 04, step04 or step04-offer-answer (steps 01 to 05)",
                "diff step06; no step 'step06': write 4, 04, step04 or step04-offer-answer (steps 01 to 05)",
                "reset 0; no step '0': write 4, 04, step04 or step04-offer-answer (steps 01 to 05)"
            })
    @DisplayName("refuses bad arguments before any build, with one line on standard error and exit 2")
    void usageErrors(String line, String message) {
        assertThat(project.run(line.split(" ")))
                .as("the exit status of ./workshop %s", line)
                .isEqualTo(2);
        assertThat(project.err())
                .as("standard error of ./workshop %s", line)
                .isEqualTo("workshop: " + message + System.lineSeparator());
        assertThat(project.out()).as("standard output of ./workshop %s", line).isEmpty();
    }

    @Nested
    @DisplayName("when listing where the learner is")
    class List {
        @Test
        @DisplayName("counts each step's TODOs and says it is not checked yet")
        void fresh() {
            assertThat(project.run("list")).isZero();
            assertThat(project.out().lines().toList())
                    .as("the list")
                    .first()
                    .isEqualTo("step                   TODOs  last check");
            assertThat(project.out())
                    .as("step 01's row")
                    .contains("step01-media           3      not checked yet (./workshop check 01)");
            assertThat(project.out().lines().count())
                    .as("a row a step, and the heading")
                    .isEqualTo(6);
        }

        @Test
        @DisplayName(
                "gives the last grade from the grades file, the whole step's row in it, or that the step did not build")
        void graded() throws IOException {
            Path grades = Files.createDirectories(project.root.resolve(".workshop/grades"));
            Files.writeString(grades.resolve("step02-peer.jsonl"), """
                    {"name":"a","task":1,"status":"passed","message":null}
                    {"name":"b","task":1,"status":"failed","message":"no"}
                    {"name":"c","task":"step","status":"passed","message":null}
                    """);
            Files.writeString(grades.resolve("step03-signalling.error"), "the step does not compile\n");
            project.run("list");
            assertThat(project.out())
                    .as("the list")
                    .contains("step02-peer            4      2 of 3 tests pass (the whole step's row: 1 of 1)")
                    .contains("step03-signalling      3      did not build at the last check (./workshop check 03 "
                            + "says why)");
        }
    }

    @Nested
    @DisplayName("when giving hints")
    class Hints {
        @Test
        @DisplayName("gives the next hint of the first task not fully shown, one at a time, round and round")
        void oneAtATime() {
            assertThat(project.run("hint", "1")).isZero();
            assertThat(project.out())
                    .as("the first hint")
                    .startsWith("## Task 1: choose the camera\n### Hint 1\n")
                    .endsWith("(task 1, hint 1 of 3; ./workshop hint 01 1 again for the next; all of them: step01-media"
                            + java.io.File.separator + "HINTS.md)\n");
            project.run("hint", "01");
            assertThat(project.out()).as("the second").contains("### Hint 2").doesNotContain("### Hint 1");
            project.run("hint", "step01");
            assertThat(project.out()).as("the third").contains("### Hint 3", "hint 3 of 3");
            project.run("hint", "step01-media");
            assertThat(project.out())
                    .as("the next, task 1 being fully shown")
                    .startsWith("## Task 2")
                    .contains("hint 1 of ");
            project.run("hint", "01", "1");
            assertThat(project.out())
                    .as("task 1 again, from its first hint")
                    .contains("### Hint 1", "(task 1, hint 1 of 3;");
        }

        @Test
        @DisplayName("says so when a step has no hints file, or it has no tasks")
        void noHints() throws IOException {
            Files.delete(project.root.resolve("step02-peer/HINTS.md"));
            assertThat(project.run("hint", "02")).isEqualTo(2);
            assertThat(project.err()).isEqualTo("workshop: no hints for step02-peer\n");
            Files.writeString(project.root.resolve("step02-peer/HINTS.md"), "# Hints\nnone\n");
            assertThat(project.run("hint", "02")).isEqualTo(2);
            assertThat(project.err()).contains("has no task sections");
        }
    }

    @Nested
    @DisplayName("when comparing with the solution and resetting")
    class DiffAndReset {
        @Test
        @DisplayName("diff shows the exercise against the solution, and says when they are the same")
        void diff() throws IOException {
            assertThat(project.run("diff", "01"))
                    .as("the exit status of a diff with differences")
                    .isZero();
            assertThat(project.out())
                    .as("the diff")
                    .startsWith("diff -ru solutions/step01-media/src/main/java/callguide/step01/UserMedia.java "
                            + "step01-media/src/main/java/callguide/step01/UserMedia.java")
                    .contains("+        // TODO(step01): task 1.");
            Project.copyTree(project.root.resolve("solutions/step01-media/src/main/java"), dir.resolve("copy"));
            deleteTree(project.root.resolve("step01-media/src/main/java"));
            Project.copyTree(dir.resolve("copy"), project.root.resolve("step01-media/src/main/java"));
            assertThat(project.run("diff", "01")).isZero();
            assertThat(project.out()).as("the diff of the solution itself").isEmpty();
            assertThat(project.err()).isEqualTo("step01-media is the same as the reference solution\n");
        }

        @Test
        @DisplayName("reset restores the committed exercise, keeps the learner's version, and forgets the step's "
                + "hints and grades")
        void reset() throws Exception {
            project.committed();
            Path exercise = Project.file(project.root.resolve("step01-media/src/main/java"), "UserMedia.java")
                    .orElseThrow();
            String committed = Files.readString(exercise);
            Files.writeString(exercise, "my own work");
            project.run("hint", "01");
            Path grades = Files.createDirectories(project.root.resolve(".workshop/grades"));
            Files.writeString(grades.resolve("step01-media.jsonl"), "{}\n");

            assertThat(project.run("reset", "01"))
                    .as("the exit status of reset")
                    .isZero();
            assertThat(Files.readString(exercise))
                    .as("the exercise after reset")
                    .isEqualTo(committed);
            assertThat(project.err())
                    .as("what reset says")
                    .startsWith("restored the exercise of step01-media; your version is in .workshop"
                            + java.io.File.separator + "backup" + java.io.File.separator + "step01-media-");
            Path backup = project.root.resolve(project.err().strip().replaceAll(".*your version is in ", ""));
            assertThat(Project.file(backup, "UserMedia.java"))
                    .as("the learner's version, kept")
                    .hasValueSatisfying(kept -> assertThat(kept).content().isEqualTo("my own work"));
            assertThat(project.root.resolve(".workshop/hints/step01-media.task1"))
                    .as("the hints shown")
                    .doesNotExist();
            assertThat(grades.resolve("step01-media.jsonl"))
                    .as("the last grade")
                    .doesNotExist();
        }

        @Test
        @DisplayName("reset on an untouched exercise says there is nothing to restore and keeps no backup")
        void resetUntouched() throws Exception {
            project.committed();

            assertThat(project.run("reset", "01"))
                    .as("the exit status of reset")
                    .isZero();
            assertThat(project.err())
                    .as("what reset says")
                    .isEqualTo("the exercise of step01-media is as committed: nothing to restore, nothing kept\n");
            assertThat(project.root.resolve(".workshop/backup"))
                    .as("the backups")
                    .doesNotExist();
        }

        @Test
        @DisplayName("reset refuses without git history")
        void resetWithoutGit() {
            assertThat(project.run("reset", "01")).isEqualTo(2);
            assertThat(project.err())
                    .isEqualTo("workshop: reset needs the workshop's git history (a clone of it) to restore the "
                            + "exercise from\n");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @DisplayName("reads every file as UTF-8 whatever the platform's default")
    void utf8() throws IOException {
        Files.writeString(
                project.root.resolve("step01-media/HINTS.md"),
                "## Task 1: café\n### Hint 1\nnaïve\n",
                StandardCharsets.UTF_8);
        project.run("hint", "01");
        assertThat(project.out()).contains("café", "naïve");
    }
}
