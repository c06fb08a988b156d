package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The diff of two trees")
class UnifiedDiffTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private boolean diff(String a, String b) throws IOException {
        return new UnifiedDiff(
                        dir,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .trees(Path.of(a), Path.of(b));
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }

    @Test
    @DisplayName("shows changed lines in hunks with three lines of context, far-apart changes in hunks of their own, "
            + "as diff -ru")
    void hunks() throws IOException {
        Files.createDirectories(dir.resolve("a/p"));
        Files.createDirectories(dir.resolve("b/p"));
        Files.writeString(dir.resolve("a/p/X.java"), lines(1, 20));
        Files.writeString(
                dir.resolve("b/p/X.java"),
                lines(1, 20).replace("line 2\n", "line two\n").replace("line 18\n", ""));

        assertThat(diff("a", "b")).as("trees that differ").isFalse();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).as("the header").startsWith("diff -ru a/p/X.java b/p/X.java\n--- a/p/X.java\t");
        assertThat(text.lines().filter(l -> l.startsWith("@@")).toList())
                .as("the hunks' ranges")
                .containsExactly("@@ -1,5 +1,5 @@", "@@ -15,6 +15,5 @@");
        assertThat(text).as("a change").contains("-line 2\n+line two\n").contains(" line 17\n-line 18\n line 19\n");
    }

    @Test
    @DisplayName("names files on one side only, and says nothing of equal trees")
    void onlyIn() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/Same.java"), "x\n");
        Files.writeString(dir.resolve("b/Same.java"), "x\n");
        assertThat(diff("a", "b")).as("equal trees").isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("the output of equal trees")
                .isEmpty();

        Files.writeString(dir.resolve("b/New.java"), "y");
        assertThat(diff("a", "b")).as("a file added").isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Only in b: New.java\n");
    }

    @Test
    @DisplayName("marks a last line without a newline")
    void noNewline() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/F"), "x\n");
        Files.writeString(dir.resolve("b/F"), "x");
        diff("a", "b");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("the hunk")
                .endsWith("@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n");
    }

    @Test
    @DisplayName("says which tree is missing")
    void missing() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        assertThat(diff("a", "nowhere")).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("diff: nowhere: No such file or directory\n");
    }
}
