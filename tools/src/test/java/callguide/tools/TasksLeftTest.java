package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code list} counts as work left, against the real exercises, solutions and tests. */
@DisplayName("The tasks left in a step's code")
class TasksLeftTest {
    private static final Pattern TASK_TAG = Pattern.compile("@Tag\\(\"task:(\\d+)\"\\)");

    @Test
    @DisplayName("are, on each untouched exercise, exactly the tasks its tests grade, and none on its solution")
    void stubsAndTestsAgree() throws IOException {
        for (Step step : Steps.fromPom(Project.REAL.resolve("pom.xml")).all()) {
            assertThat(TasksLeft.in(step.mainSources(Project.REAL), step))
                    .as("the tasks %s's stubs throw a Todo for (Todo.task(\"step%s\", N, ...))", step, step.no())
                    .isEqualTo(taggedTasks(step.testSources(Project.REAL)));
            assertThat(TasksLeft.in(step.solutionSources(Project.REAL), step))
                    .as("the tasks left in %s's solution", step)
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("leave out what comments say, and other steps' stubs")
    void comments() {
        String source = """
                // TODO(step02): task 1. explains; throw Todo.task("step02", 1, "x") in a comment
                /* throw Todo.task("step02", 2, "x"); */
                String s = "// not a comment"; throw Todo.task(
                        "step02", 3, "a stub over two lines");
                throw Todo.task("step03", 4, "another step's");
                """;
        assertThat(TasksLeft.withoutComments(source))
                .as("the code without its comments")
                .doesNotContain("TODO(step02)", "\"step02\", 1", "\"step02\", 2")
                .contains("\"// not a comment\"", "\"step02\", 3");
    }

    private static SortedSet<Integer> taggedTasks(Path tests) throws IOException {
        SortedSet<Integer> tasks = new TreeSet<>();
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = TASK_TAG.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    tasks.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return tasks;
    }
}
