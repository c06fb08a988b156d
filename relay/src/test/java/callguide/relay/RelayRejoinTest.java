package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A peer id can be reclaimed only by its owner")
class RelayRejoinTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static Relay relay;

    @BeforeAll
    static void start() {
        relay = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(-1)
                .withAccess(Access.defaults().withRejoinGrace(GRACE)));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("after a peer's process dies, its id is refused to anyone without its rejoin secret, and given back "
            + "with it")
    void onlyTheOwner(String transport) throws Exception {
        String room = "rejoin-" + transport;
        try (TestClient partner = TestClient.join("websocket", relay, room, "partner")) {
            partner.next("welcome");
            WsTestPeer owner = WsTestPeer.join(relay, room, "alice");
            String secret = owner.next("welcome").path("payload").path("rejoin").asText();
            assertThat(secret).as("the welcome's rejoin secret").hasSizeGreaterThanOrEqualTo(32);
            owner.abort();
            assertThat(partner.next("peer-left").path("payload").path("reason").asText())
                    .as("how alice left")
                    .isEqualTo("error");

            try (TestClient thief = TestClient.join(transport, relay, room, "alice")) {
                JsonNode refusal = thief.next();
                assertThat(refusal.path("payload").path("code").asText())
                        .as("a join for alice's id without the secret")
                        .isEqualTo("rejoin-refused");
            }
            try (TestClient thief = join(transport, room, "alice", "not-the-secret")) {
                assertThat(thief.next().path("payload").path("code").asText())
                        .as("a join with a wrong secret")
                        .isEqualTo("rejoin-refused");
            }
            try (TestClient back = join(transport, room, "alice", secret)) {
                JsonNode welcome = back.next();
                assertThat(welcome.path("type").asText())
                        .as("alice's rejoin with her secret")
                        .isEqualTo("welcome");
                assertThat(welcome.path("payload").path("rejoin").asText())
                        .as("the rejoin's new secret")
                        .isNotEqualTo(secret)
                        .isNotBlank();
                assertThat(partner.next("peer-joined")
                                .path("payload")
                                .path("peer")
                                .asText())
                        .as("the partner sees alice back")
                        .isEqualTo("alice");
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "polling"})
    @DisplayName("after a clean close the id is free at once, and after the grace period anyone may take it")
    void freeAfterCloseOrGrace(String transport) throws Exception {
        String room = "free-" + transport;
        TestClient.join(transport, relay, room, "bob").close();
        try (TestClient next = TestClient.join(transport, relay, room, "bob")) {
            assertThat(next.next().path("type").asText())
                    .as("a join for bob's id after he closed cleanly")
                    .isEqualTo("welcome");
        }
        WsTestPeer carol = WsTestPeer.join(relay, room, "carol");
        carol.abort();
        await("carol's id held, then free")
                .atMost(GRACE.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    try (TestClient next = TestClient.join(transport, relay, room, "carol")) {
                        assertThat(next.next().path("type").asText())
                                .as("a join for carol's id once the grace period is over")
                                .isEqualTo("welcome");
                    }
                });
    }

    private static TestClient join(String transport, String room, String peer, String secret) throws Exception {
        return transport.equals("websocket")
                ? WsTestPeer.connect(relay, room + "?peer=" + peer + "&rejoin=" + secret, peer)
                : PollingTestPeer.join(relay, room, peer, secret);
    }
}
