package callguide.app;

import callguide.kit.ice.IceProfile;
import callguide.kit.signal.Json;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.TimelineEvent;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One peer of a call as a process of its own:
 * {@code PeerMain --relay http://127.0.0.1:8787 --room R --peer ID --role caller|callee [--stun-port P] [--json]};
 * without {@code --stun-port} the relay's {@code GET /config} names it.
 * Prints its timeline as it goes and a summary at the end; exits 0 only if the call came up with
 * media both ways. With {@code --events}, prints one JSON line per event ({@code EVENT {...}})
 * and the report ({@code REPORT {...}}), for {@link Demo} to read; with {@code --report}, only the
 * report line (no work per event on the call's path: what {@code bench call} uses).
 *
 * <p>With {@code --calls N} the process makes N calls one after another, each with a new peer
 * connection in room {@code ROOM-1} ... {@code ROOM-N}, and prints a report after each: this is
 * how {@code bench call} measures calls between two warm processes.
 */
public final class PeerMain {

    private PeerMain() {
    }

    public static void main(String[] args) {
        Map<String, String> flags = Flags.parse(args, "relay", "room", "peer", "role", "stun-port", "timeout", "calls");
        boolean events = flags.containsKey("events");
        boolean reportOnly = flags.containsKey("report");
        boolean json = flags.containsKey("json");
        try {
            URI relay = URI.create(Flags.required(flags, "relay"));
            Role role = Role.parse(Flags.required(flags, "role"));
            int stunPort = flags.containsKey("stun-port") ? Integer.parseInt(flags.get("stun-port")) : stunPortOf(relay);
            IceProfile profile = IceProfile.loopback(stunPort);
            int calls = Integer.parseInt(flags.getOrDefault("calls", "1"));
            if (calls < 1) {
                throw new IllegalArgumentException("--calls must be at least 1");
            }
            String room = Flags.required(flags, "room");
            boolean allConnected = true;
            for (int i = 1; i <= calls; i++) {
                CallPeer.Options options = CallPeer.Options.of(role, relay, calls == 1 ? room : room + "-" + i,
                                flags.getOrDefault("peer", role.label()), profile)
                        .withVoiceOnly(flags.containsKey("voice-only"))
                        .withTimeout(Duration.ofSeconds(Long.parseLong(flags.getOrDefault("timeout", "30"))));
                CallReport report = call(options, events, reportOnly, json);
                allConnected &= report.connected();
            }
            System.out.flush();
            // Native threads of webrtc-java keep the JVM alive: exit explicitly.
            Runtime.getRuntime().halt(allConnected ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("peer: " + e.getMessage());
            System.err.println("usage: ./workshop peer --relay http://HOST:PORT --room ROOM --peer ID --role caller|callee"
                    + " [--stun-port P] [--timeout S] [--voice-only] [--calls N] [--json] [--mine]");
            System.err.flush();
            Runtime.getRuntime().halt(2);
        } catch (Exception e) {
            System.err.println("peer failed: " + e);
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
    }

    /** One call, start to hang-up; prints its timeline (unless {@code json}) and its report. */
    private static CallReport call(CallPeer.Options options, boolean events, boolean reportOnly, boolean json)
            throws Exception {
        CallTimeline timeline = new CallTimeline(options.role().label());
        if (!json && !reportOnly) {
            timeline.addListener(event -> System.out.println(events ? "EVENT " + eventJson(event, timeline) : event));
        }
        CallReport report;
        try (CallPeer peer = new CallPeer(options, timeline)) {
            report = peer.start().get(options.timeout().toSeconds() + 5, TimeUnit.SECONDS);
        }
        if (events || reportOnly) {
            System.out.println("REPORT " + Json.write(report));
        } else if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            System.out.println(report.connected()
                    ? "connected: " + report.videoFramesReceived() + " video frames, " + report.audioCallbacks()
                    + " audio callbacks received; selected pair " + report.pairText()
                    : "not connected: " + report.failure());
        }
        return report;
    }

    /**
     * The relay's STUN port from its {@code GET /config} ({@code {"iceServers": [{"urls":
     * ["stun:127.0.0.1:3478"]}]}}), so that a peer needs nothing but the relay's address.
     */
    static int stunPortOf(URI relay) throws Exception {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
        java.net.http.HttpResponse<String> response;
        try {
            response = http.send(java.net.http.HttpRequest.newBuilder(relay.resolve("/config"))
                            .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot reach the relay at " + relay + " (GET /config: " + e
                    + "): is ./workshop relay running there?", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(relay + "/config answered " + response.statusCode() + ": give --stun-port");
        }
        for (var server : Json.MAPPER.readTree(response.body()).path("iceServers")) {
            for (var url : server.path("urls")) {
                String u = url.asText();
                if (u.startsWith("stun:")) {
                    return Integer.parseInt(u.substring(u.lastIndexOf(':') + 1));
                }
            }
        }
        throw new IllegalStateException(relay + "/config names no STUN server: give --stun-port");
    }

    private static String eventJson(TimelineEvent event, CallTimeline timeline) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("side", event.side());
        json.put("epoch_ms", timeline.startEpochMillis() + event.atMillis());
        json.put("kind", event.kind().label());
        json.put("value", event.value());
        return Json.write(json);
    }
}
