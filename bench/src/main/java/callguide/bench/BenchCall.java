package callguide.bench;

import callguide.app.Demo;
import callguide.app.Flags;
import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.kit.ice.IceProfile;
import callguide.kit.signal.Json;
import callguide.kit.timeline.EventKind;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./workshop bench call [--calls N] [--warmup W] [--json]}: N calls through the relay, caller and callee
 * in separate JVMs as in the demo, after one warm-up call ({@code --warmup W} for more: the JIT
 * keeps speeding the Java side up for some 40 calls). The two JVMs start once and make every
 * call, each with new peer connections, so the figures are those of warm processes (a cold JVM's
 * first call is what {@code ./workshop demo} shows); then, in the same run, the floor: the
 * same two peers in one JVM exchanging everything in memory. Reports createOffer to both sides
 * connected and to the first remote frame (the later side's), and the ratio relay/floor of the
 * set-up medians.
 */
public final class BenchCall {

    private BenchCall() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args, "calls", "warmup");
        int calls = Integer.parseInt(flags.getOrDefault("calls", "20"));
        int warmup = Integer.parseInt(flags.getOrDefault("warmup", "1"));
        boolean json = flags.containsKey("json");
        List<Double> setup = new ArrayList<>();
        List<Double> firstFrame = new ArrayList<>();
        List<Double> floorSetup = new ArrayList<>();
        List<Double> floorFrame = new ArrayList<>();
        int failed = 0;
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0))) {
            progress(
                    json,
                    "relay on %s; two peer JVMs for %d warm-up call(s) and %d measured calls",
                    relay.url(),
                    warmup,
                    calls);
            List<Demo.Result> results = Demo.runSeries(relay, warmup + calls, null);
            for (int i = 1; i <= calls; i++) {
                Demo.Result result = results.get(warmup + i - 1);
                if (!result.connected()) {
                    failed++;
                    progress(
                            json,
                            "call %d failed: %s / %s",
                            i,
                            result.caller().failure(),
                            result.callee().failure());
                    continue;
                }
                setup.add(result.setupMs());
                firstFrame.add(firstFrameMillis(result.caller(), result.callee()));
                progress(
                        json,
                        "call %2d: set-up %.1f ms, first frame %.1f ms",
                        i,
                        result.setupMs(),
                        firstFrame.get(firstFrame.size() - 1));
            }
            IceProfile profile = IceProfile.loopback(relay.stunPort());
            for (int i = 0; i < warmup; i++) {
                FloorCall.run(profile); // warm-up, as for the relayed calls
            }
            for (int i = 1; i <= calls; i++) {
                FloorCall.Timing timing = FloorCall.run(profile);
                floorSetup.add(timing.setupMs());
                floorFrame.add(timing.firstFrameMs());
            }
        }
        Percentiles relayed = Percentiles.of(setup);
        Percentiles frames = Percentiles.of(firstFrame);
        Percentiles floor = Percentiles.of(floorSetup);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("calls", calls);
            out.put("warmup_calls", warmup);
            out.put("failed", failed);
            out.put("setup_ms", relayed.json());
            out.put("first_frame_ms", frames.json());
            out.put("floor_setup_ms", floor.json());
            out.put("floor_first_frame_ms", Percentiles.of(floorFrame).json());
            out.put("ratio_median", Math.round(relayed.median() / floor.median() * 100) / 100.0);
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } else {
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "through the relay, two warm JVMs (%d calls after %d warm-up, %d failed)%n",
                    calls,
                    warmup,
                    failed);
            System.out.println("  createOffer -> both connected:   " + relayed);
            System.out.println("  createOffer -> first frame:      " + frames);
            System.out.println("floor: one JVM, in memory, no relay");
            System.out.println("  createOffer -> both connected:   " + floor);
            System.out.println("  createOffer -> first frame:      " + Percentiles.of(floorFrame));
            System.out.printf(
                    Locale.ROOT,
                    "ratio relay/floor of the set-up medians: %.2f (target < 1.5; median target < 100 ms)%n",
                    relayed.median() / floor.median());
        }
        System.out.flush();
        Runtime.getRuntime().halt(failed == 0 ? 0 : 1);
    }

    /** From the caller's createOffer to the later side's first remote video frame. */
    static double firstFrameMillis(CallReport caller, CallReport callee) {
        double offer = caller.startedEpochMs() + caller.firstAt(EventKind.CALL, "create-offer");
        double callerFrame = caller.startedEpochMs() + caller.firstAt(EventKind.CALL, CallPeer.FIRST_FRAME);
        double calleeFrame = callee.startedEpochMs() + callee.firstAt(EventKind.CALL, CallPeer.FIRST_FRAME);
        return Math.max(callerFrame, calleeFrame) - offer;
    }

    private static void progress(boolean json, String format, Object... args) {
        (json ? System.err : System.out).printf(Locale.ROOT, format + "%n", args);
    }
}
