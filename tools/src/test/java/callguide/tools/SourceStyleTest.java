package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The style the build holds the workshop's own code to, beyond what the formatter (Spotless,
 * palantir-java-format, at verify) rewrites: lines that fit 120 columns, also in comments and
 * strings, which no formatter breaks. The learner's exercise files are theirs and left out.
 */
@DisplayName("the workshop's own sources")
class SourceStyleTest {
    private static final int COLUMNS = 120;

    @Test
    @DisplayName("fit 120 columns, every Java line outside the learner's exercise files")
    void fitTheColumns() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Project.REAL)) {
            for (Path file : files.filter(SourceStyleTest::isOurs).toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).length() > COLUMNS) {
                        tooLong.add(Project.REAL.relativize(file) + ":" + (i + 1) + " ("
                                + lines.get(i).length() + ")");
                    }
                }
            }
        }
        assertThat(tooLong)
                .as(
                        "lines over %d columns (mvn spotless:apply -N wraps code; comments and strings"
                                + " are wrapped by hand)",
                        COLUMNS)
                .isEmpty();
    }

    private static boolean isOurs(Path file) {
        String path = Project.REAL.relativize(file).toString().replace('\\', '/');
        return path.endsWith(".java")
                && !path.contains("/target/")
                && !path.startsWith(".")
                && !path.matches("step\\d\\d-[^/]+/src/main/java/.*");
    }
}
