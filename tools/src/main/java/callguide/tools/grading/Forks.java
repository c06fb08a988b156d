package callguide.tools.grading;

import callguide.tools.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A learner's fork made out of a folder, as {@code class} fetches one: the folder committed to a repository of its
 * own, then cloned bare beside the others. The class's benchmark makes its generated class this way ({@link Cohort}),
 * and the tests make theirs.
 */
public final class Forks {
    /** Who commits a made fork: fixed, so no one's git identity (or its absence) changes a fork. */
    private static final List<String> IDENTITY =
            List.of("-c", "user.name=learner", "-c", "user.email=learner@localhost", "-c", "commit.gpgsign=false");

    private Forks() {}

    /** {@code work} committed (a repository of its own from the first time) with {@code message}. */
    public static void commit(Path work, String message) throws IOException {
        if (!Files.isDirectory(work.resolve(".git"))) {
            git(work, "init", "-q");
        }
        git(work, "add", "-A");
        List<String> commit = new ArrayList<>(IDENTITY);
        commit.addAll(List.of("commit", "-q", "--allow-empty", "-m", message));
        git(work, commit.toArray(String[]::new));
    }

    /** {@code work} committed with {@code message} and cloned as the bare repository {@code bare}; its path. */
    public static Path bare(Path work, Path bare, String message) throws IOException {
        commit(work, message);
        Files.createDirectories(bare.getParent());
        git(bare.getParent(), "clone", "-q", "--bare", work.toString(), bare.toString());
        return bare;
    }

    /** git in a folder, its failure an exception with git's output. */
    public static void git(Path in, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", in.toString()));
        command.addAll(List.of(args));
        Process git = Processes.start(new ProcessBuilder(command).redirectErrorStream(true));
        // git on a local folder ends on its own: its output's end is its end
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = Processes.waitFor(git);
        if (rc != 0) {
            throw new IOException(
                    "git " + String.join(" ", args) + " in " + in + " failed (exit " + rc + "): " + output.strip());
        }
    }
}
