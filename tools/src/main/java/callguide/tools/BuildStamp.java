package callguide.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a flavour's build is still what the project's files would build, so that {@code run}, {@code demo},
 * {@code call}, {@code relay}, {@code peer} and {@code bench} need not run Maven again (10-20 s) when nothing changed.
 *
 * <p>By content, not by time: a restore from a backup keeps its files' old modification times, and a file saved while
 * Maven was building may or may not be in the build. So the stamp, written after a build that succeeded, holds a
 * digest of every file's path and bytes <em>as they were when the build started</em> (and of the Maven command), and
 * of the build's outputs (each module's jar and classpath in {@code target/<flavour>}: path, size, time). The build is
 * fresh while both still match: a file edited, added, removed or restored, a changed command, or an output deleted or
 * rebuilt by something else (an IDE, {@code mvn clean}) each mean a build.
 *
 * <p>The files are the project's, less what is not an input: {@code .git}, the workshop's state ({@code .workshop}),
 * every {@code target} and {@code node_modules}, editors' folders, and at the top the tools' module (the running tools
 * built it; the build leaves it out) and {@code class/} ({@code ./workshop class}'s grades and clones). 360 files,
 * 3.4 MB here: about 20 ms.
 */
final class BuildStamp {
    /** Folders never read: not inputs of the build (a folder of these names anywhere is left out). */
    private static final Set<String> NOT_INPUTS =
            Set.of(".git", ".workshop", "target", "node_modules", ".idea", ".vscode");

    private final String inputs;
    private final String outputs;

    private BuildStamp(String inputs, String outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * The digest of the project's inputs under {@code root} and of {@code command}, taken before a build; the
     * top-level folders {@code skipped} left out (the tools' module, the class's grades).
     */
    static String inputs(Path root, Set<String> skipped, List<String> command) {
        MessageDigest digest = sha256();
        update(digest, String.join("\u0000", command));
        for (Path file : files(root, skipped)) {
            update(digest, root.relativize(file).toString().replace('\\', '/'));
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                update(digest, "unreadable: " + e.getMessage()); // read as changed next time unless it stays so
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The digest of {@code flavour}'s outputs: where the project is (a classpath names its jars by absolute path, so
     * a project moved elsewhere builds again), every module's jar and classpath file in its target folder, and
     * every jar those classpaths name: the project's own (in {@code target/common} too) with their size and time,
     * and whether each of the others (Maven's local repository's) is still there.
     */
    static String outputs(Path root, String flavour) {
        MessageDigest digest = sha256();
        Path absolute = root.toAbsolutePath().normalize();
        update(digest, absolute.toString());
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                Path target = module.resolve("target").resolve(flavour);
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (Stream<Path> built = Files.list(target)) {
                    for (Path file : built.sorted().toList()) {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".jar")) {
                            update(digest, describe(absolute, file));
                        } else if (name.equals("classpath.txt")) {
                            update(digest, describe(absolute, file));
                            for (String entry : Files.readString(file, StandardCharsets.UTF_8)
                                    .strip()
                                    .split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
                                if (!entry.isEmpty()) {
                                    update(digest, describe(absolute, Path.of(entry)));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            update(digest, "unreadable: " + e.getMessage() + " " + System.nanoTime()); // never fresh
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A file of the build: its path, and its size and time if in the project, or only whether it is there. */
    private static String describe(Path root, Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            return absolute + " missing";
        }
        if (!absolute.startsWith(root)) {
            return absolute + " there";
        }
        BasicFileAttributes a = Files.readAttributes(absolute, BasicFileAttributes.class);
        return root.relativize(absolute) + " " + a.size() + " " + a.lastModifiedTime();
    }

    /** The stamp a build that succeeded leaves: {@code inputs} as the build began, and its outputs now. */
    static void write(Path stamp, String inputs, Path root, String flavour) throws IOException {
        Files.createDirectories(stamp.getParent());
        Files.writeString(stamp, inputs + "\n" + outputs(root, flavour) + "\n", StandardCharsets.UTF_8);
    }

    /** Whether the build the {@code stamp} records is still what {@code inputs} would build, its outputs untouched. */
    static boolean fresh(Path stamp, String inputs, Path root, String flavour) {
        BuildStamp recorded = read(stamp);
        return recorded != null && recorded.inputs.equals(inputs) && recorded.outputs.equals(outputs(root, flavour));
    }

    /** The stamp, or null when there is none or it is not one. */
    private static BuildStamp read(Path stamp) {
        try {
            List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
            return lines.size() == 2 ? new BuildStamp(lines.get(0), lines.get(1)) : null;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The regular files under {@code root}, sorted, less those in {@link #NOT_INPUTS} folders and {@code skipped}. */
    private static List<Path> files(Path root, Set<String> skipped) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !excluded(root.relativize(p), skipped))
                    .forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
            throw new WorkshopException("cannot read the project's files to tell whether to build: " + e.getMessage());
        }
        files.sort(null);
        return files;
    }

    private static boolean excluded(Path relative, Set<String> skipped) {
        if (relative.getNameCount() > 1 && skipped.contains(relative.getName(0).toString())) {
            return true;
        }
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (NOT_INPUTS.contains(relative.getName(i).toString())) {
                return true;
            }
        }
        return false;
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
