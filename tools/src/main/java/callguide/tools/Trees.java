package callguide.tools;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Folders the tools copy, delete and take out of git: one way each, for every command. */
public final class Trees {
    private Trees() {}

    /**
     * Copies the regular files and folders under {@code from} into {@code to}; symbolic links are left out, so a
     * fork's link to a file elsewhere never brings that file in. Each copy is a file written now, not one with its
     * source's time: Maven's compiler goes by time, so a version put back (restore) with its old time would be left
     * as compiled before.
     */
    public static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes a folder and everything under it (links themselves, never what they point to). */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The SHA-256 of the regular files under a folder, their paths in it and their bytes, in hex. */
    public static String sha256(Path root) throws IOException {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                            .sorted()
                            .toList()) {
                        digest.update(root.relativize(file)
                                .toString()
                                .replace('\\', '/')
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        digest.update((byte) 0);
                        digest.update(Files.readAllBytes(file));
                        digest.update((byte) 0);
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }

    /** The SHA-256 of a text's UTF-8 bytes, in hex. */
    public static String sha256Of(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java", e);
        }
    }

    /** The commit HEAD names in the git repository at {@code root}, or empty when it is none. */
    public static Optional<String> head(Path root) {
        return Processes.output(List.of("git", "-C", root.toString(), "rev-parse", "--verify", "-q", "HEAD"))
                .map(String::strip)
                .filter(commit -> !commit.isEmpty());
    }

    /**
     * Writes {@code paths} as committed at {@code revision} of the repository at {@code root} under {@code into};
     * false when git cannot (no repository, no such revision or path).
     */
    public static boolean archive(Path root, String revision, Path into, List<String> paths) throws IOException {
        List<String> command =
                new java.util.ArrayList<>(List.of("git", "-C", root.toString(), "archive", "--format=zip", revision));
        command.addAll(paths);
        Optional<byte[]> zip = Processes.bytes(command);
        if (zip.isEmpty()) {
            return false;
        }
        Path base = into.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.get()))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = base.resolve(entry.getName()).normalize();
                if (!out.startsWith(base)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.write(out, in.readAllBytes());
                }
            }
        }
        return true;
    }
}
