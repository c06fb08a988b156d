package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a learner reads of each step, checked against the step itself: its hints file and its README. */
@DisplayName("Each step's own text")
class StepContentTest {
    private static final Pattern TASK_TAG = Pattern.compile("@Tag\\(\"task:(\\d+)\"\\)");

    static List<Step> steps() {
        return Steps.fromPom(Project.REAL.resolve("pom.xml")).all();
    }

    private static final Pattern IMPORT = Pattern.compile("(?m)^import ((?:[a-z][a-z0-9_]*\\.)+)([A-Z]\\w*)");
    private static final String TYPES = "Where the types come from";

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    @DisplayName("names in its README the package of every type the reference solution imports")
    void importsNamed(Step step) throws IOException {
        Path readme = step.dir(Project.REAL).resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(text)
                .as("%s has a list of where the types come from", readme)
                .contains(TYPES);
        java.util.Map<String, String> packages = new java.util.HashMap<>();
        String list = text.substring(text.indexOf(TYPES)).split("\n\n", 2)[0];
        for (String item : list.split("\n- ")) {
            Matcher m =
                    Pattern.compile("^`([a-z][\\w.]*)`: (.*)", Pattern.DOTALL).matcher(item.strip());
            if (m.find()) {
                packages.merge(m.group(1), m.group(2), String::concat);
            }
        }
        try (Stream<Path> files = Files.walk(step.solutionSources(Project.REAL))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    String pkg = m.group(1).substring(0, m.group(1).length() - 1);
                    assertThat(packages.getOrDefault(pkg, ""))
                            .as("what %s says comes from %s (%s imports %s.%s)", readme, pkg, file, pkg, m.group(2))
                            .contains("`" + m.group(2) + "`");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    @DisplayName("has in HINTS.md, for every task its tests tag, hints from 1 up and then an answer of its own")
    void hintsForEveryTask(Step step) throws IOException {
        TreeSet<Integer> tagged = new TreeSet<>();
        try (Stream<Path> files = Files.walk(step.testSources(Project.REAL))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = TASK_TAG.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    tagged.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(tagged).as("the tasks %s's tests tag", step).isNotEmpty();
        List<String> lines = Files.readAllLines(step.hints(Project.REAL), StandardCharsets.UTF_8);
        List<String> taskHeadings = new ArrayList<>();
        List<List<String>> parts = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("## ")) {
                taskHeadings.add(line);
                parts.add(new ArrayList<>());
            } else if (line.startsWith("### ") && !parts.isEmpty()) {
                parts.get(parts.size() - 1).add(line);
            }
        }
        List<Integer> numbers = taskHeadings.stream()
                .map(h ->
                        h.matches("## Task \\d+: .+") ? Integer.parseInt(h.replaceAll("## Task (\\d+):.*", "$1")) : -1)
                .toList();
        assertThat(numbers)
                .as(
                        "the ## Task N: sections of %s, in order, one for each task its tests tag",
                        step.hints(Project.REAL))
                .containsExactlyElementsOf(tagged);
        for (int i = 0; i < parts.size(); i++) {
            List<String> expected = new ArrayList<>();
            int hints = parts.get(i).size() - 1;
            for (int h = 1; h <= hints; h++) {
                expected.add("### Hint " + h);
            }
            expected.add("### Answer");
            assertThat(parts.get(i))
                    .as(
                            "the sections of %s in %s: at least three hints (the idea, the API, a fragment), then the"
                                    + " answer, which ./workshop hint shows only with --answer",
                            taskHeadings.get(i), step.hints(Project.REAL))
                    .hasSizeGreaterThanOrEqualTo(4)
                    .containsExactlyElementsOf(expected);
        }
    }
}
