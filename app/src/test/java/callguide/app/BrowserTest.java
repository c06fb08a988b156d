package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.ice.IceProfile;
import callguide.testkit.RelayExtension;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A real browser against the relay and a real Java peer: Debian's chromium, headless, driven by
 * Debian's chromedriver, with a fake camera and microphone. Every packet stays on 127.0.0.1:
 * the relay hands out its own STUN responder in {@code /config}, and the page signals only its
 * 127.0.0.1 candidates. Left out unless {@code -Pbrowser} ({@code ./workshop test} turns it on
 * where chromium is installed). Screenshots go to {@code target/<flavour>/screenshots}.
 */
@Tag("browser")
@DisplayName("a browser")
class BrowserTest {
    private static final Duration CALL = Duration.ofSeconds(40);

    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun();

    /** A relay that serves long polling only: the page's WebSocket fails, and it falls back. */
    @RegisterExtension
    static final RelayExtension POLLING_RELAY = RelayExtension.withStun(c -> c.withWebSocketEnabled(false));

    private Chromium chromium;
    private WebDriver browser;
    private String name;

    @BeforeAll
    static void chromiumIsThere() {
        assertThat(Chromium.whyNot()).as("what is missing to drive a browser").isNull();
    }

    @BeforeEach
    void openBrowser(TestInfo test) throws IOException {
        name = test.getTestMethod().orElseThrow().getName();
        chromium = Chromium.start(false, "--webrtc-ip-handling-policy=default_public_interface_only");
        browser = chromium.driver();
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (chromium != null) {
            screenshot(name + "-end");
            chromium.close();
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("calls a Java callee through the relay, and video frames arrive both ways")
    void browserCallsJava() throws Exception {
        String room = room();
        try (CallPeer java = javaPeer(Role.CALLEE, room)) {
            CallReport callee = callFromBrowser(RELAY, java, room);
            assertThat(callee.videoFramesReceived())
                    .as("video frames the Java callee received from the browser")
                    .isPositive();
            long browserFrames = awaitBrowserFrames();
            System.out.printf(
                    "browser -> Java: %d frames; Java -> browser: %d frames; Java's pair %s; browser's pair %s%n",
                    callee.videoFramesReceived(), browserFrames, callee.selectedPair(), page("selectedPair"));
            assertThat(String.valueOf(page("selectedPair")))
                    .as("the browser's selected pair")
                    .contains("127.0.0.1");
            screenshot(name + "-call");
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("calls a Java callee over long polling where the relay serves no WebSocket, frames both ways")
    void browserCallsJavaOverPolling() throws Exception {
        String room = room();
        try (CallPeer java = javaPeer(POLLING_RELAY, Role.CALLEE, room)) {
            CallReport callee = callFromBrowser(POLLING_RELAY, java, room);
            assertThat(page("transport")).as("the page's transport").isEqualTo("polling");
            assertThat(callee.videoFramesReceived())
                    .as("video frames the Java callee received from the browser")
                    .isPositive();
            System.out.printf(
                    "over long polling: browser -> Java: %d frames; Java -> browser: %d frames%n",
                    callee.videoFramesReceived(), awaitBrowserFrames());
            screenshot(name + "-call");
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("answers a Java caller through the relay, and video frames arrive both ways")
    void javaCallsBrowser() throws Exception {
        String room = room();
        browser.get(RELAY.url() + "/call.html?room=" + room + "&peer=browser&role=callee");
        await().atMost(Duration.ofSeconds(15)).until(() -> page("transport") != null);
        try (CallPeer java = javaPeer(Role.CALLER, room)) {
            CallReport caller = java.start().get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(caller.failure())
                    .as(
                            "why the Java caller's call failed; its timeline:%n%s; the page's states: %s",
                            java.timeline(), page("states"))
                    .isNull();
            assertThat(caller.videoFramesReceived())
                    .as("video frames the Java caller received from the browser")
                    .isPositive();
            long browserFrames = awaitBrowserFrames();
            System.out.printf(
                    "browser -> Java: %d frames; Java -> browser: %d frames%n",
                    caller.videoFramesReceived(), browserFrames);
            screenshot(name + "-call");
        }
        // The Java peer hung up (close() sends hangup, then leaves): the page closes its side and
        // keeps its outcome, instead of talking to an empty room and failing with no-such-peer.
        await("the page hears the hang-up and the departure")
                .atMost(Duration.ofSeconds(15))
                .until(() -> String.valueOf(page("received")).contains("peer-left"));
        assertThat(page("endedBy")).as("what ended the page's call").isEqualTo("the other side hung up");
        assertThat(page("error"))
                .as("the page's error after a good call ended; its states: %s", page("states"))
                .isNull();
        assertThat(page("connected"))
                .as("the page's own verdict: its connection was connected")
                .isEqualTo(true);
        assertThat(browser.findElement(By.id("outcome")).getText())
                .as("the outcome shown")
                .isEqualTo("call ended: the other side hung up");
    }

    @Test
    @Timeout(90)
    @DisplayName("sees the live view draw a call's handshake, message by message, in order")
    void liveViewShowsTheHandshake() throws Exception {
        String room = room();
        try (CallPeer callee = javaPeer(Role.CALLEE, room);
                CallPeer caller = javaPeer(Role.CALLER, room)) {
            CompletableFuture<CallReport> calleeReport = callee.start();
            assertThat(caller.start()
                            .get(CALL.toSeconds() + 5, TimeUnit.SECONDS)
                            .failure())
                    .as("the call's failure")
                    .isNull();
            calleeReport.get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
        }
        browser.get(RELAY.url() + "/");
        By rows = By.cssSelector("div.room[data-room='" + room + "'] tr[data-type]");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !browser.findElements(rows).isEmpty());
        // Read in one script: the live view redraws its rows as it polls, so elements found one call
        // earlier may be gone.
        @SuppressWarnings("unchecked")
        List<String> types = (List<String>) ((JavascriptExecutor) browser)
                .executeScript(
                        "return Array.from(document.querySelectorAll(arguments[0])).map(r => "
                                + "r.getAttribute('data-type'))",
                        "div.room[data-room='" + room + "'] tr[data-type]");
        assertThat(types)
                .as("the messages of room %s as the live view lists them", room)
                .containsSubsequence("joined", "joined", "call", "accept", "offer", "answer")
                .contains("candidate", "left");
        assertThat(types.indexOf("candidate"))
                .as("the first candidate comes after the offer")
                .isGreaterThan(types.indexOf("offer"));
        screenshot(name);
    }

    @Test
    @Timeout(60)
    @DisplayName("is shown what peers sent, markup included, as text and never as markup")
    void markupIsText() throws Exception {
        String room = room();
        String markup = "<img src=x onerror=\"window.pwned=1\"><b>bold</b>";
        HttpClient http = HttpClient.newHttpClient();
        URI ws = URI.create(RELAY.url().replace("http", "ws") + "/rooms/" + room + "?peer=");
        // a's message is forwarded (and logged) only once b is in the room: the two upgrades are two connections, and
        // b's may be done before the relay has put b in the room, or put b in first. So a waits until the relay says
        // b is there: a peer-joined, or a's own welcome naming b (when b's join was handled first).
        CompletableFuture<Void> bJoined = new CompletableFuture<>();
        WebSocket a = http.newWebSocketBuilder()
                .buildAsync(URI.create(ws + "a"), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                            WebSocket socket, CharSequence text, boolean last) {
                        try {
                            com.fasterxml.jackson.databind.JsonNode message =
                                    callguide.kit.signal.Json.MAPPER.readTree(text.toString());
                            String type = message.path("type").asText();
                            boolean welcomedWithB = type.equals("welcome")
                                    && message.path("payload")
                                            .path("peers")
                                            .toString()
                                            .contains("\"b\"");
                            if (type.equals("peer-joined") || welcomedWithB) {
                                bJoined.complete(null);
                            }
                        } catch (java.io.IOException notJson) {
                            bJoined.completeExceptionally(notJson);
                        }
                        socket.request(1);
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
        WebSocket b = http.newWebSocketBuilder()
                .buildAsync(URI.create(ws + "b"), new WebSocket.Listener() {})
                .get(5, TimeUnit.SECONDS);
        try {
            bJoined.get(10, TimeUnit.SECONDS);
            a.sendText(
                            callguide.kit.signal.Json.write(Map.of(
                                    "type", "x-state", "payload", Map.of("kind", "connection-state", "value", markup))),
                            true)
                    .get(5, TimeUnit.SECONDS);
            browser.get(RELAY.url() + "/");
            By state = By.cssSelector("div.room[data-room='" + room + "'] tr.state");
            // The live view redraws its rooms as it polls: a row found may be replaced before it is read.
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .untilAsserted(() -> assertThat(browser.findElements(state))
                            .as("the x-state rows")
                            .isNotEmpty()
                            .first()
                            .extracting(WebElement::getText)
                            .as("the x-state row, as text")
                            .asString()
                            .contains(markup));
            assertThat(browser.findElements(By.cssSelector("#rooms img, #rooms b")))
                    .as("elements made from a peer's text")
                    .isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
                    .as("no script of a peer's ran")
                    .isEqualTo(true);
            screenshot(name + "-live");

            browser.get(
                    RELAY.url() + "/call.html?room=" + room() + "&peer=" + java.net.URLEncoder.encode(markup, "UTF-8"));
            await().atMost(Duration.ofSeconds(10)).until(() -> page("error") != null);
            assertThat(browser.findElement(By.id("peer")).getText())
                    .as("the peer id on the call page, as text")
                    .isEqualTo(markup);
            assertThat(browser.findElements(By.cssSelector("#peer *")))
                    .as("elements made from the peer id")
                    .isEmpty();
            assertThat(String.valueOf(page("error")))
                    .as("the relay's refusal of that id, shown on the page")
                    .contains("bad-id");
        } finally {
            a.abort();
            b.abort();
        }
    }

    /** The browser calls the Java callee {@code java} in {@code room} through {@code relay}: the callee's report. */
    private CallReport callFromBrowser(RelayExtension relay, CallPeer java, String room) throws Exception {
        CompletableFuture<CallReport> report = java.start();
        browser.get(relay.url() + "/call.html?room=" + room + "&peer=browser&role=caller");
        CallReport callee = report.get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(callee.failure())
                .as(
                        "why the Java callee's call failed; its timeline:%n%s; the page's states: %s",
                        java.timeline(), page("states"))
                .isNull();
        return callee;
    }

    private CallPeer javaPeer(Role role, String room) {
        return javaPeer(RELAY, role, room);
    }

    private CallPeer javaPeer(RelayExtension relay, Role role, String room) {
        return new CallPeer(CallPeer.Options.of(
                        role,
                        relay.uri(),
                        room,
                        "java-" + role.label(),
                        IceProfile.loopback(relay.stunPort()),
                        FiveSteps.TRICKLE)
                .withTimeout(CALL));
    }

    private long awaitBrowserFrames() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> page("framesReceived") instanceof Number n && n.longValue() > 0);
        return ((Number) page("framesReceived")).longValue();
    }

    private Object page(String field) {
        return chromium.page(field);
    }

    private static String room() {
        return "browser-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void screenshot(String file) throws IOException {
        Path dir = Path.of(System.getProperty("callguide.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path to = dir.resolve(file + ".png");
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + to.toAbsolutePath());
    }
}
