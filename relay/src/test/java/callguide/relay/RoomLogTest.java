package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import callguide.kit.signal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The room log keeps a reference to each forwarded payload and works out its detail only when the live view looks:
 * what the view shows is what working it out at once showed, and what the log keeps stays bounded.
 */
@DisplayName("The room log: details when the live view looks, payloads kept within a bound")
class RoomLogTest {
    private static final String CANDIDATE =
            "candidate:1 1 udp 2122260223 192.168.1.23 54321 typ srflx raddr 10.0.0.5 rport 40000 generation 0";

    /** An SDP of about {@code size} chars with an audio and a video section, as a browser's offer has. */
    private static String sdp(int size) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
        while (sdp.length() < size) {
            sdp.append("a=rtcp-fb:96 goog-remb\r\n");
        }
        return sdp.toString();
    }

    /** A whole call as the log sees it: type and payload text of each forwarded message, in order. */
    private static List<String[]> call() {
        List<String[]> call = new ArrayList<>();
        call.add(new String[] {"call", null});
        call.add(new String[] {"accept", "{}"});
        call.add(new String[] {"offer", Json.write(Map.of("type", "offer", "sdp", sdp(6000)))});
        call.add(new String[] {"answer", Json.write(Map.of("type", "answer", "sdp", sdp(5000)))});
        for (int i = 0; i < 30; i++) {
            call.add(new String[] {
                "candidate", Json.write(Map.of("candidate", CANDIDATE + " " + i, "sdpMid", "0", "sdpMLineIndex", 0))
            });
        }
        call.add(new String[] {"x-state", Json.write(Map.of("kind", "ice", "value", "connected 10.1.2.3"))});
        call.add(new String[] {"x-note", Json.write(Map.of("text", "hello"))});
        call.add(new String[] {"hangup", null});
        return call;
    }

    @Test
    @DisplayName("shows a whole call's details as they were worked out at once: SDP sections, candidate lines, states")
    void wholeCall() {
        RoomLog log = new RoomLog();
        log.add("joined", "a", null, "websocket");
        List<String[]> call = call();
        for (String[] message : call) {
            log.forwarded(message[0], "a", "b", message[1], null);
        }
        List<Map<String, Object>> entries = log.entries(0, true);
        assertThat(entries).as("entries of the call").hasSize(call.size() + 1);
        List<Object> details =
                entries.stream().skip(1).map(e -> e.get("detail")).toList();
        List<Object> atOnce =
                call.stream().map(m -> (Object) RoomLog.detail(m[0], m[1])).toList();
        assertThat(details).as("details worked out on a look").isEqualTo(atOnce);
        assertThat(details.get(2)).as("the offer's detail").isEqualTo("m=audio m=video");
        assertThat(details.get(4)).as("a candidate's detail").isEqualTo(CANDIDATE + " 0");
        assertThat(log.entries(0, false).get(5).get("detail"))
                .as("a candidate's detail, addresses redacted")
                .isEqualTo("candidate:1 1 udp 2122260223 [address] [port] typ srflx raddr [address] rport [port] "
                        + "generation 0 0");
        assertThat(log.entries(0, false).get(call.size() - 2).get("detail"))
                .as("an x-state's detail, its address redacted")
                .isEqualTo("ice connected [address]");
        assertThat(log.keptChars())
                .as("payload chars kept once every detail was worked out")
                .isZero();
        assertThat(log.entries(0, true).stream()
                        .skip(1)
                        .map(e -> e.get("detail"))
                        .toList())
                .as("details on a second look, kept from the first")
                .isEqualTo(atOnce);
    }

    @Test
    @DisplayName("keeps payloads until the view looks, within its bound: 500 offers of 4 KB leave the newest")
    void bounded() {
        RoomLog log = new RoomLog();
        String offer = Json.write(Map.of("type", "offer", "sdp", sdp(4000)));
        for (int i = 0; i < 500; i++) {
            log.forwarded("offer", "a", "b", offer, null);
            assertThat(log.keptChars())
                    .as("payload chars kept after %d offers", i + 1)
                    .isLessThanOrEqualTo(RoomLog.KEPT_CHARS)
                    .isEqualTo((long) offer.length() * Math.min(i + 1, RoomLog.KEPT_CHARS / offer.length()));
        }
        List<Map<String, Object>> entries = log.entries(0, true);
        assertThat(entries).as("entries kept").hasSize(RoomLog.LIMIT);
        int withDetail = RoomLog.KEPT_CHARS / offer.length();
        List<Object> expected = new ArrayList<>(java.util.Collections.nCopies(RoomLog.LIMIT - withDetail, null));
        expected.addAll(java.util.Collections.nCopies(withDetail, "m=audio m=video"));
        assertThat(entries.stream().map(e -> e.get("detail")).toList())
                .as(
                        "details: none for the oldest, whose payloads went; the SDP's sections for the newest %d",
                        withDetail)
                .isEqualTo(expected);
    }

    @Test
    @DisplayName("keeps at most its relay-wide bound of payloads over all rooms; a room gone gives its share back")
    void boundedInAll() {
        java.util.concurrent.atomic.AtomicLong inAll = new java.util.concurrent.atomic.AtomicLong();
        String offer = Json.write(Map.of("type", "offer", "sdp", sdp(4000)));
        List<RoomLog> logs = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            RoomLog log = new RoomLog(new java.util.concurrent.atomic.AtomicLong()::incrementAndGet, inAll);
            logs.add(log);
            for (int i = 0; i < 10; i++) {
                log.forwarded("offer", "a", "b", offer, null);
            }
            assertThat(inAll.get())
                    .as("payload chars kept by %d rooms of 10 offers", r + 1)
                    .isLessThanOrEqualTo(RoomLog.KEPT_IN_ALL)
                    .isEqualTo(logs.stream().mapToLong(RoomLog::keptChars).sum());
        }
        assertThat(inAll.get()).as("the bound reached").isGreaterThan(RoomLog.KEPT_IN_ALL - offer.length());
        long share = logs.get(0).keptChars();
        assertThat(share).as("what the first room still keeps").isPositive();
        logs.get(0).forget();
        assertThat(logs.get(0).keptChars()).isZero();
        assertThat(inAll.get())
                .as("kept in all once the first room is forgotten")
                .isEqualTo(logs.stream().mapToLong(RoomLog::keptChars).sum());
        logs.get(1).forwarded("offer", "a", "b", offer, null);
        assertThat(logs.get(1).entries(0, true).get(10).get("detail"))
                .as("a new offer's detail, with room made by the room gone")
                .isEqualTo("m=audio m=video");
    }
}
