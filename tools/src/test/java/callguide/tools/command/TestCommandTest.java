package callguide.tools.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The suite's count of a step's tests with solutions/")
class TestCommandTest {

    @Test
    @DisplayName("counts the test cases of that step's own reports, nested ones included, failures and errors apart")
    void oneStep(@TempDir Path root) throws IOException {
        Path reports = Files.createDirectories(root.resolve("step01-media/target/solutions/surefire-reports"));
        Files.writeString(
                reports.resolve("TEST-callguide.step01.UserMediaTest.xml"),
                String.join(
                        "\n",
                        "<testsuite tests=\"0\">",
                        "  <testcase name=\"a\" classname=\"task 1\"/>",
                        "  <testcase name=\"b\" classname=\"task 2\">",
                        "    <failure message=\"no\"/>",
                        "  </testcase>",
                        "  <testcase name=\"c\" classname=\"task 2\">",
                        "    <error message=\"boom\"/>",
                        "  </testcase>",
                        "  <testcase name=\"d\" classname=\"whole step\"/>",
                        "</testsuite>"));
        Path other = Files.createDirectories(root.resolve("step02-peer/target/solutions/surefire-reports"));
        Files.writeString(other.resolve("TEST-x.xml"), "<testcase name=\"e\"/>\n");
        Path learners = Files.createDirectories(root.resolve("step01-media/target/mine/surefire-reports"));
        Files.writeString(learners.resolve("TEST-y.xml"), "<testcase name=\"f\"/>\n");

        assertThat(TestCommand.surefire(root.resolve("step01-media")))
                .as("{passed, failed} of step01's reports with solutions/ (not step02's, not the learner's build's)")
                .containsExactly(2, 2);
        assertThat(TestCommand.surefire(root))
                .as("{passed, failed} of both steps")
                .containsExactly(3, 2);
    }
}
