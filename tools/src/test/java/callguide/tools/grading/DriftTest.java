package callguide.tools.grading;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.tools.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a learner's check warns about: the things that grade them, changed since the commit they cloned. */
@DisplayName("The learner's check, on what changed since the clone")
class DriftTest {
    private static final Step STEP = new Step("step09-adding", 9);

    @TempDir
    Path dir;

    @Test
    @DisplayName("warns a line a thing for a step's tests, the kit and a pom, committed or not, and not for the "
            + "learner's exercise nor for the instructor's later commits pulled")
    void warnsAboutWhatGrades() throws Exception {
        Path upstream = dir.resolve("upstream");
        GraderTest.write(upstream, STEP, "main", "Adder", "class Adder {}");
        GraderTest.write(upstream, STEP, "test", "AdderTest", GraderTest.TEST);
        Files.createDirectories(upstream.resolve("kit"));
        Files.writeString(upstream.resolve("kit/Kit.java"), "class Kit {}");
        Files.writeString(upstream.resolve("pom.xml"), "<project/>");
        Forks.commit(upstream, "the workshop");
        Path clone = dir.resolve("clone");
        Forks.git(dir, "clone", "-q", upstream.toString(), clone.toString());
        assertThat(Drift.warnings(clone, List.of(STEP))).as("a fresh clone").isEmpty();

        GraderTest.write(clone, STEP, "main", "Adder", "class Adder { int add() { return 1; } }");
        Forks.commit(clone, "my work");
        Files.writeString(upstream.resolve("kit/Kit.java"), "class Kit { int fixed; }");
        Forks.commit(upstream, "a fix");
        Forks.git(
                clone, "-c", "user.name=t", "-c", "user.email=t@example.com", "pull", "-q", "--no-rebase", "--no-edit");
        assertThat(Drift.warnings(clone, List.of(STEP)))
                .as("the learner's own exercise, and the instructor's fix pulled")
                .isEmpty();

        GraderTest.write(clone, STEP, "test", "AdderTest", "class AdderTest {}");
        Forks.commit(clone, "tests that pass");
        Files.writeString(clone.resolve("kit/Kit.java"), "class Kit { int mine; }");
        Files.writeString(clone.resolve("pom.xml"), "<project><x/></project>");
        GraderTest.write(clone, STEP, "test", "MoreTest", "class MoreTest {}");

        List<String> warnings = Drift.warnings(clone, List.of(STEP));
        assertThat(warnings).as("the warnings").hasSize(3);
        assertThat(warnings.get(0))
                .as("the step's tests, committed and new")
                .startsWith("warning: changed since the commit you cloned (")
                .contains(
                        "step09-adding's tests (2 files: step09-adding/src/test/java/callguide/step09/AdderTest.java");
        assertThat(warnings.get(1)).as("the kit").contains("the kit (kit/Kit.java)");
        assertThat(warnings.get(2)).as("the pom").contains("pom.xml (pom.xml)");
    }
}
