package callguide.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command works with: the project's layout and steps, the environment, the platform,
 * and where its output goes (the real streams, or a test's).
 */
public final class Context {
    private final Layout layout;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Platform.Machine machine;
    private Steps steps;

    public Context(Path root, Map<String, String> env, PrintStream out, PrintStream err, Platform.Machine machine) {
        this.layout = new Layout(root);
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.machine = machine;
    }

    /** The tools as the launchers start them: the root from {@code callguide.root} (else the working directory). */
    public static Context current() {
        Path root = Path.of(System.getProperty("callguide.root", ""));
        return new Context(root, System.getenv(), System.out, System.err, Platform.machine(System.getenv()));
    }

    public Layout layout() {
        return layout;
    }

    public Path root() {
        return layout.root();
    }

    /** The steps, read from the parent pom when first asked for. */
    public Steps steps() {
        if (steps == null) {
            steps = Steps.fromPom(layout.parentPom());
        }
        return steps;
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Platform.Machine machine() {
        return machine;
    }

    /** A line on standard error. */
    public void say(String line) {
        err.println(line);
        err.flush();
    }

    /** The platform, checked: webrtc-java's natives exist for it and what they need is here. */
    public Platform preflight() {
        Platform platform = Platform.current();
        platform.preflight(machine);
        return platform;
    }

    /** A process builder for the project, in its root. */
    public ProcessBuilder process(java.util.List<String> command) {
        return new ProcessBuilder(command).directory(root().toFile());
    }
}
