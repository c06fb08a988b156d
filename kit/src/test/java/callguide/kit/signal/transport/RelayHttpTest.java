package callguide.kit.signal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RelayHttp, how a relay is trusted")
class RelayHttpTest {
    private static final String HEX = "D6EB453D7A9A6D8E83CF2BE1C353157311470E0C69D46594364009D6679D9AD5";
    private static final String COLONS =
            "D6:EB:45:3D:7A:9A:6D:8E:83:CF:2B:E1:C3:53:15:73:11:47:0E:0C:69:D4:65:94:36:40:09:D6:67:9D:9A:D5";

    @Nested
    @DisplayName("pin(relay, fingerprint)")
    class Pin {

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    COLONS,
                    HEX,
                    "d6:eb:45:3d:7a:9a:6d:8e:83:cf:2b:e1:c3:53:15:73:11:47:0e:0c:69:d4:65:94:36:40:09:d6:67:9d:9a:d5",
                    "d6eb453d7a9a6d8e83cf2be1c353157311470e0c69d46594364009d6679d9ad5",
                    "  " + COLONS + " "
                })
        @DisplayName(
                "takes 64 hex digits with or without colons, in any case, and writes them as the relay prints them")
        void shapes(String fingerprint) {
            URI pinned = RelayHttp.pin(URI.create("https://127.0.0.1:8787"), fingerprint);
            assertThat(pinned)
                    .as("pin(https://127.0.0.1:8787, \"%s\")", fingerprint)
                    .isEqualTo(URI.create("https://127.0.0.1:8787#sha256=" + COLONS));
            assertThat(RelayHttp.pinOf(pinned)).as("the pin read back").contains(HEX);
            assertThat(RelayHttp.base(pinned)).as("base() leaves the pin out").isEqualTo("https://127.0.0.1:8787");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(
                strings = {
                    "",
                    "D6EB",
                    "D6:EB:45",
                    COLONS + ":00",
                    HEX + "0",
                    "Z6EB453D7A9A6D8E83CF2BE1C353157311470E0C69D46594364009D6679D9AD5",
                    "D6:EB453D7A9A6D8E83CF2BE1C353157311470E0C69D46594364009D6679D9AD5",
                    "sha256=" + HEX
                })
        @DisplayName("refuses anything else with a clear IllegalArgumentException")
        void badShapes(String fingerprint) {
            assertThatThrownBy(() -> RelayHttp.pin(URI.create("https://127.0.0.1:8787"), fingerprint))
                    .as("pin(..., \"%s\")", fingerprint)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "is not a SHA-256 fingerprint: expected 64 hex digits, with or without colons");
        }

        @Test
        @DisplayName("replaces an existing fragment, and refuses a plain http relay")
        void replacesAndNeedsHttps() {
            assertThat(RelayHttp.pin(URI.create("https://relay.example.org:8787/#old"), HEX))
                    .as("pin over an old fragment")
                    .isEqualTo(URI.create("https://relay.example.org:8787/#sha256=" + COLONS));
            assertThatThrownBy(() -> RelayHttp.pin(URI.create("http://127.0.0.1:8787"), HEX))
                    .as("a pin on http")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only an https relay can be pinned");
        }
    }

    @Nested
    @DisplayName("client(relay)")
    class Client {

        @Test
        @DisplayName("is the plain client for http and for https without a pin, and one pinned client per pin "
                + "whatever its spelling")
        void clients() {
            var plain = RelayHttp.client(URI.create("http://127.0.0.1:8787"));
            assertThat(RelayHttp.client(URI.create("https://relay.example.org")))
                    .as("https without a pin: the JDK's default trust")
                    .isSameAs(plain);
            var pinned = RelayHttp.client(URI.create("https://127.0.0.1:8787#sha256=" + COLONS));
            assertThat(pinned).as("a pinned client").isNotSameAs(plain);
            assertThat(pinned.sslContext().getProtocol())
                    .as("the pinned client's SSLContext")
                    .isEqualTo("TLS");
            assertThat(RelayHttp.client(URI.create("https://127.0.0.2:9999#SHA256=" + HEX.toLowerCase())))
                    .as("the same pin, spelled otherwise, for another address: the same cached client")
                    .isSameAs(pinned);
            assertThat(RelayHttp.client(URI.create("https://127.0.0.1:8787#sha256=" + "00".repeat(32))))
                    .as("another pin: another client")
                    .isNotSameAs(pinned);
        }

        @Test
        @DisplayName("refuses a fragment that is not a pin, a pin on http, and a scheme that is not http(s)")
        void refusals() {
            assertThatThrownBy(() -> RelayHttp.client(URI.create("https://127.0.0.1:8787#fingerprint")))
                    .as("a fragment that is not #sha256=")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a certificate pin");
            assertThatThrownBy(() -> RelayHttp.client(URI.create("https://127.0.0.1:8787#sha256=ABCD")))
                    .as("a short pin")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64 hex digits");
            assertThatThrownBy(() -> RelayHttp.client(URI.create("http://127.0.0.1:8787#sha256=" + HEX)))
                    .as("a pin on http")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs an https relay");
            assertThatThrownBy(() -> RelayHttp.client(URI.create("ftp://127.0.0.1:8787")))
                    .as("ftp")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("http:// or https://");
        }
    }

    @Test
    @DisplayName("a WebSocket goes to ws:// for an http relay and wss:// for an https one, without the pin")
    void webSocketScheme() {
        assertThat(WebSocketRelayClient.webSocketUri(URI.create("http://127.0.0.1:8787/"), "r1", "alice"))
                .as("the WebSocket of an http relay")
                .isEqualTo(URI.create("ws://127.0.0.1:8787/rooms/r1?peer=alice"));
        assertThat(WebSocketRelayClient.webSocketUri(
                        URI.create("https://127.0.0.1:8787#sha256=" + COLONS), "r1", "alice"))
                .as("the WebSocket of a pinned https relay")
                .isEqualTo(URI.create("wss://127.0.0.1:8787/rooms/r1?peer=alice"));
        assertThat(WebSocketRelayClient.webSocketUri(URI.create("HTTPS://127.0.0.1:8787"), "r 1", "bob"))
                .as("an upper-case scheme, a room with a space")
                .isEqualTo(URI.create("wss://127.0.0.1:8787/rooms/r%201?peer=bob"));
    }
}
