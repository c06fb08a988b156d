package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.transport.RelayHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The relay over TLS")
class RelayTlsTest {
    private static final Duration JOIN = Duration.ofSeconds(12); // the clients' own join timeout is 10 s
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @TempDir
    Path dir;
    /** Every relay a test started, closed after it. */
    private final List<Relay> relays = new java.util.ArrayList<>();

    private final List<RelayClient> clients = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RelayClient::close);
        relays.forEach(Relay::close);
    }

    private Relay start(TlsSettings tls) {
        Relay relay =
                Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withTls(tls));
        relays.add(relay);
        return relay;
    }

    private Relay startSelfSigned(Path where) {
        return start(TlsSettings.selfSigned(where));
    }

    private static String room() {
        return "tls-" + ROOMS.incrementAndGet();
    }

    private CompletableFuture<RelayClient> join(
            String transport, URI relay, String room, String peer, BlockingQueue<Envelope> inbox) {
        CompletableFuture<RelayClient> joined = transport.equals("websocket")
                ? RelayClient.webSocket(relay, room, peer, inbox::add)
                : RelayClient.longPolling(relay, room, peer, inbox::add);
        return joined.whenComplete((client, error) -> {
            if (client != null) {
                synchronized (clients) {
                    clients.add(client);
                }
            }
        });
    }

    private static Envelope next(BlockingQueue<Envelope> inbox, String type) throws InterruptedException {
        long end = System.nanoTime() + TestClient.WAIT.toNanos();
        while (System.nanoTime() < end) {
            Envelope message = inbox.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (message != null && type.equals(message.type())) {
                return message;
            }
        }
        throw new AssertionError("expected a " + type + " but none came in " + TestClient.WAIT.toSeconds() + " s");
    }

    @Nested
    @DisplayName("when a Java client pins its certificate")
    class WhenPinned {

        @Test
        @DisplayName(
                "a WebSocket peer over wss and a long-polling peer over https join with the pin and exchange messages")
        void webSocketAndPollingOverTls() throws Exception {
            Relay relay = startSelfSigned(dir);
            assertThat(relay.url()).as("Relay.url() of a TLS relay").startsWith("https://127.0.0.1:");
            URI pinned = RelayHttp.pin(URI.create(relay.url()), relay.fingerprint());
            String room = room();
            BlockingQueue<Envelope> aliceInbox = new LinkedBlockingQueue<>();
            BlockingQueue<Envelope> bobInbox = new LinkedBlockingQueue<>();

            RelayClient alice = assertThat(join("websocket", pinned, room, "alice", aliceInbox))
                    .as("alice's WebSocket join over wss with the pin " + pinned)
                    .succeedsWithin(JOIN)
                    .actual();
            assertThat(alice.welcome().peers())
                    .as("alice, first in the room, is welcomed alone")
                    .isEmpty();
            RelayClient bob = assertThat(join("polling", pinned, room, "bob", bobInbox))
                    .as("bob's long-polling join over https with the pin")
                    .succeedsWithin(JOIN)
                    .actual();
            assertThat(bob.welcome().peers()).as("bob's welcome lists alice").containsExactly("alice");

            assertThat(alice.send("x-hello", Map.of("from", "wss")))
                    .as("alice's send over wss")
                    .succeedsWithin(JOIN);
            Envelope toBob = next(bobInbox, "x-hello");
            assertThat(toBob.from()).as("the relay stamps who sent it").isEqualTo("alice");
            assertThat(bob.send("x-hello", Map.of("from", "https")))
                    .as("bob's send over https")
                    .succeedsWithin(JOIN);
            assertThat(next(aliceInbox, "x-hello").from())
                    .as("alice gets bob's message over wss")
                    .isEqualTo("bob");
        }

        @Test
        @DisplayName("GET /health answers over https")
        void healthOverHttps() throws Exception {
            Relay relay = startSelfSigned(dir);
            JsonNode health = TestClient.health(relay);
            assertThat(health.path("status").asText())
                    .as("GET %s/health with the pinned client", relay.url())
                    .isEqualTo("ok");
        }

        @ParameterizedTest(name = "over {0}")
        @ValueSource(strings = {"websocket", "polling"})
        @DisplayName("the protocol's own test peers join over TLS too (wss and https)")
        void testPeersOverTls(String transport) throws Exception {
            Relay relay = startSelfSigned(dir);
            try (TestClient alice = TestClient.join(transport, relay, room(), "alice")) {
                assertThat(alice.next().path("type").asText())
                        .as("the first message over " + transport + " on TLS")
                        .isEqualTo("welcome");
            }
        }
    }

    @Nested
    @DisplayName("when the pin is wrong or missing")
    class WhenNotPinnedRight {

        @ParameterizedTest(name = "over {0}")
        @ValueSource(strings = {"websocket", "polling"})
        @DisplayName("a wrong pin fails the join with a message naming both fingerprints")
        void wrongPin(String transport) throws Exception {
            Relay relay = startSelfSigned(dir);
            String wrong =
                    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
            URI pinned = RelayHttp.pin(
                    URI.create(relay.url()), wrong.replace(":", "").toLowerCase());
            assertThat(join(transport, pinned, room(), "alice", new LinkedBlockingQueue<>()))
                    .as("a " + transport + " join pinning another certificate")
                    .failsWithin(JOIN)
                    .withThrowableThat()
                    .withMessageContaining(
                            "the relay at 127.0.0.1:" + relay.port() + " presented a certificate with SHA-256 "
                                    + relay.fingerprint() + ", not the pinned " + wrong);
            assertThat(TestClient.health(relay).path("peers").asInt())
                    .as("peers in the relay after the refused join")
                    .isZero();
        }

        @ParameterizedTest(name = "over {0}")
        @ValueSource(strings = {"websocket", "polling"})
        @DisplayName("an https relay with a self-signed certificate and no pin is refused by the JDK's default trust")
        void noPin(String transport) throws Exception {
            Relay relay = startSelfSigned(dir);
            assertThat(join(transport, URI.create(relay.url()), room(), "alice", new LinkedBlockingQueue<>()))
                    .as("a " + transport + " join to " + relay.url() + " without a pin")
                    .failsWithin(JOIN)
                    .withThrowableThat()
                    .withMessageContaining("does not trust the relay's certificate")
                    .withMessageContaining("#sha256=");
            assertThat(TestClient.health(relay).path("peers").asInt())
                    .as("peers in the relay after the refused join")
                    .isZero();
        }

        @Test
        @DisplayName("a pin on a plain http relay fails the join at once, saying it needs https")
        void pinOnHttp() {
            Relay relay = start(TlsSettings.off());
            assertThat(relay.url()).as("Relay.url() with TLS off").startsWith("http://");
            assertThat(relay.fingerprint())
                    .as("Relay.fingerprint() with TLS off")
                    .isNull();
            URI pinnedHttp = URI.create(relay.url() + "#sha256=" + "ab".repeat(32));
            assertThat(join("websocket", pinnedHttp, room(), "alice", new LinkedBlockingQueue<>()))
                    .as("a WebSocket join to an http relay with a pin")
                    .failsWithin(JOIN)
                    .withThrowableThat()
                    .withMessageContaining("needs an https relay");
        }
    }

    @Nested
    @DisplayName("a self-signed certificate kept in a directory")
    class SelfSigned {

        @Test
        @DisplayName("is reused across two starts in the same directory (same fingerprint) and remade when deleted")
        void reusedThenRemade() throws Exception {
            Relay first = startSelfSigned(dir);
            String fingerprint = first.fingerprint();
            first.close();
            assertThat(fingerprint)
                    .as("a SHA-256 fingerprint as openssl prints it")
                    .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

            Relay second = startSelfSigned(dir);
            assertThat(second.fingerprint())
                    .as("the fingerprint after a restart in the same directory")
                    .isEqualTo(fingerprint);
            assertThat(second.certificateOrigin())
                    .as("where the second start's certificate came from")
                    .contains("kept in " + dir);
            second.close();

            Files.delete(dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE));
            Relay third = startSelfSigned(dir);
            assertThat(third.fingerprint())
                    .as("the fingerprint once the kept certificate was deleted")
                    .isNotEqualTo(fingerprint);
            assertThat(dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE))
                    .as("the remade certificate is kept again")
                    .exists();
            assertThat(TestClient.health(third).path("status").asText())
                    .as("/health with the remade certificate")
                    .isEqualTo("ok");
        }

        @Test
        @DisplayName("is EC P-256, covers 127.0.0.1, ::1 and localhost, is valid about a year, and its key file is "
                + "owner-read-only")
        void shape() throws Exception {
            Relay relay = startSelfSigned(dir.resolve("made/here"));
            Path certificateFile = dir.resolve("made/here").resolve(SelfSignedCertificate.CERTIFICATE_FILE);
            X509Certificate certificate =
                    PemFiles.readCertificates(certificateFile).get(0);
            assertThat(new TestCertificates.Made(certificate, null).fingerprint())
                    .as("Relay.fingerprint() is the SHA-256 of the kept certificate's DER")
                    .isEqualTo(relay.fingerprint());
            assertThat(certificate.getPublicKey().getAlgorithm())
                    .as("the key type")
                    .isEqualTo("EC");
            assertThat(certificate.getPublicKey().toString()).as("the curve").contains("secp256r1");
            assertThat(certificate.getSubjectAlternativeNames())
                    .as("the subject alternative names")
                    .extracting(name -> name.get(1).toString())
                    .contains("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost");
            Duration validity = Duration.between(
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant());
            assertThat(validity).as("the certificate's validity").isBetween(Duration.ofDays(364), Duration.ofDays(366));
            assertThat(relay.spkiHash())
                    .as("the SPKI hash is base64 of 32 bytes")
                    .hasSize(44)
                    .endsWith("=");

            Path keyFile = certificateFile.resolveSibling(SelfSignedCertificate.KEY_FILE);
            assertThat(Files.readString(keyFile))
                    .as("the key file, PKCS#8 PEM")
                    .startsWith("-----BEGIN PRIVATE KEY-----");
            assumeThat(Files.getFileStore(keyFile).supportsFileAttributeView(PosixFileAttributeView.class))
                    .as("a file system with POSIX permissions")
                    .isTrue();
            assertThat(Files.getPosixFilePermissions(keyFile))
                    .as("the key file's permissions")
                    .containsExactly(PosixFilePermission.OWNER_READ);
        }

        @Test
        @DisplayName("is remade when its files are garbage, its key is another's, it expired, or it does not cover "
                + "the bound address")
        void remadeWhenNotGood() throws Exception {
            Path certificateFile = dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE);
            Path keyFile = dir.resolve(SelfSignedCertificate.KEY_FILE);

            Files.writeString(certificateFile, "not a certificate at all");
            Files.writeString(keyFile, "nor a key");
            Relay garbage = startSelfSigned(dir);
            assertThat(garbage.certificateOrigin())
                    .as("the origin of a certificate made over garbage files")
                    .contains("remade");
            assertThat(TestClient.health(garbage).path("status").asText())
                    .as("/health once remade over garbage")
                    .isEqualTo("ok");
            garbage.close();

            TestCertificates.Made other = TestCertificates.make("EC");
            Files.delete(keyFile);
            other.writeKey(keyFile, TestCertificates.KeyFormat.PKCS8);
            String kept = PemFiles.readCertificates(certificateFile)
                    .get(0)
                    .getSerialNumber()
                    .toString();
            Relay mismatched = startSelfSigned(dir);
            assertThat(mismatched.certificateOrigin())
                    .as("the origin when the kept key is another certificate's")
                    .contains("did not belong");
            assertThat(PemFiles.readCertificates(certificateFile)
                            .get(0)
                            .getSerialNumber()
                            .toString())
                    .as("the kept certificate's serial once remade")
                    .isNotEqualTo(kept);
            mismatched.close();

            Instant now = Instant.now();
            TestCertificates.Made expired = TestCertificates.make(
                    "EC",
                    now.minus(Duration.ofDays(30)),
                    now.minus(Duration.ofDays(1)),
                    "127.0.0.1",
                    "::1",
                    "localhost");
            writeKept(expired);
            Relay afterExpired = startSelfSigned(dir);
            assertThat(afterExpired.fingerprint())
                    .as("the fingerprint when the kept certificate expired")
                    .isNotEqualTo(expired.fingerprint());
            assertThat(afterExpired.certificateOrigin()).as("why it was remade").contains("expired");
            afterExpired.close();

            TestCertificates.Made elsewhere = TestCertificates.make(
                    "EC", now.minusSeconds(60), now.plus(Duration.ofDays(300)), "192.0.2.10", "localhost");
            writeKept(elsewhere);
            Relay afterUncovered = startSelfSigned(dir);
            assertThat(afterUncovered.fingerprint())
                    .as("the fingerprint when the kept certificate does not list 127.0.0.1")
                    .isNotEqualTo(elsewhere.fingerprint());
            assertThat(afterUncovered.certificateOrigin())
                    .as("why it was remade")
                    .contains("did not cover 127.0.0.1");
        }

        private void writeKept(TestCertificates.Made made) throws Exception {
            Files.deleteIfExists(
                    dir.resolve(SelfSignedCertificate.KEY_FILE)); // owner-read-only: replaced, not written over
            made.writeKey(dir.resolve(SelfSignedCertificate.KEY_FILE), TestCertificates.KeyFormat.PKCS8);
            made.writeCertificate(dir.resolve(SelfSignedCertificate.CERTIFICATE_FILE));
        }

        @Test
        @DisplayName("for a relay on every interface covers each interface address and the host name (no interface is "
                + "touched: the addresses are given)")
        void wildcardNames() throws Exception {
            List<InetAddress> interfaces =
                    List.of(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("2001:db8::7"));
            CertificateNames names = CertificateNames.forHost("0.0.0.0", interfaces, "Classroom-Laptop");
            assertThat(names.dnsNames())
                    .as("host names for 0.0.0.0")
                    .containsExactlyInAnyOrder("localhost", "classroom-laptop");
            assertThat(names.addresses())
                    .as("addresses for 0.0.0.0")
                    .extracting(InetAddress::getHostAddress)
                    .contains("127.0.0.1", "0:0:0:0:0:0:0:1", "192.0.2.10", "2001:db8:0:0:0:0:0:7");
            X509Certificate made =
                    SelfSignedCertificate.make(names, Instant.now()).leaf();
            assertThat(names.missingFrom(made))
                    .as("names a certificate made for 0.0.0.0 misses")
                    .isEmpty();
            assertThat(CertificateNames.forHost("127.0.0.1", List.of(), null).missingFrom(made))
                    .as("names of a loopback relay it misses")
                    .isEmpty();
            X509Certificate loopbackOnly = SelfSignedCertificate.make(
                            CertificateNames.forHost("127.0.0.1", List.of(), null), Instant.now())
                    .leaf();
            assertThat(names.missingFrom(loopbackOnly))
                    .as("what a loopback certificate misses for 0.0.0.0")
                    .containsExactlyInAnyOrder("classroom-laptop", "192.0.2.10", "2001:db8:0:0:0:0:0:7");
            assertThat(CertificateNames.forHost("relay.example.org", List.of(), null)
                            .dnsNames())
                    .as("host names for a relay bound by name")
                    .contains("relay.example.org");
        }
    }

    @Nested
    @DisplayName("a given certificate (--tls-cert, --tls-key)")
    class Given {

        @ParameterizedTest(name = "{0} key as {1}")
        @CsvSource({
            "EC, PKCS8, -----BEGIN PRIVATE KEY-----",
            "EC, TRADITIONAL, -----BEGIN EC PRIVATE KEY-----",
            "RSA, PKCS8, -----BEGIN PRIVATE KEY-----",
            "RSA, TRADITIONAL, -----BEGIN RSA PRIVATE KEY-----"
        })
        @DisplayName("is served, and Relay.fingerprint() is that certificate's")
        void served(String algorithm, TestCertificates.KeyFormat format, String header) throws Exception {
            TestCertificates.Made made = TestCertificates.make(algorithm);
            Path cert = dir.resolve("relay.crt");
            Path key = dir.resolve("relay.key");
            made.writeCertificate(cert);
            made.writeKey(key, format);
            assertThat(Files.readString(key)).as("the key file the test wrote").startsWith(header);

            Relay relay = start(TlsSettings.files(cert, key));
            assertThat(relay.fingerprint())
                    .as("Relay.fingerprint() of a relay given " + cert)
                    .isEqualTo(made.fingerprint());
            URI pinned = RelayHttp.pin(URI.create(relay.url()), made.fingerprint());
            assertThat(join("websocket", pinned, room(), "alice", new LinkedBlockingQueue<>()))
                    .as("a WebSocket join pinning the given certificate")
                    .succeedsWithin(JOIN);
            assertThat(TestClient.health(relay).path("peers").asInt())
                    .as("peers after the join")
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("a file that is not a certificate is refused with a message naming the file")
        void garbageCertificate() throws Exception {
            TestCertificates.Made made = TestCertificates.make("EC");
            Path cert = Files.writeString(dir.resolve("garbage.crt"), "this is not PEM\n\u0000\u0001");
            Path key = dir.resolve("relay.key");
            made.writeKey(key, TestCertificates.KeyFormat.PKCS8);
            assertThatThrownBy(() -> start(TlsSettings.files(cert, key)))
                    .as("a relay given a garbage certificate file")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(cert + ": holds no certificate (expected PEM text: -----BEGIN CERTIFICATE-----)");
        }

        @Test
        @DisplayName("a key that does not match the certificate is refused, naming both files")
        void mismatch() throws Exception {
            Path cert = dir.resolve("relay.crt");
            Path key = dir.resolve("other.key");
            TestCertificates.make("EC").writeCertificate(cert);
            TestCertificates.make("EC").writeKey(key, TestCertificates.KeyFormat.TRADITIONAL);
            assertThatThrownBy(() -> start(TlsSettings.files(cert, key)))
                    .as("a relay given another certificate's key")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(key + ": this private key does not belong to the certificate in " + cert);
        }

        @Test
        @DisplayName("swapped files, a missing file and an expired certificate are refused, each naming the file and "
                + "what is wrong")
        void otherMistakes() throws Exception {
            TestCertificates.Made made = TestCertificates.make("EC");
            Path cert = dir.resolve("relay.crt");
            Path key = dir.resolve("relay.key");
            made.writeCertificate(cert);
            made.writeKey(key, TestCertificates.KeyFormat.PKCS8);
            assertThatThrownBy(() -> start(TlsSettings.files(key, cert)))
                    .as("--tls-cert and --tls-key swapped")
                    .hasMessage(
                            key + ": holds a private key, not a certificate (are --tls-cert and --tls-key swapped?)");
            Path missing = dir.resolve("nowhere.crt");
            assertThatThrownBy(() -> start(TlsSettings.files(missing, key)))
                    .as("a missing certificate file")
                    .hasMessage(missing + ": no such file");
            assertThatThrownBy(() -> start(TlsSettings.files(cert, dir.resolve("nowhere.key"))))
                    .as("a missing key file")
                    .hasMessage(dir.resolve("nowhere.key") + ": no such file");

            Instant now = Instant.now();
            TestCertificates.Made expired = TestCertificates.make(
                    "RSA", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)), "127.0.0.1");
            Path oldCert = dir.resolve("old.crt");
            Path oldKey = dir.resolve("old.key");
            expired.writeCertificate(oldCert);
            expired.writeKey(oldKey, TestCertificates.KeyFormat.TRADITIONAL);
            assertThatThrownBy(() -> start(TlsSettings.files(oldCert, oldKey)))
                    .as("an expired certificate")
                    .hasMessageStartingWith(oldCert + ": the certificate expired on "
                            + expired.certificate().getNotAfter().toInstant());
        }
    }

    @Nested
    @DisplayName("RelayMain")
    class Main {

        @Test
        @DisplayName(
                "serves TLS by default beyond loopback and not on loopback; --tls, --no-tls and --tls-dir change that")
        void defaults() {
            assertThat(RelayMain.parse().tls()).as("no flags (127.0.0.1)").isEqualTo(TlsSettings.off());
            assertThat(RelayMain.parse("--host", "0.0.0.0").tls())
                    .as("--host 0.0.0.0")
                    .isEqualTo(TlsSettings.selfSigned(Path.of(".workshop", "tls")));
            assertThat(RelayMain.parse("--no-tls", "--host", "0.0.0.0").tls())
                    .as("--no-tls --host 0.0.0.0")
                    .isEqualTo(TlsSettings.off());
            assertThat(RelayMain.parse("--tls").tls())
                    .as("--tls on loopback")
                    .isEqualTo(TlsSettings.selfSigned(Path.of(".workshop", "tls")));
            assertThat(RelayMain.parse("--tls", "--tls-dir", "/tmp/certs").tls())
                    .as("--tls --tls-dir /tmp/certs")
                    .isEqualTo(TlsSettings.selfSigned(Path.of("/tmp/certs")));
            assertThat(RelayMain.parse("--tls-dir=/tmp/certs", "--host", "::").tls())
                    .as("--tls-dir=/tmp/certs --host ::")
                    .isEqualTo(TlsSettings.selfSigned(Path.of("/tmp/certs")));
            assertThat(RelayMain.parse("--tls-dir", "/tmp/certs").tls())
                    .as("--tls-dir alone on loopback says where, not whether")
                    .isEqualTo(TlsSettings.off());
        }

        @Test
        @DisplayName(
                "takes --tls-cert and --tls-key together (TLS on, even on loopback), and refuses one without the other")
        void bothOrNeither() {
            assertThat(RelayMain.parse("--tls-cert", "a.crt", "--tls-key", "a.key")
                            .tls())
                    .as("--tls-cert a.crt --tls-key a.key")
                    .isEqualTo(TlsSettings.files(Path.of("a.crt"), Path.of("a.key")));
            assertThatThrownBy(() -> RelayMain.parse("--tls-cert", "a.crt"))
                    .as("--tls-cert alone")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--tls-cert needs --tls-key");
            assertThatThrownBy(() -> RelayMain.parse("--tls-key", "a.key"))
                    .as("--tls-key alone")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--tls-key needs --tls-cert");
            assertThatThrownBy(() -> RelayMain.parse("--tls-cert"))
                    .as("--tls-cert without a value")
                    .hasMessage("--tls-cert needs a value");
            assertThatThrownBy(() -> RelayMain.parse("--no-tls", "--tls-cert", "a.crt", "--tls-key", "a.key"))
                    .as("--no-tls with a certificate")
                    .hasMessageContaining("--no-tls contradicts --tls-cert");
            assertThatThrownBy(() -> RelayMain.parse("--tls", "--no-tls"))
                    .as("--tls --no-tls")
                    .hasMessageContaining("contradict");
            assertThatThrownBy(() -> RelayMain.parse("--tls-dir", "d", "--tls-cert", "a.crt", "--tls-key", "a.key"))
                    .as("--tls-dir with --tls-cert")
                    .hasMessageContaining("give one of them");
        }

        @Test
        @DisplayName("lists every TLS flag in --help")
        void usage() {
            assertThat(RelayMain.usage())
                    .as("./workshop relay --help")
                    .contains("  --tls ", "  --no-tls ", "  --tls-dir DIR ", "  --tls-cert FILE ", "  --tls-key FILE ");
        }

        @Test
        @DisplayName("announces the https URL, the fingerprint, the SPKI hash, the learners' page and a Java peer's "
                + "join command")
        void announce() throws Exception {
            Output out = new Output();
            Output err = new Output();
            RelayMain.Launch launch = RelayMain.launch(
                    new String[] {"--tls", "--tls-dir", dir.toString(), "--port", "0", "--stun-port", "-1"},
                    out.stream,
                    err.stream);
            assertThat(launch.relay())
                    .as("the relay RelayMain started (stderr: %s)", err)
                    .isNotNull();
            relays.add(launch.relay());
            String base = "https://127.0.0.1:" + launch.relay().port();
            String fingerprint = launch.relay().fingerprint();
            assertThat(out.toString())
                    .as("what RelayMain printed")
                    .contains("relay listening on " + base + " (WebSocket + long polling), STUN off")
                    .contains("certificate SHA-256 fingerprint: " + fingerprint)
                    .contains("--ignore-certificate-errors-spki-list): "
                            + launch.relay().spkiHash())
                    .contains(base + "/call.html?room=ROOM&peer=NAME&role=caller")
                    .contains("./workshop peer --relay " + base + " --fingerprint " + fingerprint
                            + " --room ROOM --peer NAME --role caller|callee");
            assertThat(err.toString()).as("stderr of a good start").isEmpty();
        }

        @Test
        @DisplayName("exits 2 with one relay: line naming the file when a TLS file is unusable, never a stack trace")
        void badFileExitsTwo() throws Exception {
            Path cert = Files.writeString(dir.resolve("garbage.crt"), "garbage");
            Path key = dir.resolve("relay.key");
            TestCertificates.make("EC").writeKey(key, TestCertificates.KeyFormat.PKCS8);
            Output out = new Output();
            Output err = new Output();
            RelayMain.Launch launch = RelayMain.launch(
                    new String[] {
                        "--tls-cert", cert.toString(), "--tls-key", key.toString(), "--port", "0", "--stun-port", "-1"
                    },
                    out.stream,
                    err.stream);
            assertThat(launch.exitCode())
                    .as("RelayMain's exit code for a garbage certificate")
                    .isEqualTo(2);
            assertThat(launch.relay()).as("no relay started").isNull();
            assertThat(err.toString())
                    .as("RelayMain's stderr")
                    .isEqualTo(
                            "relay: " + cert + ": holds no certificate (expected PEM text: -----BEGIN CERTIFICATE-----)"
                                    + System.lineSeparator());

            Output err2 = new Output();
            RelayMain.Launch half =
                    RelayMain.launch(new String[] {"--tls-cert", cert.toString()}, out.stream, err2.stream);
            assertThat(half.exitCode())
                    .as("RelayMain's exit code for --tls-cert alone")
                    .isEqualTo(2);
            assertThat(err2.toString())
                    .as("RelayMain's stderr for --tls-cert alone")
                    .startsWith("relay: --tls-cert needs --tls-key");
        }
    }

    /** A PrintStream a test reads back. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        @Override
        public String toString() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
