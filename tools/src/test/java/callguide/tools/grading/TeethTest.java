package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The teeth verdict")
class TeethTest {
    private static final String STEP = "step02-peer";

    @TempDir
    Path dir;

    private void grades(String... lines) throws IOException {
        Files.writeString(dir.resolve(STEP + ".jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    @DisplayName("passes when every test fails on the stub and every file has a TODO, with the suite's row")
    void ok() throws IOException {
        grades(
                "{\"name\":\"a\",\"task\":1,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"b\",\"task\":2,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"c\",\"task\":2,\"status\":\"failed\",\"message\":\"todo\"}");
        Teeth.Verdict verdict = Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2));
        assertThat(verdict.ok()).as("the verdict").isTrue();
        assertThat(verdict.row())
                .as("the row")
                .isEqualTo("step02-peer            ok: 3 of 3 tests fail, every task (1,2) has a failing one, "
                        + "every file has a TODO");
    }

    @Test
    @DisplayName("fails naming each test that passes on the stub, even when its task has a failing one")
    void aTestPassesOnTheStub() throws IOException {
        grades(
                "{\"name\":\"a\",\"task\":1,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"task 2 > b\",\"task\":2,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"task 2 > c\",\"task\":2,\"status\":\"passed\",\"message\":null}");
        Teeth.Verdict verdict = Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2));
        assertThat(verdict.ok()).as("the verdict").isFalse();
        assertThat(verdict.row())
                .as("the row")
                .isEqualTo("step02-peer            FAILED: 1 of 3 tests do not fail on the untouched exercise: "
                        + "task 2 > c");
    }

    @Test
    @DisplayName("fails naming each task the stub names that has no test of its own, only whole-step tests or none")
    void aTaskWithoutATestOfItsOwn() throws IOException {
        grades(
                "{\"name\":\"a\",\"task\":1,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"b\",\"task\":2,\"status\":\"failed\",\"message\":\"todo\"}",
                "{\"name\":\"whole > c\",\"task\":\"step\",\"status\":\"failed\",\"message\":\"todo\"}");
        Teeth.Verdict verdict = Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2, 3, 4));
        assertThat(verdict.ok())
                .as("the verdict, task 3 graded only in the whole step's row, task 4 nowhere")
                .isFalse();
        assertThat(verdict.row())
                .as("the row")
                .isEqualTo("step02-peer            FAILED: no test of its own for task 3 4 (only whole-step tests, or "
                        + "none): a learner working on it gets no row that says it is right");
        assertThat(Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2)).ok())
                .as("the same grades when the stub names tasks 1 and 2 only")
                .isTrue();
    }

    @Test
    @DisplayName("fails naming the exercise files without a TODO marker")
    void noTodo() throws IOException {
        grades("{\"name\":\"a\",\"task\":1,\"status\":\"failed\",\"message\":\"todo\"}");
        Teeth.Verdict verdict =
                Teeth.verdict(STEP, dir, List.of(Path.of("x/PeerListeners.java"), Path.of("y/Peers.java")), Set.of(1));
        assertThat(verdict.row())
                .isEqualTo("step02-peer            FAILED: no TODO marker in PeerListeners.java Peers.java ");
    }

    @Test
    @DisplayName(
            "fails when the run hung, its JVM died or the stub did not compile: no grades, and the grader's reason")
    void hungOrEmpty() throws IOException {
        Files.writeString(
                dir.resolve(STEP + ".error"),
                "the step's tests did not finish: the step's code ended their JVM (exit 3:"
                        + " System.exit or Runtime.halt in a test's path; the log: x)\n");
        assertThat(Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2)).row())
                .as("a dead JVM")
                .isEqualTo("step02-peer            FAILED: the stub run produced no grades (the step's tests did not "
                        + "finish:"
                        + " the step's code ended their JVM (exit 3: System.exit or Runtime.halt in a "
                        + "test's path; the log: x))");
        Files.writeString(
                dir.resolve(STEP + ".error"), "the step does not compile (the log: x):\n  A.java:1:1: oops\n");
        assertThat(Teeth.verdict(STEP, dir, List.of(), Set.of(1, 2)).row())
                .as("no grades")
                .isEqualTo("step02-peer            FAILED: the stub run produced no grades (the step does not "
                        + "compile (the log: x):)");
    }

    @Test
    @DisplayName("shows beside the stub's verdict how the same tests did with solutions/, all passing or not")
    void withSolutions() throws IOException {
        grades("{\"name\":\"a\",\"task\":1,\"status\":\"failed\",\"message\":\"todo\"}");
        Teeth.Verdict stub = Teeth.verdict(STEP, dir, List.of(), Set.of(1));

        assertThat(Teeth.withSolutions(stub, 1, 0).row())
                .as("every test passing with solutions/")
                .isEqualTo("step02-peer            ok: 1 of 1 tests fail, every task (1) has a failing one, every file "
                        + "has a TODO; with solutions/: 1 of 1 pass");
        assertThat(Teeth.withSolutions(stub, 12, 1).row())
                .as("one failing with solutions/")
                .endsWith("; with solutions/: 12 of 13 pass, 1 FAILED");
        assertThat(Teeth.withSolutions(stub, 0, 0).row())
                .as("no reports")
                .endsWith("; with solutions/: no reports (the suite's build stopped before this step's tests)");
        assertThat(Teeth.withSolutions(stub, 0, 0).ok())
                .as("the verdict stays the stub's")
                .isTrue();
    }
}
