package callguide.bench;

import callguide.app.FiveSteps;
import callguide.app.Flags;
import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.ice.IceProfile;
import callguide.kit.signal.Json;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./workshop bench soak [--calls 200] [--json]}: back-to-back real calls through the
 * relay, both peers and the relay in this one process, so its memory tells what each call leaves
 * behind. Prints resident memory, heap, threads and open files before, every 50 calls, and after.
 * Each call is bounded; a failed call is counted and the soak goes on.
 */
public final class BenchSoak {

    private BenchSoak() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args, "calls");
        int calls = Integer.parseInt(flags.getOrDefault("calls", "200"));
        boolean json = flags.containsKey("json");
        List<Double> setup = new ArrayList<>();
        int failed = 0;
        List<Map<String, Object>> samples = new ArrayList<>();
        long started = System.nanoTime();
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0))) {
            IceProfile profile = IceProfile.loopback(relay.stunPort());
            URI uri = URI.create(relay.url());
            oneCall(uri, profile, "soak-warmup"); // loads the native library and the factory
            samples.add(sample(0, json));
            for (int i = 1; i <= calls; i++) {
                double ms = oneCall(uri, profile, "soak-" + i);
                if (ms < 0) {
                    failed++;
                } else {
                    setup.add(ms);
                }
                if (i % 50 == 0 || i == calls) {
                    samples.add(sample(i, json));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("calls", calls);
        out.put("failed", failed);
        out.put("seconds", Percentiles.round(seconds));
        out.put("setup_ms", Percentiles.of(setup).json());
        out.put("memory", samples);
        Map<String, Object> first = samples.get(0);
        Map<String, Object> last = samples.get(samples.size() - 1);
        double growth = ((Number) last.get("rss_mb")).doubleValue() - ((Number) first.get("rss_mb")).doubleValue();
        out.put("rss_growth_mb_per_call", Math.round(growth / calls * 1000) / 1000.0);
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "%n%d calls in %.0f s, %d failed; set-up %s%n",
                    calls,
                    seconds,
                    failed,
                    Percentiles.of(setup));
            System.out.printf(
                    Locale.ROOT,
                    "resident memory %s -> %s MB (%.2f MB per call; the notes expect about 0.7)%n",
                    first.get("rss_mb"),
                    last.get("rss_mb"),
                    growth / calls);
        }
        System.out.flush();
        Runtime.getRuntime().halt(failed == 0 ? 0 : 1);
    }

    /** One call, both sides in this JVM; returns createOffer-to-both-connected in ms, or -1. */
    private static double oneCall(URI relay, IceProfile profile, String room) {
        CallPeer callee =
                new CallPeer(CallPeer.Options.of(Role.CALLEE, relay, room, "callee", profile, FiveSteps.TRICKLE));
        CallPeer caller =
                new CallPeer(CallPeer.Options.of(Role.CALLER, relay, room, "caller", profile, FiveSteps.TRICKLE));
        try {
            CompletableFuture<CallReport> calleeDone = callee.start();
            CompletableFuture<CallReport> callerDone = caller.start();
            CallReport a = callerDone.get(40, TimeUnit.SECONDS);
            CallReport b = calleeDone.get(40, TimeUnit.SECONDS);
            if (!a.connected() || !b.connected()) {
                System.err.println(room + " failed: " + (a.failure() != null ? a.failure() : b.failure()));
                return -1;
            }
            return callguide.app.Demo.setupMillis(a, b);
        } catch (Exception e) {
            System.err.println(room + " failed: " + e);
            return -1;
        } finally {
            caller.close();
            callee.close();
        }
    }

    private static Map<String, Object> sample(int calls, boolean json) {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("after_calls", calls);
        s.put("rss_mb", Percentiles.round(procStatus("VmRSS:") / 1024.0));
        s.put("heap_used_mb", Percentiles.round((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
        s.put("threads", Thread.activeCount());
        s.put("native_threads", (int) procStatus("Threads:"));
        s.put("open_files", openFiles());
        (json ? System.err : System.out).println("after " + calls + " calls: " + s);
        return s;
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return -1;
    }

    private static long openFiles() {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
