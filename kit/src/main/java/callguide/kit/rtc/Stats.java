package callguide.kit.rtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What {@code getStats} tells from the outside: the selected candidate pair, the remote
 * candidates the connection knows, the frames received. Asynchronous, as in the browser;
 * never wait for it inside a peer callback (every connection's callbacks share one thread).
 */
public final class Stats {

    private Stats() {}

    /** One end of a candidate pair, printed as {@code "srflx 127.0.0.1:50312"}. */
    public record CandidateEnd(String type, String address, int port) {
        @Override
        public String toString() {
            return type + " " + address + ":" + port;
        }
    }

    public record SelectedPair(CandidateEnd local, CandidateEnd remote) {
        @Override
        public String toString() {
            return local + " <-> " + remote;
        }
    }

    /** What a {@code prflx} end of a pair is, for a learner who meets one. */
    public static final String PRFLX = "prflx: a peer-reflexive candidate, learned from a connectivity check that"
            + " arrived before that address was signalled as a candidate";

    /** {@link #PRFLX} when any of the printed pairs has a peer-reflexive end. */
    public static Optional<String> prflxNote(String... pairs) {
        for (String pair : pairs) {
            if (pair != null && pair.contains("prflx")) {
                return Optional.of(PRFLX);
            }
        }
        return Optional.empty();
    }

    public static CompletableFuture<RTCStatsReport> report(RTCPeerConnection pc) {
        CompletableFuture<RTCStatsReport> result = new CompletableFuture<>();
        try {
            pc.getStats(result::complete);
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(5, TimeUnit.SECONDS);
    }

    /**
     * A remote end as printed ({@code "prflx ?:58634"}) named from the other side's local end
     * ({@code "prflx 127.0.0.1:58634"}): libwebrtc hides a peer-reflexive remote candidate's
     * address in stats, and when the other side's local end has that port it is the same pair,
     * seen from there. Anything else comes back unchanged.
     */
    public static String resolveRemote(String remote, String theirLocal) {
        if (remote == null || theirLocal == null || !remote.contains(" ?:")) {
            return remote;
        }
        String port = remote.substring(remote.lastIndexOf(':') + 1);
        if (!theirLocal.endsWith(":" + port) || theirLocal.indexOf(' ') < 0) {
            return remote;
        }
        String address = theirLocal.substring(theirLocal.indexOf(' ') + 1, theirLocal.lastIndexOf(':'));
        return remote.replace(" ?:", " " + address + ":");
    }

    /** The pair the transport selected, if it has one yet. */
    public static Optional<SelectedPair> selectedPair(RTCStatsReport report) {
        return selectedPair(report, List.of());
    }

    /**
     * The pair the transport selected, if it has one yet. libwebrtc hides the address of a
     * peer-reflexive remote candidate (learnt from a connectivity check before the signalled one
     * came); {@code signalled}, the remote candidate lines this side applied, names it by port.
     */
    public static Optional<SelectedPair> selectedPair(RTCStatsReport report, List<String> signalled) {
        Map<String, RTCStats> stats = report.getStats();
        String pairId = selectedPairId(stats);
        if (pairId == null) {
            return Optional.empty();
        }
        Map<String, Object> pair = stats.get(pairId).getAttributes();
        return Optional.of(new SelectedPair(
                end(stats.get((String) pair.get("localCandidateId")), stats, List.of()),
                end(stats.get((String) pair.get("remoteCandidateId")), stats, signalled)));
    }

    private static String selectedPairId(Map<String, RTCStats> stats) {
        return stats.values().stream()
                .filter(s -> s.getType() == RTCStatsType.TRANSPORT)
                .map(s -> (String) s.getAttributes().get("selectedCandidatePairId"))
                .filter(id -> id != null && stats.containsKey(id))
                .findFirst()
                .orElseGet(() -> stats.values().stream()
                        .filter(s -> s.getType() == RTCStatsType.CANDIDATE_PAIR)
                        .filter(s -> Boolean.TRUE.equals(s.getAttributes().get("nominated"))
                                && "succeeded"
                                        .equals(String.valueOf(s.getAttributes().get("state"))))
                        .map(RTCStats::getId)
                        .findFirst()
                        .orElse(null));
    }

    /**
     * How the call is doing from one side, as the browser's stats say it: the selected pair's
     * round-trip time, packets received and lost by every inbound stream, the remote video's frames
     * per second, and the inbound audio's jitter. A figure stats do not have yet is -1.
     */
    public record Quality(
            double roundTripMs, long packetsReceived, long packetsLost, double framesPerSecond, double jitterMs) {
        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "round trip %s, %d packets lost of %d (%.1f%%), %s frames/s, jitter %s",
                    roundTripMs < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.0f ms", roundTripMs),
                    packetsLost,
                    packetsLost + packetsReceived,
                    packetsLost + packetsReceived == 0 ? 0.0 : 100.0 * packetsLost / (packetsLost + packetsReceived),
                    framesPerSecond < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f", framesPerSecond),
                    jitterMs < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f ms", jitterMs));
        }
    }

    public static Quality quality(RTCStatsReport report) {
        Map<String, RTCStats> stats = report.getStats();
        String pairId = selectedPairId(stats);
        double rtt = pairId == null ? -1 : number(stats.get(pairId), "currentRoundTripTime", -1);
        long received = 0;
        long lost = 0;
        double fps = -1;
        double jitter = -1;
        for (RTCStats s : stats.values()) {
            if (s.getType() != RTCStatsType.INBOUND_RTP) {
                continue;
            }
            received += (long) number(s, "packetsReceived", 0);
            lost += (long) number(s, "packetsLost", 0);
            String kind = String.valueOf(s.getAttributes().get("kind"));
            if (kind.equals("video")) {
                fps = Math.max(fps, number(s, "framesPerSecond", -1));
            } else if (kind.equals("audio")) {
                jitter = Math.max(jitter, number(s, "jitter", -1));
            }
        }
        return new Quality(rtt < 0 ? -1 : rtt * 1000, received, lost, fps, jitter < 0 ? -1 : jitter * 1000);
    }

    private static double number(RTCStats stats, String name, double otherwise) {
        return stats != null && stats.getAttributes().get(name) instanceof Number n ? n.doubleValue() : otherwise;
    }

    /** How many remote candidates the connection holds: those added, and peer-reflexive ones it found. */
    public static long remoteCandidateCount(RTCStatsReport report, String candidateType) {
        return report.getStats().values().stream()
                .filter(s -> s.getType() == RTCStatsType.REMOTE_CANDIDATE)
                .filter(s -> candidateType == null
                        || candidateType.equals(String.valueOf(s.getAttributes().get("candidateType"))))
                .count();
    }

    /** Frames decoded by every inbound video stream. */
    public static long framesDecoded(RTCStatsReport report) {
        return report.getStats().values().stream()
                .filter(s -> s.getType() == RTCStatsType.INBOUND_RTP)
                .filter(s -> "video".equals(String.valueOf(s.getAttributes().get("kind"))))
                .map(s -> s.getAttributes().get("framesDecoded"))
                .filter(Number.class::isInstance)
                .mapToLong(n -> ((Number) n).longValue())
                .sum();
    }

    private static CandidateEnd end(RTCStats candidate, Map<String, RTCStats> stats, List<String> signalled) {
        if (candidate == null) {
            return new CandidateEnd("?", "?", 0);
        }
        Map<String, Object> a = candidate.getAttributes();
        int port = a.get("port") instanceof Number n ? n.intValue() : 0;
        Object address = a.getOrDefault("address", a.get("ip"));
        if (address == null) {
            // libwebrtc hides a peer-reflexive remote candidate's address (it was learnt from a
            // connectivity check, not signalled). The candidate signalled later for the same
            // port, if any, names it.
            address = stats.values().stream()
                    .filter(s -> s.getType() == candidate.getType())
                    .filter(s -> s.getAttributes().get("port") instanceof Number n && n.intValue() == port)
                    .map(s -> s.getAttributes()
                            .getOrDefault("address", s.getAttributes().get("ip")))
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElseGet(() -> signalled.stream()
                            .map(line -> line.split(" "))
                            .filter(f -> f.length > 5 && f[5].equals(String.valueOf(port)))
                            .map(f -> (Object) f[4])
                            .findFirst()
                            .orElse("?"));
        }
        return new CandidateEnd(String.valueOf(a.get("candidateType")), String.valueOf(address), port);
    }
}
