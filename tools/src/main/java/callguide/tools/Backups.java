package callguide.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The learner's versions of a step that {@code reset} kept, in {@code .workshop/backup/}: one folder a reset,
 * {@code <step>-<yyyyMMdd-HHmmss>[-N]}, holding the step's {@code src/main/java} as it was, under that same path
 * ({@code .workshop/backup/step01-media-20261202-013000/src/main/java/callguide/step01/UserMedia.java}). What
 * {@code restore} puts back is the newest of them; a version {@code restore} replaced is kept beside them with
 * {@code -replaced} at the end, and is never restored itself.
 */
public final class Backups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    public static final String REPLACED = "-replaced";

    private final Layout layout;

    public Backups(Layout layout) {
        this.layout = layout;
    }

    public Path dir() {
        return layout.state().resolve("backup");
    }

    /** The step's sources, relative to its folder: {@code src/main/java}. */
    private static Path sourcesIn(Path folder, Step step, Path root) {
        return folder.resolve(step.dir(root).relativize(step.mainSources(root)).toString());
    }

    /** Copies the step's code into a new backup folder ({@code suffix}: "" for reset's); the folder. */
    public Path save(Step step, String suffix) throws IOException {
        String stamp = step.module() + "-" + LocalDateTime.now().format(STAMP);
        Path backup = dir().resolve(stamp + suffix);
        // Two in one second: each keeps its own copy, the earlier one is never overwritten.
        for (int n = 2; Files.exists(backup); n++) {
            backup = dir().resolve(stamp + "-" + n + suffix);
        }
        Path sources = sourcesIn(backup, step, layout.root());
        Files.createDirectories(sources);
        Trees.copy(step.mainSources(layout.root()), sources);
        return backup;
    }

    /** The newest backup {@code reset} made of the step, if any. */
    public Optional<Path> newest(Step step) throws IOException {
        if (!Files.isDirectory(dir())) {
            return Optional.empty();
        }
        Pattern name = Pattern.compile(Pattern.quote(step.module()) + "-(\\d{8}-\\d{6})(?:-(\\d+))?");
        try (Stream<Path> folders = Files.list(dir())) {
            return folders.filter(Files::isDirectory)
                    .filter(f -> name.matcher(f.getFileName().toString()).matches())
                    .max(Comparator.comparing((Path f) -> {
                                Matcher m = name.matcher(f.getFileName().toString());
                                m.matches();
                                return m.group(1);
                            })
                            .thenComparingInt(f -> {
                                Matcher m = name.matcher(f.getFileName().toString());
                                m.matches();
                                return m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                            }));
        }
    }

    /** The code a backup holds: its {@code src/main/java}, or the folder itself (backups before that path). */
    public Path code(Path backup, Step step) {
        Path sources = sourcesIn(backup, step, layout.root());
        return Files.isDirectory(sources) ? sources : backup;
    }

    /** Replaces the step's code with what {@code from} holds: files not in it are deleted. */
    public void restore(Step step, Path from) throws IOException {
        Path to = step.mainSources(layout.root());
        Trees.delete(to);
        Files.createDirectories(to);
        Trees.copy(from, to);
    }

    /** Whether two trees hold the same files with the same bytes. */
    public static boolean sameTree(Path a, Path b) throws IOException {
        List<String> left = files(a);
        if (!left.equals(files(b))) {
            return false;
        }
        for (String f : left) {
            if (!Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
