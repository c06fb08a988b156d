package callguide.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>The files are the project's (links followed, as Maven follows them), less what is not an input: {@code .git},
 * {@code node_modules} and editors' folders anywhere, the workshop's state ({@code .workshop}) and Maven's
 * {@code target} at the top or in a module, and at the top the tools' module (the running tools built it; the build
 * leaves it out) and {@code class/} ({@code ./workshop class}'s grades and clones). 360 files, 3.4 MB here: 20-70 ms.
 */
final class BuildStamp {
    /** Folders never read, anywhere: not inputs of the build. */
    private static final Set<String> NOT_INPUTS = Set.of(".git", "node_modules", ".idea", ".vscode");
    /** ... and these at the top or in a module (where Maven and the workshop write), not deeper. */
    private static final Set<String> NOT_INPUTS_ABOVE = Set.of("target", ".workshop");

    /** What a build would read: a digest of it all, and each file's own digest (by its path from the root). */
    record Inputs(String digest, Map<String, String> files) {}

    private final String inputs;
    private final String outputs;
    private final Map<String, String> files;

    private BuildStamp(String inputs, String outputs, Map<String, String> files) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.files = files;
    }

    /**
     * The project's inputs under {@code root}, with {@code command} and {@code environment} (what else Maven reads:
     * the JDK and machine, which pick webrtc-java's native jar, its options, its settings), taken before a build; the
     * top-level folders {@code skipped} left out (the tools' module, the class's grades). A file or folder that
     * cannot be read, or goes while it is read (a watch's work folder, say), makes the inputs ones never seen before.
     */
    static Inputs inputs(Path root, Set<String> skipped, List<String> command, List<String> environment) {
        Map<String, String> files = new TreeMap<>();
        try {
            Files.walkFileTree(
                    root, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            Path relative = root.relativize(dir);
                            int depth = relative.toString().isEmpty() ? 0 : relative.getNameCount();
                            String name =
                                    depth == 0 ? "" : relative.getFileName().toString();
                            boolean skip = NOT_INPUTS.contains(name)
                                    || (depth <= 2 && NOT_INPUTS_ABOVE.contains(name))
                                    || (depth == 1 && skipped.contains(name));
                            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile()) {
                                files.put(relative(root, file), digest(file));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            files.put(relative(root, file), unread());
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            files.put("", unread());
        }
        StringBuilder all = new StringBuilder();
        all.append(String.join("\u0000", command)).append("\n").append(String.join("\u0000", environment));
        files.forEach(
                (path, hash) -> all.append('\n').append(path).append('\u0000').append(hash));
        return new Inputs(Trees.sha256Of(all.toString()), files);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** A file's digest, read a piece at a time (any size), or one never seen before when it cannot be read. */
    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return unread();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }

    /** A digest no file has: what cannot be read counts as changed. */
    private static String unread() {
        return "unread " + System.nanoTime();
    }

    /**
     * Marks as just modified the files whose content differs from what this stamp's build read: Maven's compiler
     * picks what to compile again by time, so a file put back with its old time ({@code cp -p}) would be left as
     * compiled.
     */
    void touchChanged(Inputs now, Path root) {
        FileTime time = FileTime.fromMillis(System.currentTimeMillis());
        now.files().forEach((path, hash) -> {
            if (!path.isEmpty() && !hash.equals(files.get(path))) {
                try {
                    Files.setLastModifiedTime(root.resolve(path), time);
                } catch (IOException | RuntimeException e) {
                    // a file that went or cannot be touched: Maven sees what it sees, as before
                }
            }
        });
    }

    /**
     * The digest of {@code flavour}'s outputs: where the project is (a classpath names its jars by absolute path, so
     * a project moved elsewhere builds again), every module's jar and classpath file in its target folder, and
     * every jar those classpaths name: the project's own (in {@code target/common} too) with their size and time,
     * and whether each of the others (Maven's local repository's) is still there.
     */
    static String outputs(Path root, String flavour) {
        Path absolute = root.toAbsolutePath().normalize();
        StringBuilder described = new StringBuilder(absolute.toString());
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
                            described.append('\n').append(describe(absolute, file));
                        } else if (name.equals("classpath.txt")) {
                            described.append('\n').append(describe(absolute, file));
                            for (String entry : Files.readString(file, StandardCharsets.UTF_8)
                                    .strip()
                                    .split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
                                if (!entry.isEmpty()) {
                                    described.append('\n').append(describe(absolute, Path.of(entry)));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            described.append('\n').append(unread()); // never fresh
        }
        return Trees.sha256Of(described.toString());
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
    static void write(Path stamp, Inputs inputs, Path root, String flavour) throws IOException {
        Files.createDirectories(stamp.getParent());
        StringBuilder text = new StringBuilder(inputs.digest() + "\n" + outputs(root, flavour) + "\n");
        inputs.files()
                .forEach((path, hash) ->
                        text.append(hash).append('\t').append(path).append('\n'));
        Files.writeString(stamp, text, StandardCharsets.UTF_8);
    }

    /** Whether this stamp's build is still what {@code now} would build, its outputs untouched. */
    boolean fresh(Inputs now, Path root, String flavour) {
        return inputs.equals(now.digest()) && outputs.equals(outputs(root, flavour));
    }

    /** The stamp, or null when there is none or it is not one. */
    static BuildStamp read(Path stamp) {
        try {
            List<String> lines = Files.readAllLines(stamp, StandardCharsets.UTF_8);
            if (lines.size() < 2) {
                return null;
            }
            Map<String, String> files = new TreeMap<>();
            for (String line : lines.subList(2, lines.size())) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    return null;
                }
                files.put(line.substring(tab + 1), line.substring(0, tab));
            }
            return new BuildStamp(lines.get(0), lines.get(1), files);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }
}
