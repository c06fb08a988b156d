package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The steps")
class StepsTest {
    private final Steps real = Steps.fromPom(Project.REAL.resolve("pom.xml"));

    @Test
    @DisplayName("are the parent pom's step modules, in the build's order, and nothing else")
    void fromThePom(@TempDir Path dir) throws IOException {
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modules>
                    <module>kit</module>
                    <module>step01-hello</module>
                    <module>step02-world</module>
                    <module>step2-not-one</module>
                    <module>tools</module>
                  </modules>
                  <profiles><profile><modules><module>step09-only-in-a-profile</module></modules></profile></profiles>
                </project>
                """);
        assertThat(Steps.fromPom(pom).all())
                .as("the steps of a made-up pom")
                .containsExactly(new Step("step01-hello", 1), new Step("step02-world", 2));
    }

    @Test
    @DisplayName("derive the module's folders, its package and its run program from its name")
    void derived() {
        Step step = new Step("step04-offer-answer", 4);
        Path root = Path.of("/w");
        assertThat(step.no()).isEqualTo("04");
        assertThat(step.packageName()).as("the package").isEqualTo("callguide.step04");
        assertThat(step.runMain()).as("the run program").isEqualTo(Layout.RUN_PACKAGE + ".Step04OfferAnswer");
        assertThat(step.mainSources(root))
                .as("the exercise")
                .isEqualTo(Path.of("/w/step04-offer-answer/src/main/java"));
        assertThat(step.solutionSources(root))
                .as("the solution")
                .isEqualTo(Path.of("/w/solutions/step04-offer-answer/src/main/java"));
        assertThat(step.todoMarker()).isEqualTo("TODO(step04)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"4", "04", "step04", "step04-offer-answer"})
    @DisplayName("are written 4, 04, step04 or step04-offer-answer")
    void written(String arg) {
        assertThat(real.parse(arg).module()).as("the step written %s", arg).isEqualTo("step04-offer-answer");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"0", "00", "7", "99", "4x", "step4", "step04x", "offer-answer", "", "-1"})
    @DisplayName("refuse what names no step, saying how to write one")
    void noStep(String arg) {
        assertThatThrownBy(() -> real.parse(arg))
                .as("the step written '%s'", arg)
                .isInstanceOf(WorkshopException.class)
                .hasMessage("no step '" + arg + "': write 4, 04, step04 or step04-offer-answer (steps 01 to 06)");
    }

    @Test
    @DisplayName("suggest the full name for a misspelt one")
    void misspelt() {
        assertThatThrownBy(() -> real.parse("step04-offer"))
                .hasMessage("no step 'step04-offer': did you mean step04-offer-answer?");
    }

    @Test
    @DisplayName("each have a run program, an exercise, tests, hints and a solution in the real tree")
    void eachIsComplete() {
        for (Step step : real.all()) {
            Path root = Project.REAL;
            assertThat(step.mainSources(root)).as("%s's exercise", step).isDirectory();
            assertThat(step.testSources(root)).as("%s's tests", step).isDirectory();
            assertThat(step.hints(root)).as("%s's hints", step).isRegularFile();
            assertThat(step.solutionSources(root)).as("%s's solution", step).isDirectory();
            Path run = root.resolve(Layout.CALL_MODULE)
                    .resolve("src/main/java")
                    .resolve(step.runMain().replace('.', '/') + ".java");
            assertThat(run).as("%s's run program", step).isRegularFile();
        }
    }

    @Test
    @DisplayName("are exactly the steps the README's learner table lists, in order")
    void readmeTable() throws IOException {
        String readme = Files.readString(Project.REAL.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher row = Pattern.compile("(?m)^\\| \\[(step\\d\\d-[^\\]]+)\\]\\(([^)]+)\\) \\|")
                .matcher(readme);
        List<String> listed = new java.util.ArrayList<>();
        while (row.find()) {
            listed.add(row.group(1));
            assertThat(row.group(2))
                    .as("the link of %s in the README's table", row.group(1))
                    .isEqualTo(row.group(1) + "/README.md");
        }
        assertThat(listed)
                .as("the README's learner table against the build's step modules")
                .containsExactlyElementsOf(real.all().stream().map(Step::module).toList());
    }
}
