package callguide.app;

import callguide.kit.signal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A JVM of its own running one of the workshop's mains (a {@link PeerMain}, a relay) with this
 * test's class path, optionally behind a command prefix ({@code ip netns exec NS}). Its output is
 * kept line by line; {@link #exit()} completes with its exit code once both streams are read.
 */
final class PeerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> exit;

    private PeerProcess(String name, Process process, Consumer<String> onLine) {
        this.name = name;
        this.process = process;
        CompletableFuture<Void> stdout = read(process.getInputStream(), out, onLine);
        CompletableFuture<Void> stderr = read(process.getErrorStream(), err, line -> {});
        this.exit = stdout.runAfterBoth(stderr, () -> {}).thenApply(v -> waitFor());
    }

    /** {@code prefix} (may be empty), then {@code java -cp CLASSPATH main args...}. */
    static PeerProcess start(String name, List<String> prefix, Class<?> main, List<String> args) throws IOException {
        return start(name, prefix, main, args, line -> {});
    }

    static PeerProcess start(
            String name, List<String> prefix, Class<?> main, List<String> args, Consumer<String> onLine)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new PeerProcess(name, new ProcessBuilder(command).start(), onLine);
    }

    CompletableFuture<Integer> exit() {
        return exit;
    }

    List<String> stdout() {
        return out;
    }

    String stderr() {
        return String.join("\n", err);
    }

    /** The last {@code REPORT {...}} line (a peer run with {@code --report} or {@code --events}), or null. */
    JsonNode report() {
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).startsWith("REPORT ")) {
                return Json.read(out.get(i).substring(7), JsonNode.class);
            }
        }
        return null;
    }

    /** Everything it printed, for an assertion's message. */
    String transcript() {
        return name + " stdout:\n" + String.join("\n", out) + "\n" + name + " stderr:\n" + stderr();
    }

    /** Asks it to stop (its shutdown hooks run: a relay stops its coturn), then kills what is left after 5 s. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private int waitFor() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private CompletableFuture<Void> read(InputStream stream, List<String> lines, Consumer<String> onLine) {
        return CompletableFuture.runAsync(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            lines.add(line);
                            onLine.accept(line);
                        }
                    } catch (IOException e) {
                        lines.add("(" + name + ": reading its output failed: " + e + ")");
                    }
                },
                runnable -> {
                    Thread t = new Thread(runnable, "output-of-" + name);
                    t.setDaemon(true);
                    t.start();
                });
    }
}
