package callguide.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * For workshop.cmd, which has no {@code find -newer}: exits 0 when the tools' jar is newer than
 * every file under {@code tools/src/main}, {@code tools/pom.xml} and the parent pom, 1 when the tools
 * need building. Usage: {@code Stale ROOT}. The same rule as the POSIX launcher's.
 */
public final class Stale {
    private Stale() {}

    public static void main(String[] args) throws IOException {
        System.exit(stale(Path.of(args.length > 0 ? args[0] : "")) ? 1 : 0);
    }

    static boolean stale(Path root) throws IOException {
        Path target = root.resolve(Layout.TOOLS_MODULE).resolve("target").resolve("common");
        Optional<Path> jar = Optional.empty();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                jar = files.filter(f -> f.getFileName().toString().matches(Layout.TOOLS_MODULE + "-.*\\.jar"))
                        .findFirst();
            }
        }
        if (jar.isEmpty() || !Files.isRegularFile(target.resolve("classpath.txt"))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(jar.get());
        for (Path source : List.of(
                root.resolve(Layout.TOOLS_MODULE).resolve("src").resolve("main"),
                root.resolve(Layout.TOOLS_MODULE).resolve("pom.xml"),
                root.resolve("pom.xml"))) {
            if (!Files.exists(source)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(source)) {
                if (files.anyMatch(f -> newer(f, built))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            return true;
        }
    }
}
