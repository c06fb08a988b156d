package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The live view: cheap, incremental, redacted, and protected beyond loopback")
class RelayLiveViewTest {
    private static final String CANDIDATE =
            "candidate:1 1 udp 2122260223 192.168.1.23 54321 typ srflx raddr 10.0.0.5 rport 40000 generation 0";

    private static Rooms busyRooms(int count, int messagesEach) {
        Rooms rooms = new Rooms(
                RelayConfig.defaults().withCaps(Caps.generous()).withMaxRooms(10_000),
                Runnable::run,
                new QueueBudget(1L << 30));
        PeerMessage candidate = new PeerMessage(
                "candidate",
                null,
                callguide.kit.signal.Json.write(Map.of("candidate", CANDIDATE, "sdpMid", "0", "sdpMLineIndex", 0)));
        for (int r = 0; r < count; r++) {
            Peer a = rooms.join("busy-" + r, "a", new DiscardingOutbox(), "192.0.2." + (r % 250));
            rooms.join("busy-" + r, "b", new DiscardingOutbox(), "198.51.100." + (r % 250));
            for (int m = 0; m < messagesEach; m++) {
                rooms.send(a, candidate);
            }
        }
        return rooms;
    }

    @Nested
    @DisplayName("with 1,000 busy rooms")
    class Bounded {
        @Test
        @DisplayName("answers at most its byte budget, catches up in pages without losing or skipping an entry, and "
                + "then answers almost nothing")
        void pages() throws Exception {
            Rooms rooms = busyRooms(1000, 300);
            long since = 0;
            int pages = 0;
            long bytes = 0;
            Map<String, Long> lastSeen = new java.util.HashMap<>();
            Set<Long> entries = new HashSet<>();
            boolean more = true;
            while (more) {
                String answer = rooms.view(since, Pages.LIVE_VIEW_BUDGET, false);
                assertThat(answer.length())
                        .as("page %d of the live view (budget %d)", pages, Pages.LIVE_VIEW_BUDGET)
                        .isLessThanOrEqualTo(Pages.LIVE_VIEW_BUDGET + 64 * 1024);
                JsonNode view = TestClient.JSON.readTree(answer);
                for (JsonNode room : view.path("rooms")) {
                    for (JsonNode m : room.path("messages")) {
                        entries.add(m.path("seq").asLong());
                        lastSeen.merge(room.path("room").asText(), m.path("seq").asLong(), Math::max);
                    }
                }
                assertThat(view.path("seq").asLong())
                        .as("the live view's seq moves on with each page")
                        .isGreaterThan(since);
                since = view.path("seq").asLong();
                more = view.path("more").asBoolean();
                bytes += answer.length();
                pages++;
                assertThat(pages).as("pages to catch up with 1,000 rooms").isLessThan(1000);
            }
            assertThat(lastSeen).as("rooms the pages showed").hasSize(1000);
            assertThat(entries)
                    .as("entries shown: the last %d of each room's, every one", RoomLog.LIMIT)
                    .hasSize(1000 * RoomLog.LIMIT);
            String idle = rooms.view(since, Pages.LIVE_VIEW_BUDGET, false);
            assertThat(idle.length())
                    .as("an answer once caught up, with nothing new: %s", idle)
                    .isLessThan(100);
            System.out.printf(
                    "live view, 1,000 rooms x %d entries: %d pages, %d KB to catch up, then %d bytes a poll%n",
                    RoomLog.LIMIT, pages, bytes / 1024, idle.length());
        }

        @Test
        @DisplayName("shows no candidate's address unless asked to")
        void redacted() throws Exception {
            Rooms rooms = busyRooms(1, 3);
            String hidden = rooms.view(0, Pages.LIVE_VIEW_BUDGET, false);
            assertThat(hidden)
                    .as("the live view, addresses redacted")
                    .doesNotContain("192.168.1.23")
                    .doesNotContain("10.0.0.5")
                    .doesNotContain("54321")
                    .contains("[address] [port] typ srflx raddr [address] rport [port]");
            assertThat(rooms.view(0, Pages.LIVE_VIEW_BUDGET, true))
                    .as("the live view with --live-view-addresses")
                    .contains("192.168.1.23 54321");
        }
    }

