package callguide.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The machine the workshop runs on, as webrtc-java sees it: its native library's classifier
 * ({@code linux-x86_64}, ...), what that library needs from the machine, and where Chromium is.
 * Everything takes the OS name and architecture as given, so each platform's answers can be
 * tested on any of them.
 */
public record Platform(Os os, String arch) {
    public enum Os {
        LINUX,
        MACOS,
        WINDOWS
    }

    /** The platforms webrtc-java ships natives for that the workshop runs on. */
    public static final List<String> SUPPORTED =
            List.of("linux-x86_64", "linux-aarch64", "macos-x86_64", "macos-aarch64", "windows-x86_64");

    /** This JVM's platform. */
    public static Platform current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * From {@code os.name} and {@code os.arch}; refuses, naming the supported ones, what webrtc-java has no natives
     * for.
     */
    public static Platform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        Os os = name.startsWith("linux")
                ? Os.LINUX
                : name.startsWith("mac") || name.startsWith("darwin")
                        ? Os.MACOS
                        : name.startsWith("windows") ? Os.WINDOWS : null;
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
        Platform platform = new Platform(os, arch);
        if (os == null || !SUPPORTED.contains(platform.classifier())) {
            throw new WorkshopException("webrtc-java has no native library for " + osName + " on " + osArch
                    + ": the workshop runs on " + String.join(", ", SUPPORTED));
        }
        return platform;
    }

    /** webrtc-java's classifier: {@code macos-aarch64}. */
    public String classifier() {
        return (os == null ? "unknown" : os.name().toLowerCase(Locale.ROOT)) + "-" + arch;
    }

    /** What the machine must give webrtc-java's native library, and how to look for it and get it. */
    public interface Machine {
        /** The output of a command, or empty when it cannot be run here. */
        Optional<String> output(String... command);

        boolean exists(Path path);

        /** The files matching a glob under a directory: {@code /usr/lib}, {@code *}{@code /libpulse.so.0}. */
        List<Path> glob(Path dir, String glob);

        boolean isRoot();

        boolean onPath(String program);

        /** Runs a command to its end (its output dropped); true when it succeeded. */
        boolean run(String... command);

        /** Tells the learner something (standard error). */
        void say(String line);
    }

    /**
     * Makes sure webrtc-java's native library can load: on Linux it links PulseAudio's client
     * library ({@code libpulse.so.0}) even without sound, installed here with apt-get when root,
     * otherwise named; macOS and Windows need nothing beyond the library itself.
     */
    public void preflight(Machine machine) {
        if (os != Os.LINUX || hasLibpulse(machine)) {
            return;
        }
        if (machine.isRoot() && machine.onPath("apt-get")) {
            machine.say(
                    "workshop: installing libpulse0 (webrtc-java's native library links PulseAudio's client library)");
            if (!machine.run(
                    "sh",
                    "-c",
                    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpulse0")) {
                throw new WorkshopException("could not install libpulse0 with apt-get");
            }
            return;
        }
        String how = machine.onPath("apt-get")
                ? "install the package libpulse0 (sudo apt-get install libpulse0)"
                : machine.onPath("dnf")
                        ? "install the package pulseaudio-libs (sudo dnf install pulseaudio-libs)"
                        : machine.onPath("pacman")
                                ? "install the package libpulse (sudo pacman -S libpulse)"
                                : "install the package libpulse0 (sudo apt-get install libpulse0)";
        throw new WorkshopException("webrtc-java needs PulseAudio's client library: " + how);
    }

    static boolean hasLibpulse(Machine machine) {
        Optional<String> cache = machine.output("ldconfig", "-p");
        if (cache.isEmpty()) {
            cache = machine.output("/sbin/ldconfig", "-p");
        }
        if (cache.isPresent() && cache.get().contains("libpulse.so.0")) {
            return true;
        }
        return !machine.glob(Path.of("/usr/lib"), "*/libpulse.so.0").isEmpty()
                || machine.exists(Path.of("/usr/lib/libpulse.so.0"))
                || !machine.glob(Path.of("/lib"), "*/libpulse.so.0").isEmpty()
                || machine.exists(Path.of("/usr/lib64/libpulse.so.0"));
    }

    /** A Chromium and its chromedriver, for the browser tests. */
    public record Chromium(Path binary, Path driver) {}

    /**
     * Chromium and chromedriver where this OS keeps them: Linux, Debian's {@code /usr/bin}; macOS,
     * the app bundles, the driver on PATH; Windows, Program Files, the driver on PATH. Either the
     * pair, or why not (for the suite's note).
     */
    public Result<Chromium> chromium(Map<String, String> env, Machine machine) {
        return switch (os) {
            case LINUX -> {
                Path binary = Path.of("/usr/bin/chromium");
                Path driver = Path.of("/usr/bin/chromedriver");
                yield machine.exists(binary) && machine.exists(driver)
                        ? Result.of(new Chromium(binary, driver))
                        : Result.not("no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium "
                                + "chromium-driver");
            }
            case MACOS -> {
                List<Path> apps = new ArrayList<>();
                for (String app : List.of(
                        "Chromium.app/Contents/MacOS/Chromium", "Google Chrome.app/Contents/MacOS/Google Chrome")) {
                    apps.add(Path.of("/Applications").resolve(app));
                    if (env.containsKey("HOME")) {
                        apps.add(Path.of(env.get("HOME"), "Applications").resolve(app));
                    }
                }
                yield pair(
                        apps,
                        "chromedriver",
                        env,
                        machine,
                        "no Chromium or Google Chrome in /Applications with chromedriver on PATH (brew install "
                                + "--cask chromium chromedriver");
            }
            case WINDOWS -> {
                List<Path> apps = new ArrayList<>();
                for (String base : List.of("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")) {
                    if (env.containsKey(base)) {
                        apps.add(Path.of(env.get(base), "Chromium", "Application", "chrome.exe"));
                        apps.add(Path.of(env.get(base), "Google", "Chrome", "Application", "chrome.exe"));
                    }
                }
                yield pair(
                        apps,
                        "chromedriver.exe",
                        env,
                        machine,
                        "no Chromium or Google Chrome in Program Files with chromedriver.exe on PATH (winget "
                                + "install Google.Chrome, and chromedriver from "
                                + "https://googlechromelabs.github.io/chrome-for-testing/");
            }
        };
    }

    private static Result<Chromium> pair(
            List<Path> apps, String driverName, Map<String, String> env, Machine machine, String why) {
        Optional<Path> binary = apps.stream().filter(machine::exists).findFirst();
        Optional<Path> driver = Processes.onPath(driverName, env, machine::exists);
        return binary.isPresent() && driver.isPresent()
                ? Result.of(new Chromium(binary.get(), driver.get()))
                : Result.not(why);
    }

    /** A value, or why there is none. */
    public record Result<T>(T value, String whyNot) {
        static <T> Result<T> of(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> not(String why) {
            return new Result<>(null, why);
        }

        public boolean present() {
            return value != null;
        }
    }

    /** The real machine. */
    public static Machine machine(Map<String, String> env) {
        return new RealMachine(env);
    }

    private record RealMachine(Map<String, String> env) implements Machine {
        @Override
        public Optional<String> output(String... command) {
            return Processes.output(List.of(command));
        }

        @Override
        public boolean exists(Path path) {
            return Files.exists(path);
        }

        @Override
        public List<Path> glob(Path dir, String glob) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
            try (var walk = Files.walk(dir, 2)) {
                return walk.filter(p -> matcher.matches(dir.relativize(p))).toList();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return List.of();
            }
        }

        @Override
        public boolean isRoot() {
            return output("id", "-u").map(String::strip).filter("0"::equals).isPresent();
        }

        @Override
        public boolean onPath(String program) {
            return Processes.onPath(program, env, Files::isExecutable).isPresent();
        }

        @Override
        public boolean run(String... command) {
            return Processes.quiet(List.of(command)) == 0;
        }

        @Override
        public void say(String line) {
            System.err.println(line);
        }
    }
}
