package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project of two modules, a "build" of one flavour (its jar and classpath written here, as Maven's package would),
 * and every way its files can change after it: each one a build, and nothing that is no input.
 */
@DisplayName("Whether to build again")
class BuildStampTest {
    private static final String FLAVOUR = "solutions";
    private static final Set<String> SKIPPED = Set.of("tools", "class");
    private static final List<String> COMMAND = List.of("mvn", "-q", "-Psolutions", "package");
    private static final List<String> ENVIRONMENT = List.of("os.arch=aarch64", "MAVEN_OPTS=");

    @TempDir
    Path root;

    /** Maven's local repository, outside the project. */
    @TempDir
    Path repository;

    private Path common;
    private Path dependency;

    private Path stamp;
    private Path source;
    private Path jar;

    @BeforeEach
    void aBuiltProject() throws IOException {
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        source = write("step01-media/src/main/java/Media.java", "class Media {}");
        write("relay/src/main/java/Relay.java", "class Relay {}");
        write("tools/src/main/java/Tools.java", "class Tools {}");
        stamp = root.resolve(".workshop/build-" + FLAVOUR + ".stamp");
        build();
    }

    @Test
    @DisplayName("needs none when nothing changed, and none for what is no input")
    void nothingChanged() throws IOException {
        assertThat(fresh()).as("just built").isTrue();
        write(".git/index", "a commit");
        write(".workshop/grades/step01.json", "{}");
        write("relay/target/mine/relay-1.jar", "another flavour's build");
        write("relay/target/classes/Relay.class", "compiled");
        write("tools/src/main/java/More.java", "class More {}");
        write("class/forks/ann/README.md", "a clone being graded");
        write("step01-media/.idea/workspace.xml", "<editor/>");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(fresh())
                .as("after changes to no input, and a source only touched")
                .isTrue();
    }

    @Test
    @DisplayName("builds again when a source is edited, added, removed, or restored with its old time")
    void sourcesChanged() throws IOException {
        Files.writeString(source, "class Media { int edited; }");
        assertThat(fresh()).as("edited").isFalse();
        build();
        FileTime before = Files.getLastModifiedTime(source);
        Files.writeString(source, "class Media { int restored; }");
        Files.setLastModifiedTime(source, before);
        assertThat(fresh()).as("restored from a backup with its old time").isFalse();
        BuildStamp.read(stamp).touchChanged(BuildStamp.inputs(root, SKIPPED, COMMAND, ENVIRONMENT), root);
        assertThat(Files.getLastModifiedTime(source))
                .as("its time made now, so that Maven's compiler compiles it again")
                .isGreaterThan(before);
        build();
        write("step01-media/src/main/java/Camera.java", "class Camera {}");
        assertThat(fresh()).as("a file added").isFalse();
        build();
        Files.delete(source);
        assertThat(fresh()).as("a file removed").isFalse();
        build();
        Files.writeString(root.resolve("pom.xml"), "<project><modules/></project>");
        assertThat(fresh()).as("the root pom edited").isFalse();
        build();
        assertThat(freshIn(
                        stamp, BuildStamp.inputs(root, SKIPPED, List.of("mvn", "package"), ENVIRONMENT), root, FLAVOUR))
                .as("another Maven command")
                .isFalse();
        assertThat(freshIn(
                        stamp,
                        BuildStamp.inputs(root, SKIPPED, COMMAND, List.of("os.arch=x86_64", "MAVEN_OPTS=")),
                        root,
                        FLAVOUR))
                .as("another JDK's architecture (another native jar)")
                .isFalse();
        write("relay/src/main/resources/target/page.html", "a resource in a folder named target");
        assertThat(fresh())
                .as("a file in a folder named target below a module's")
                .isFalse();
    }

    @Test
    @DisplayName("builds again when the build's output is gone or was made by something else")
    void outputsChanged() throws IOException {
        Files.delete(jar);
        assertThat(fresh()).as("the jar deleted (mvn clean)").isFalse();
        build();
        Files.writeString(jar, "built by an IDE, longer");
        assertThat(fresh()).as("the jar rebuilt by something else").isFalse();
        build();
        Files.delete(common);
        assertThat(fresh())
                .as("a jar of the project's that a classpath names deleted")
                .isFalse();
        build();
        Files.delete(dependency);
        assertThat(fresh())
                .as("a jar of Maven's that a classpath names deleted")
                .isFalse();
        build();
        Files.writeString(stamp, "not a stamp");
        assertThat(fresh()).as("a stamp that is not one").isFalse();
        Files.delete(stamp);
        assertThat(fresh()).as("no stamp").isFalse();
    }

    @Test
    @DisplayName("builds again when the project was moved (its classpaths name the old place)")
    void moved(@TempDir Path elsewhere) throws IOException {
        Path moved = elsewhere.resolve("callguide");
        Trees.copy(root, moved);
        assertThat(freshIn(
                        moved.resolve(root.relativize(stamp)),
                        BuildStamp.inputs(moved, SKIPPED, COMMAND, ENVIRONMENT),
                        moved,
                        FLAVOUR))
                .as("the same files, their outputs copied with their times, in another folder")
                .isFalse();
    }

    @Test
    @DisplayName("reads a linked source through its link, as Maven does")
    void linkedSources(@TempDir Path elsewhere) throws IOException {
        Path real = Files.writeString(elsewhere.resolve("Relay.java"), "class Relay {}");
        Path link = root.resolve("relay/src/main/java/Linked.java");
        try {
            Files.createSymbolicLink(link, real);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        build();
        Files.writeString(real, "class Relay { int edited; }");
        assertThat(fresh()).as("the linked file edited where it is").isFalse();
    }

    @Test
    @DisplayName("builds again after a source saved while Maven was building")
    void savedDuringTheBuild() throws IOException {
        BuildStamp.Inputs asTheBuildBegan = BuildStamp.inputs(root, SKIPPED, COMMAND, ENVIRONMENT);
        Files.writeString(source, "class Media { int savedMeanwhile; }");
        BuildStamp.write(stamp, asTheBuildBegan, root, FLAVOUR);
        assertThat(fresh()).as("the build may not have read the saved file").isFalse();
    }

    private boolean fresh() {
        return freshIn(stamp, BuildStamp.inputs(root, SKIPPED, COMMAND, ENVIRONMENT), root, FLAVOUR);
    }

    /** What Builds.build asks: the stamp there, and fresh. */
    private static boolean freshIn(Path stamp, BuildStamp.Inputs inputs, Path root, String flavour) {
        BuildStamp last = BuildStamp.read(stamp);
        return last != null && last.fresh(inputs, root, flavour);
    }

    /** What Builds.build does around Maven: the inputs before, the outputs made, the stamp after. */
    private void build() throws IOException {
        BuildStamp.Inputs inputs = BuildStamp.inputs(root, SKIPPED, COMMAND, ENVIRONMENT);
        jar = write("step01-media/target/" + FLAVOUR + "/step01-media-1.jar", "jar " + System.nanoTime());
        common = write("kit/target/common/kit-1.jar", "kit");
        dependency = Files.writeString(repository.resolve("jackson-1.jar"), "jackson");
        write(
                "step01-media/target/" + FLAVOUR + "/classpath.txt",
                root.resolve("kit/target/common/kit-1.jar").toAbsolutePath()
                        + java.io.File.pathSeparator
                        + dependency.toAbsolutePath());
        write("relay/target/" + FLAVOUR + "/relay-1.jar", "jar");
        BuildStamp.write(stamp, inputs, root, FLAVOUR);
    }

    private Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
