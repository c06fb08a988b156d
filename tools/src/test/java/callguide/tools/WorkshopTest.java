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
                    .contains("the same call with your own code; names the first unfinished step")
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
                "hint; usage: ./workshop hint STEP [TASK] [--answer]",
                "hint 01 1 2; usage: ./workshop hint STEP [TASK] [--answer]",
                "hint 01 --answer; --answer needs the task: ./workshop hint 01 TASK --answer",
                "reset; usage: ./workshop reset STEP",
                "restore; usage: ./workshop restore STEP",
                "restore 01 02; usage: ./workshop restore STEP",
                "restore 7; no step '7': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)",
                "diff 02 03; usage: ./workshop diff STEP",
                "bench; usage: ./workshop bench call|relay|check|class|soak|abuse [--json]",
                "bench fly; no benchmark 'fly': call, relay, check, class, soak or abuse",
                "bench ../../x; no benchmark '../../x': call, relay, check, class, soak or abuse",
                "bench class --forks 0; --forks takes a whole number above 0, not '0'",
                "bench class --jobs; usage: ./workshop bench class [--forks N] [--fresh] [--jobs N] [--out DIR] "
                        + "[--json]",
                "bench class --fast; usage: ./workshop bench class [--forks N] [--fresh] [--jobs N] [--out DIR] "
                        + "[--json]",
                "hint 01 7; step01-media has tasks 1 to 3, not '7'",
                "hint 01 x; step01-media has tasks 1 to 3, not 'x'",
                "check 7; no step '7': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)",
                "check --fast; no step '--fast': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)",
                "run step04-offer; no step 'step04-offer': did you mean step04-offer-answer?",
                "hint 9; no step '9': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)",
                "diff step07; no step 'step07': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)",
                "reset 0; no step '0': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)"
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
        @DisplayName("names each step's tasks left and says it is not checked yet")
        void fresh() {
            assertThat(project.run("list")).isZero();
            assertThat(project.out().lines().toList())
                    .as("the list")
                    .first()
                    .isEqualTo("step                   tasks left  last check");
            assertThat(project.out())
                    .as("step 01's row")
                    .contains("step01-media           1 2 3       not checked yet (./workshop check 01)")
                    .contains("step05-candidates      1 2 3 4     not checked yet (./workshop check 05)")
                    .contains("step06-network         1 2 3 4     not checked yet (./workshop check 06)");
            assertThat(project.out().lines().count())
                    .as("a row a step, and the heading")
                    .isEqualTo(7);
        }

        @Test
        @DisplayName("counts a task done once its stub no longer throws, whatever TODO comments stay")
        void doneTasks() throws IOException {
            Path listeners = project.root.resolve("step02-peer/src/main/java/callguide/step02/PeerListeners.java");
            Path solved =
                    project.root.resolve("solutions/step02-peer/src/main/java/callguide/step02/PeerListeners.java");
            // the learner's finished file, their TODO comments left in place, one of them explaining given code
            Files.writeString(
                    listeners,
                    Files.readString(solved)
                            .replace(
                                    "public final class PeerListeners",
                                    "// TODO(step02): task 2. an explanatory comment the learner kept\n"
                                            + "// throw Todo.task(\"step02\", 2, \"a stub the learner commented "
                                            + "out\");\n"
                                            + "public final class PeerListeners"));
            project.run("list");
            assertThat(project.out())
                    .as("step 02 with PeerListeners done: tasks 1 and 3 (PeerConnections) left")
                    .contains("step02-peer            1 3         not checked yet");
            Path connections = project.root.resolve("step02-peer/src/main/java/callguide/step02/PeerConnections.java");
            Files.copy(
                    project.root.resolve("solutions/step02-peer/src/main/java/callguide/step02/PeerConnections.java"),
                    connections,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            project.run("list");
            assertThat(project.out()).as("step 02 done").contains("step02-peer            none        not checked");
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
                    .contains("step02-peer            1 2 3       2 of 3 tests pass (the whole step's row: 1 of 1)")
                    .contains("step03-signalling      1 2 3       did not build at the last check (./workshop "
                            + "check 03 says why)");
        }
    }

    @Nested
    @DisplayName("when a command takes a while")
    class Progress {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = ';',
                value = {
                    "demo; a real call from solutions/: the build, then a relay here and a caller and a callee, each a "
                            + "JVM of its own (the call itself a few seconds); building the workshop from solutions/",
                    "call; a call with your own steps: the build, then a relay here and a caller and a callee, each a "
                            + "JVM of its own (the call itself a few seconds); building the workshop with your code",
                    "call --relay https://h:8787 --room r --role caller; one side of a call with your own steps: the "
                            + "build, then a peer against the relay you named; building the workshop with your code",
                    "run 01; running step01-media's program with your code: the build, then the program; building the "
                            + "workshop with your code",
                    "peer --relay http://h:1; one Java peer with the reference steps: the build, then the peer; "
                            + "building the workshop from solutions/",
                    "relay; the relay: the build, then the relay (it says where it listens); building the workshop "
                            + "from solutions/",
                    "bench call; bench call: the build from solutions/, then the benchmark; building the workshop from "
                            + "solutions/",
                    "check 01; checking step01-media: the build of what they stand on, then each step's tests in a "
                            + "JVM of its own; building what the steps stand on",
                    "watch 01; watching step01-media: the build of what it stands on (once), then a JVM kept warm "
                            + "grades it on every save; building what the steps stand on"
                })
        @DisplayName("says what it does before it does it, and that a first build downloads, and how much")
        void saysSoFirst(String line, String doing, String building, @TempDir Path emptyRepository) throws IOException {
            Machines.Fake machine = new Machines.Fake();
            machine.outputs.put("ldconfig -p", "libpulse.so.0 (libc6,x86-64) => /lib/libpulse.so.0");
            if (line.startsWith("bench")) {
                Project.copyTree(Project.REAL.resolve("bench/src"), project.root.resolve("bench/src"));
            }
            // The copy has no modules to build: Maven fails at once, after what the command said.
            int status = project.run(
                    java.util.Map.of("MAVEN_OPTS", "-Dmaven.repo.local=" + emptyRepository), machine, line.split(" "));

            assertThat(status)
                    .as("the exit status of ./workshop %s on a copy with nothing to build", line)
                    .isEqualTo(2);
            assertThat(project.err().lines().limit(2).toList())
                    .as("what ./workshop %s says first, in order", line)
                    .satisfiesExactly(
                            first -> assertThat(first).isEqualTo("workshop: " + doing + " ..."),
                            second -> assertThat(second)
                                    .startsWith("workshop: " + building + ": a first build, so Maven downloads what "
                                            + "it still needs first (about 95 MB in all on a first run, the tools' "
                                            + "own included, into " + emptyRepository + "); a minute or two (log: "
                                            + ".workshop")
                                    .endsWith(".log) ..."));
        }

        @Test
        @DisplayName("says nothing of downloads once Maven has what the workshop needs")
        void notFirst(@TempDir Path repository) throws IOException {
            Files.createDirectories(repository.resolve("dev/onvoid/webrtc/webrtc-java"));
            Files.createDirectories(repository.resolve("io/javalin/javalin"));
            Files.createDirectories(repository.resolve("org/seleniumhq/selenium/selenium-manager"));
            Machines.Fake machine = new Machines.Fake();
            machine.outputs.put("ldconfig -p", "libpulse.so.0 (libc6,x86-64) => /lib/libpulse.so.0");
            project.run(
                    java.util.Map.of("PATH", "", "MAVEN_OPTS", "-Dmaven.repo.local=" + repository), machine, "demo");
            assertThat(project.err().lines().toList())
                    .as("what ./workshop demo says")
                    .element(1)
                    .isEqualTo("workshop: building the workshop from solutions/ (Maven; log: .workshop"
                            + java.io.File.separator + "build-solutions.log) ...");
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
                    .as("task 1 again, from its first hint, saying it went round")
                    .startsWith(
                            "(that was the last hint of task 1; again from hint 1; the answer: ./workshop hint 01 1 "
                                    + "--answer)\n## Task 1: choose the camera\n### Hint 1\n")
                    .contains("(task 1, hint 1 of 3;");
            project.run("hint", "01", "1");
            assertThat(project.out())
                    .as("the next after going round: hint 2, nothing said about going round")
                    .startsWith("## Task 1: choose the camera\n### Hint 2\n");
        }

        @Test
        @DisplayName("never shows a task's answer section, however often asked, and points to --answer after the "
                + "last hint")
        void answerKeptBack() throws IOException {
            for (Step step : Steps.fromPom(project.root.resolve("pom.xml")).all()) {
                String hints = Files.readString(step.hints(project.root), StandardCharsets.UTF_8);
                java.util.List<String> answers = java.util.Arrays.stream(hints.split("(?m)^### Answer\\n", -1))
                        .skip(1)
                        .map(a -> a.split("(?m)^## ", 2)[0].strip())
                        .toList();
                assertThat(answers)
                        .as("the answers in %s", step.hints(project.root))
                        .isNotEmpty();
                StringBuilder shown = new StringBuilder();
                for (int i = 0; i < 12; i++) {
                    assertThat(project.run("hint", step.no())).isZero();
                    shown.append(project.out());
                }
                for (int task = 1; task <= answers.size(); task++) {
                    for (int i = 0; i < 4; i++) {
                        project.run("hint", step.no(), String.valueOf(task));
                        shown.append(project.out());
                    }
                }
                assertThat(shown.toString()).as("every hint shown of %s", step).doesNotContain("### Answer");
                for (String answer : answers) {
                    assertThat(shown.toString())
                            .as("every hint shown of %s, without --answer", step)
                            .doesNotContain(answer);
                }
            }
            Trees.delete(project.root.resolve(".workshop/hints"));
            project.run("hint", "01", "3");
            project.run("hint", "01", "3");
            project.run("hint", "01", "3");
            assertThat(project.out())
                    .as("the last hint of a task")
                    .contains("(task 3, hint 3 of 3; the last; still stuck: ./workshop hint 01 3 --answer;");
        }

        @Test
        @DisplayName("shows the answer with --answer, and only the answer")
        void answer() {
            assertThat(project.run("hint", "01", "3", "--answer")).isZero();
            assertThat(project.out())
                    .as("the answer to step 01 task 3")
                    .startsWith("## Task 3: switch video mid-call\n### Answer\n```java\n")
                    .contains("media.videoTrack().setEnabled(enabled);")
                    .doesNotContain("### Hint")
                    .endsWith("(the answer to task 3 of step01-media; yours next to the reference: ./workshop diff "
                            + "01)\n");
            assertThat(project.run("hint", "--answer", "02", "1")).isZero();
            assertThat(project.out()).as("--answer anywhere").contains("IceServers.toRtc(profile.iceServers())");
        }

        @Test
        @DisplayName("on a task whose tests all passed at the last check says it passes and points to diff")
        void passingTask() throws IOException {
            Path grades = Files.createDirectories(project.root.resolve(".workshop/grades"));
            Files.writeString(grades.resolve("step01-media.jsonl"), """
                    {"name":"a","task":1,"status":"passed","message":null}
                    {"name":"b","task":1,"status":"passed","message":null}
                    {"name":"c","task":2,"status":"passed","message":null}
                    {"name":"d","task":2,"status":"failed","message":"no"}
                    {"name":"e","task":null,"status":"failed","message":"no"}
                    """);
            assertThat(project.run("hint", "01", "1")).isZero();
            assertThat(project.out())
                    .as("hint on a passing task")
                    .isEqualTo("task 1 of step01-media passes (at the last check): no hint needed. Yours next to the "
                            + "reference: ./workshop diff 01\n");
            assertThat(project.run("hint", "01")).isZero();
            assertThat(project.out())
                    .as("the next hint skips the passing task")
                    .startsWith("## Task 2: build the local stream\n### Hint 1\n");
            assertThat(project.run("hint", "01", "1", "--answer")).isZero();
            assertThat(project.out()).as("the answer, still, when asked").contains("### Answer");
            Files.writeString(grades.resolve("step01-media.jsonl"), """
                    {"name":"a","task":1,"status":"passed","message":null}
                    {"name":"c","task":2,"status":"passed","message":null}
                    {"name":"f","task":3,"status":"passed","message":null}
                    """);
            assertThat(project.run("hint", "01")).isZero();
            assertThat(project.out())
                    .as("hint on a step whose every task passes")
                    .isEqualTo("every task of step01-media passes (at the last check): no hint needed. Yours next to "
                            + "the reference: ./workshop diff 01\n");
            Files.writeString(grades.resolve("step01-media.error"), "the step does not compile\n");
            project.run("hint", "01", "1");
            assertThat(project.out())
                    .as("a step that did not build at the last check passes nothing")
                    .contains("### Hint 1");
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
        @DisplayName("diff shows the exercise against the solution, saying whose each side is, and says when they are "
                + "the same")
        void diff() throws IOException {
            String sep = java.io.File.separator;
            assertThat(project.run("diff", "01"))
                    .as("the exit status of a diff with differences")
                    .isZero();
            assertThat(project.out())
                    .as("the diff")
                    .startsWith(String.join(
                            "\n",
                            "--- is the reference solution (solutions" + sep + "step01-media" + sep + "src" + sep
                                    + "main" + sep + "java), +++ is your code (step01-media" + sep + "src" + sep
                                    + "main" + sep + "java):",
                            "lines starting with - are the solution's, lines starting with + are yours",
                            "",
                            "diff -ru solutions/step01-media/src/main/java/callguide/step01/UserMedia.java "
                                    + "step01-media/src/main/java/callguide/step01/UserMedia.java"))
                    .contains("+        // TODO(step01): task 1.");
            Project.copyTree(project.root.resolve("solutions/step01-media/src/main/java"), dir.resolve("copy"));
            Trees.delete(project.root.resolve("step01-media/src/main/java"));
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
            String sep = java.io.File.separator;
            assertThat(project.err())
                    .as("what reset says")
                    .startsWith("back to the untouched exercise of step01-media; your version is in .workshop" + sep
                            + "backup" + sep + "step01-media-")
                    .endsWith(" (./workshop restore 01 brings it back)\n");
            Path backup =
                    project.root.resolve(project.err().strip().replaceAll(".*your version is in (\\S+) .*", "$1"));
            assertThat(backup.resolve(project.root
                            .resolve("step01-media")
                            .relativize(exercise)
                            .toString()))
                    .as("the learner's version, kept under the same path as in the step (src/main/java/...)")
                    .content()
                    .isEqualTo("my own work");
            assertThat(project.root.resolve(".workshop/hints/step01-media.task1"))
                    .as("the hints shown")
                    .doesNotExist();
            assertThat(grades.resolve("step01-media.jsonl"))
                    .as("the last grade")
                    .doesNotExist();
        }

        @Test
        @DisplayName("restore brings back the version reset kept, says so, and keeps what it replaces")
        void restore() throws Exception {
            project.committed();
            Path exercise = Project.file(project.root.resolve("step01-media/src/main/java"), "UserMedia.java")
                    .orElseThrow();
            String committed = Files.readString(exercise);
            Files.writeString(exercise, "my own work");
            // written long ago, before the classes the reset version was compiled to
            Files.setLastModifiedTime(exercise, java.nio.file.attribute.FileTime.fromMillis(0));
            Path added = exercise.resolveSibling("Mine.java");
            Files.writeString(added, "a file of my own");
            project.run("reset", "01");
            assertThat(added).as("a file the learner added, after reset").doesNotExist();
            String backup = project.err().strip().replaceAll(".*your version is in (\\S+) .*", "$1");

            java.nio.file.attribute.FileTime beforeRestore =
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2_000);
            assertThat(project.run("restore", "01"))
                    .as("the exit status of restore")
                    .isZero();
            assertThat(Files.getLastModifiedTime(exercise))
                    .as("the restored file's time: now, so that Maven's compiler, which goes by time, compiles it")
                    .isGreaterThan(beforeRestore);
            assertThat(project.err())
                    .as("what restore says")
                    .isEqualTo("restored step01-media from " + backup + ", the version ./workshop reset kept\n");
            assertThat(exercise).as("the exercise after restore").content().isEqualTo("my own work");
            assertThat(added)
                    .as("the learner's own file after restore")
                    .content()
                    .isEqualTo("a file of my own");

            assertThat(project.run("restore", "01")).isZero();
            assertThat(project.err())
                    .as("restore again")
                    .isEqualTo("step01-media is already the version kept in " + backup + ": nothing changed\n");

            Files.writeString(exercise, "newer work");
            assertThat(project.run("restore", "01")).isZero();
            assertThat(exercise)
                    .as("the exercise restored over newer work")
                    .content()
                    .isEqualTo("my own work");
            String replaced = project.err().strip().replaceAll(".*the version it replaced is in (\\S+)$", "$1");
            assertThat(project.root.resolve(replaced).resolve("src/main/java/callguide/step01/UserMedia.java"))
                    .as("the newer work restore replaced, kept")
                    .content()
                    .isEqualTo("newer work");
            assertThat(project.run("restore", "01")).isZero();
            assertThat(project.err())
                    .as("the version restore replaced is never what restore brings back")
                    .startsWith("step01-media is already the version kept in " + backup);
            assertThat(committed).as("the committed exercise").isNotEqualTo("my own work");
        }

        @Test
        @DisplayName("restore with nothing kept says so and changes nothing")
        void restoreNothing() throws Exception {
            project.committed();
            Path exercise = Project.file(project.root.resolve("step02-peer/src/main/java"), "PeerListeners.java")
                    .orElseThrow();
            Files.writeString(exercise, "my own work");

            assertThat(project.run("restore", "02")).as("the exit status").isZero();
            assertThat(project.err())
                    .as("what restore says")
                    .isEqualTo("no version of step02-peer kept by ./workshop reset (in .workshop"
                            + java.io.File.separator + "backup): nothing restored, nothing changed\n");
            assertThat(exercise).as("the exercise").content().isEqualTo("my own work");
            assertThat(project.root.resolve(".workshop/backup"))
                    .as("the backups")
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