    @Nested
    @DisplayName("over HTTP")
    class OverHttp {
        @Test
        @DisplayName("on loopback is open by default, and incremental: since its last seq it gets only what is new")
        void openOnLoopback() throws Exception {
            try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
                    TestClient a = TestClient.join("websocket", relay, "live", "a");
                    TestClient b = TestClient.join("polling", relay, "live", "b")) {
                assertThat(relay.liveView())
                        .as("the live view's mode on loopback")
                        .isEqualTo(Access.LiveView.OPEN);
                a.next("peer-joined");
                JsonNode first = rooms(relay, 0, null);
                assertThat(first.path("rooms").get(0).path("messages"))
                        .as("the first look: both joins")
                        .hasSize(2);
                a.send("candidate", Map.of("candidate", CANDIDATE, "sdpMid", "0", "sdpMLineIndex", 0));
                b.next("candidate");
                JsonNode next = rooms(relay, first.path("seq").asLong(), null);
                assertThat(next.path("rooms").get(0).path("messages"))
                        .as("the next look: only the candidate")
                        .hasSize(1);
                assertThat(next.path("rooms")
                                .get(0)
                                .path("messages")
                                .get(0)
                                .path("detail")
                                .asText())
                        .as("its detail, redacted")
                        .doesNotContain("192.168.1.23")
                        .contains("[address]");
                // An answer's seq may lag an entry it already holds (PROTOCOL.md: clients skip the numbers
                // they have): ask from the newest number seen, as the live view's page does.
                long seen = next.path("seq").asLong();
                for (JsonNode message : next.path("rooms").get(0).path("messages")) {
                    seen = Math.max(seen, message.path("seq").asLong());
                }
                assertThat(rooms(relay, seen, null).path("rooms"))
                        .as("a look with nothing new")
                        .isEmpty();
            }
        }

        @Test
        @DisplayName("beyond loopback (--live-view secret) needs the key printed at start: 403 without it, the view "
                + "with ?key= or the header")
        void secret() throws Exception {
            try (Relay relay = Relay.start(RelayConfig.defaults()
                    .withPort(0)
                    .withStunPort(-1)
                    .withAccess(Access.defaults().withLiveView(Access.LiveView.SECRET)))) {
                String key = relay.liveViewSecret();
                assertThat(key).as("the key of a secret live view").isNotBlank();
                assertThat(status(relay, "/api/rooms", null))
                        .as("/api/rooms without the key")
                        .isEqualTo(403);
                assertThat(status(relay, "/api/rooms?key=wrong", null))
                        .as("/api/rooms with a wrong key")
                        .isEqualTo(403);
                assertThat(status(relay, "/", null))
                        .as("the live view page without the key")
                        .isEqualTo(403);
                assertThat(status(relay, "/?key=" + key, null))
                        .as("the live view page with ?key=")
                        .isEqualTo(200);
                assertThat(status(relay, "/api/rooms", key))
                        .as("/api/rooms with the key as X-Live-View-Key")
                        .isEqualTo(200);
                assertThat(status(relay, "/call.html", null))
                        .as("the call page needs no key")
                        .isEqualTo(200);
                assertThat(RelayMain.liveViewLine(relay))
                        .as("what the relay prints at start")
                        .contains("/?key=" + key);
            }
        }

        @Test
        @DisplayName("is the default beyond loopback: --host 0.0.0.0 gives a secret live view, --live-view open|off "
                + "change it")
        void defaults() {
            assertThat(RelayMain.parse("--host", "0.0.0.0").access().liveViewFor("0.0.0.0"))
                    .as("beyond loopback")
                    .isEqualTo(Access.LiveView.SECRET);
            assertThat(RelayMain.parse().access().liveViewFor("127.0.0.1"))
                    .as("on loopback")
                    .isEqualTo(Access.LiveView.OPEN);
            assertThat(RelayMain.parse("--host", "0.0.0.0", "--live-view", "open")
                            .access()
                            .liveViewFor("0.0.0.0"))
                    .as("--live-view open")
                    .isEqualTo(Access.LiveView.OPEN);
            assertThat(RelayMain.parse("--live-view=off").access().liveView())
                    .as("--live-view=off")
                    .isEqualTo(Access.LiveView.OFF);
        }

