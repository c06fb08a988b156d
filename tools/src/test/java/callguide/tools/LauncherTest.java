package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POSIX launcher, {@code ./workshop}, on a copy that has no tools built: what it says before the tools' first
 * build, which a new learner waits through. The copy has nothing to build, so Maven fails at once, after the launcher
 * spoke.
 */
@DisabledOnOs(OS.WINDOWS)
@DisplayName("The launcher, before the tools' first build")
class LauncherTest {

    @Test
    @Timeout(120)
    @DisplayName("says that a first run downloads, how much and where to, and only when Maven's repository lacks it")
    void saysSoOnAFirstRun(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("workshop-copy"));
        Files.copy(Project.REAL.resolve("workshop"), copy.resolve("workshop"));
        Files.createDirectories(copy.resolve("tools/src/main"));
        Path repository = Files.createDirectories(dir.resolve("empty-repository"));

        List<String> first = launch(copy, repository);
        assertThat(first)
                .as("what ./workshop says with an empty Maven repository, in order")
                .first()
                .isEqualTo("workshop: building the workshop's tools (once): a first run, so Maven downloads what they "
                        + "need first, about 82 MB of the 95 MB in all, into " + repository + " (a minute or two) ...");
        assertThat(first)
                .as("and then, the copy having nothing to build")
                .anyMatch(line -> line.startsWith("workshop: the build of the tools failed"));

        Files.createDirectories(repository.resolve("info/picocli/picocli"));
        assertThat(launch(copy, repository))
                .as("what ./workshop says once Maven's repository has the tools' libraries")
                .first()
                .isEqualTo("workshop: building the workshop's tools (once) ...");
    }

    /** {@code sh workshop list} in {@code copy}, Maven offline on {@code repository}: its standard error, by line. */
    private static List<String> launch(Path copy, Path repository) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "workshop", "list")
                .directory(copy.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + repository);
        builder.environment().put("CALLGUIDE_MAVEN_OFFLINE", "1");
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "cannot read its standard error: " + e;
            }
        });
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS))
                    .as("./workshop ended within 90 s")
                    .isTrue();
            return err.get(10, TimeUnit.SECONDS).lines().toList();
        } finally {
            process.destroyForcibly();
        }
    }
}
