package callguide.app;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.Todo;
import callguide.kit.ice.IceConfig;
import callguide.kit.ice.IceProfile;
import callguide.kit.rtc.Stats;
import callguide.kit.signal.Json;
import callguide.kit.signal.transport.RelayHttp;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.kit.timeline.TimelineEvent;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One peer of a call as a process of its own:
 * {@code PeerMain --relay URL --room R --peer ID --role caller|callee [--fingerprint FP] [--json]}.
 * Everything about ICE comes from the relay's {@code GET /config}, as it does for a browser: the
 * servers (STUN, TURN with credentials), the transport policy, and whether to use the loopback
 * profile. {@code --stun-port P} overrides that with the loopback profile on STUN port P.
 * {@code --fingerprint} pins the certificate of a relay serving HTTPS (its SHA-256, as the relay
 * prints it at start).
 *
 * <p>Prints its timeline as it goes and a summary at the end. Exits 0 when the call came up here
 * (connected, media arrived), also when the other side then hung up; 1 when it did not; 2 on bad
 * flags or a relay it cannot use. Once up, it stays in the call until the other side says media
 * arrived there, hangs up or leaves, or {@code --linger S} seconds pass (default 5), then hangs up.
 * With {@code --events}, prints one JSON line per event ({@code EVENT {...}}) and the report
 * ({@code REPORT {...}}), for {@link Demo} to read; with {@code --report}, only the report line
 * (no work per event on the call's path: what {@code bench call} uses).
 *
 * <p>With {@code --calls N} the process makes N calls one after another, each with a new peer
 * connection in room {@code ROOM-1} ... {@code ROOM-N}, and prints a report after each: this is
 * how {@code bench call} measures calls between two warm processes.
 */
public final class PeerMain {

    static final String USAGE =
            "usage: ./workshop peer --relay http(s)://HOST:PORT --room ROOM --peer ID --role caller|callee"
                    + " [--fingerprint SHA256] [--timeout S] [--linger S] [--stay S] [--voice-only] [--calls N]"
                    + " [--stun-port P] [--json] [--mine]";

    private PeerMain() {}

    public static void main(String[] args) {
        Map<String, String> flags;
        try {
            flags = Flags.parse(
                    args,
                    "relay",
                    "room",
                    "peer",
                    "role",
                    "stun-port",
                    "timeout",
                    "calls",
                    "linger",
                    "stay",
                    "fingerprint");
        } catch (IllegalArgumentException e) {
            usageError(e.getMessage());
            return;
        }
        boolean events = flags.containsKey("events");
        boolean reportOnly = flags.containsKey("report");
        boolean json = flags.containsKey("json");
        URI relay;
        Role role;
        Duration timeout;
        Duration linger;
        Duration stay;
        int calls;
        String room;
        try {
            relay = relayUri(Flags.required(flags, "relay"), flags.get("fingerprint"));
            role = Role.parse(Flags.required(flags, "role"));
            room = Flags.required(flags, "room");
            timeout = Duration.ofSeconds(Flags.number(flags, "timeout", 30, 1, 3600));
            linger = Duration.ofSeconds(Flags.number(flags, "linger", 5, 0, 3600));
            stay = Duration.ofSeconds(Flags.number(flags, "stay", 0, 0, 3600));
            calls = (int) Flags.number(flags, "calls", 1, 1, 100_000);
        } catch (IllegalArgumentException e) {
            usageError(e.getMessage());
            return;
        }
        try {
            IceProfile profile = flags.containsKey("stun-port")
                    ? IceProfile.loopback((int) Flags.number(flags, "stun-port", 3478, 1, 65535))
                    : IceConfig.fetch(relay, Duration.ofSeconds(Math.min(10, timeout.toSeconds())))
                            .profile();
            boolean allConnected = true;
            for (int i = 1; i <= calls; i++) {
                CallPeer.Options options = CallPeer.Options.of(
                                role,
                                relay,
                                calls == 1 ? room : room + "-" + i,
                                flags.getOrDefault("peer", role.label()),
                                profile,
                                FiveSteps.TRICKLE)
                        .withVoiceOnly(flags.containsKey("voice-only"))
                        .withTimeout(timeout);
                CallReport report = call(options, linger, stay, events, reportOnly, json);
                allConnected &= report.connected();
            }
            System.out.flush();
            // Native threads of webrtc-java keep the JVM alive: exit explicitly.
            Runtime.getRuntime().halt(allConnected ? 0 : 1);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("peer: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(2);
        } catch (Exception e) {
            System.err.println("peer failed: " + e);
            System.err.flush();
            Runtime.getRuntime().halt(2);
        }
    }

    private static void usageError(String message) {
        System.err.println("peer: " + message);
        System.err.println(USAGE);
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }

    /** The relay's address, with the certificate pinned when a fingerprint is given. */
    static URI relayUri(String relay, String fingerprint) {
        URI uri;
        try {
            uri = URI.create(relay.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--relay " + relay + " is not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--relay takes http://HOST:PORT or https://HOST:PORT, not " + relay);
        }
        if (fingerprint != null) {
            if (!"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "--fingerprint pins the certificate of an https relay; " + relay + " is plain http");
            }
            return RelayHttp.pin(uri, fingerprint);
        }
        return uri;
    }

    /** One call, start to hang-up; prints its timeline (unless {@code json}) and its report. */
    private static CallReport call(
            CallPeer.Options options, Duration linger, Duration stay, boolean events, boolean reportOnly, boolean json)
            throws Exception {
        CallTimeline timeline = new CallTimeline(options.role().label());
        if (!json && !reportOnly) {
            timeline.addListener(event -> System.out.println(events ? "EVENT " + eventJson(event, timeline) : event));
        }
        CallReport report;
        try (CallPeer peer = new CallPeer(options, timeline)) {
            timeline.record(EventKind.CALL, "ice " + options.profile().describe());
            report = peer.start().get(options.timeout().toSeconds() + 5, TimeUnit.SECONDS);
            if (report.connected() && !stay.isZero()) {
                stay(peer, stay);
            } else if (report.connected()) {
                // Hanging up at once could cut the other side short of its own media.
                peer.untilDone(linger).get(linger.toSeconds() + 5, TimeUnit.SECONDS);
                String endedBy = peer.otherEnded().getNow(null);
                if (endedBy != null && report.endedBy() == null) {
                    report = report.endedBy(endedBy);
                }
            }
        }
        if (events || reportOnly) {
            System.out.println("REPORT " + Json.write(report));
        } else if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            System.out.println(
                    report.connected()
                            ? "connected: " + report.videoFramesReceived() + " video frames, " + report.audioCallbacks()
                                    + " audio callbacks received; selected pair " + report.pairText()
                                    + (report.endedBy() != null ? "; call ended: " + report.endedBy() : "")
                            : "not connected: " + report.failure()
                                    + Todo.fromMessage(report.failure())
                                            .map(todo -> System.lineSeparator() + todo.next())
                                            .orElse(""));
            if (report.connected()) {
                Stats.prflxNote(report.pairText()).ifPresent(note -> System.out.println("(" + note + ")"));
            }
        }
        return report;
    }

    /**
     * {@code --stay S}: the call kept up S seconds (or until the other side ends it), its quality recorded each second
     * from stats: the frames received in that second, round-trip time, packets lost, frames per second, jitter.
     */
    private static void stay(CallPeer peer, Duration stay) throws Exception {
        QualityWatch.watch(
                stay, peer.otherEnded(), (p, line) -> p.timeline().record(EventKind.CALL, "quality: " + line), peer);
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