        @Test
        @DisplayName("can be turned off: / and /api/rooms answer 404, the call page and signalling still work")
        void off() throws Exception {
            try (Relay relay = Relay.start(RelayConfig.defaults()
                    .withPort(0)
                    .withStunPort(-1)
                    .withAccess(Access.defaults().withLiveView(Access.LiveView.OFF)))) {
                assertThat(status(relay, "/api/rooms", null))
                        .as("/api/rooms, live view off")
                        .isEqualTo(404);
                assertThat(status(relay, "/", null)).as("/, live view off").isEqualTo(404);
                assertThat(status(relay, "/call.html", null))
                        .as("the call page")
                        .isEqualTo(200);
                Attacks.freshExchange(relay);
            }
        }

        @Test
        @DisplayName("20 tabs polling it flat out while 200 rooms are busy: a fresh exchange still completes in time, "
                + "answers stay within the budget")
        void twentyTabs() throws Exception {
            try (Relay relay = Relay.start(
                    RelayConfig.defaults().withPort(0).withStunPort(-1).withCaps(Caps.generous()))) {
                List<TestClient> peers = new ArrayList<>();
                try {
                    for (int r = 0; r < 100; r++) {
                        TestClient a = TestClient.join("websocket", relay, "tabs-" + r, "a");
                        TestClient b = TestClient.join("websocket", relay, "tabs-" + r, "b");
                        peers.add(a);
                        peers.add(b);
                        for (int m = 0; m < 50; m++) {
                            a.send(
                                    "candidate",
                                    Map.of(
                                            "candidate",
                                            CANDIDATE + " " + "x".repeat(100),
                                            "sdpMid",
                                            "0",
                                            "sdpMLineIndex",
                                            0));
                        }
                    }
                    AtomicBoolean stop = new AtomicBoolean();
                    AtomicLong largest = new AtomicLong();
                    AtomicLong answers = new AtomicLong();
                    List<CompletableFuture<Void>> tabs = new ArrayList<>();
                    for (int t = 0; t < 20; t++) {
                        tabs.add(CompletableFuture.runAsync(() -> {
                            long since = 0;
                            while (!stop.get()) {
                                try {
                                    HttpResponse<String> r = TestClient.HTTP.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(relay.url() + "/api/rooms?since=" + since))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString());
                                    largest.accumulateAndGet(r.body().length(), Math::max);
                                    answers.incrementAndGet();
                                    since = TestClient.JSON
                                            .readTree(r.body())
                                            .path("seq")
                                            .asLong();
                                } catch (Exception e) {
                                    throw new AssertionError("a tab's poll failed: " + e, e);
                                }
                            }
                        }));
                    }
                    try {
                        for (int i = 0; i < 3; i++) {
                            Attacks.freshExchange(relay);
                        }
                    } finally {
                        stop.set(true);
                    }
                    assertThat(CompletableFuture.allOf(tabs.toArray(CompletableFuture[]::new)))
                            .as("the tabs")
                            .succeedsWithin(Duration.ofSeconds(10));
                    assertThat(largest.get())
                            .as("the largest live view answer in %d", answers.get())
                            .isLessThanOrEqualTo(Pages.LIVE_VIEW_BUDGET + 64 * 1024);
                } finally {
                    for (TestClient p : peers) {
                        p.close();
                    }
                }
            }
        }
    }

    private static JsonNode rooms(Relay relay, long since, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.url() + "/api/rooms?since=" + since));
        if (key != null) {
            request.header("X-Live-View-Key", key);
        }
        HttpResponse<String> response = TestClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("/api/rooms?since=%d", since).isEqualTo(200);
        return TestClient.JSON.readTree(response.body());
    }

    private static int status(Relay relay, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.url() + path));
        if (key != null) {
            request.header("X-Live-View-Key", key);
        }
        return TestClient.HTTP
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
