package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.ice.IceProfile;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration CALL = Duration.ofSeconds(40);

    private static Relay relay;
    private WebDriver browser;
    private Path profile;
    private String name;

    @BeforeAll
    static void startRelay() {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromedriver (apt-get install chromium-driver)").exists();
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(0));
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @BeforeEach
    void openBrowser(TestInfo test) throws IOException {
        name = test.getTestMethod().orElseThrow().getName();
        profile = Files.createTempDirectory("callguide-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--webrtc-ip-handling-policy=default_public_interface_only",
                "--window-size=1000,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            screenshot(name + "-end");
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("calls a Java callee through the relay, and video frames arrive both ways")
    void browserCallsJava() throws Exception {
        String room = room();
        try (CallPeer java = javaPeer(Role.CALLEE, room)) {
            CompletableFuture<CallReport> report = java.start();
            browser.get(relay.url() + "/call.html?room=" + room + "&peer=browser&role=caller");

            CallReport callee = report.get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(callee.failure()).as("why the Java callee's call failed; its timeline:%n%s; the page's states: %s",
                    java.timeline(), page("states")).isNull();
            assertThat(callee.videoFramesReceived()).as("video frames the Java callee received from the browser").isPositive();
            long browserFrames = awaitBrowserFrames();
            System.out.printf("browser -> Java: %d frames; Java -> browser: %d frames; Java's pair %s; browser's pair %s%n",
                    callee.videoFramesReceived(), browserFrames, callee.selectedPair(), page("selectedPair"));
            assertThat(String.valueOf(page("selectedPair"))).as("the browser's selected pair").contains("127.0.0.1");
            screenshot(name + "-call");
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("answers a Java caller through the relay, and video frames arrive both ways")
    void javaCallsBrowser() throws Exception {
        String room = room();
        browser.get(relay.url() + "/call.html?room=" + room + "&peer=browser&role=callee");
        await().atMost(Duration.ofSeconds(15)).until(() -> page("transport") != null);
        try (CallPeer java = javaPeer(Role.CALLER, room)) {
            CallReport caller = java.start().get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(caller.failure()).as("why the Java caller's call failed; its timeline:%n%s; the page's states: %s",
                    java.timeline(), page("states")).isNull();
            assertThat(caller.videoFramesReceived()).as("video frames the Java caller received from the browser").isPositive();
            long browserFrames = awaitBrowserFrames();
            System.out.printf("browser -> Java: %d frames; Java -> browser: %d frames%n", caller.videoFramesReceived(), browserFrames);
            screenshot(name + "-call");
        }
    }

    @Test
    @Timeout(90)
    @DisplayName("sees the live view draw a call's handshake, message by message, in order")
    void liveViewShowsTheHandshake() throws Exception {
        String room = room();
        try (CallPeer callee = javaPeer(Role.CALLEE, room); CallPeer caller = javaPeer(Role.CALLER, room)) {
            CompletableFuture<CallReport> calleeReport = callee.start();
            assertThat(caller.start().get(CALL.toSeconds() + 5, TimeUnit.SECONDS).failure()).as("the call's failure").isNull();
            calleeReport.get(CALL.toSeconds() + 5, TimeUnit.SECONDS);
        }
        browser.get(relay.url() + "/");
        By rows = By.cssSelector("div.room[data-room='" + room + "'] tr[data-type]");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(rows).isEmpty());
        List<String> types = browser.findElements(rows).stream().map(r -> r.getAttribute("data-type")).toList();
        assertThat(types).as("the messages of room %s as the live view lists them", room)
                .containsSubsequence("joined", "joined", "call", "accept", "offer", "answer")
                .contains("candidate", "left");
        assertThat(types.indexOf("candidate")).as("the first candidate comes after the offer").isGreaterThan(types.indexOf("offer"));
        screenshot(name);
    }

    @Test
    @Timeout(60)
    @DisplayName("is shown what peers sent, markup included, as text and never as markup")
    void markupIsText() throws Exception {
        String room = room();
        String markup = "<img src=x onerror=\"window.pwned=1\"><b>bold</b>";
        HttpClient http = HttpClient.newHttpClient();
        URI ws = URI.create(relay.url().replace("http", "ws") + "/rooms/" + room + "?peer=");
        WebSocket a = http.newWebSocketBuilder().buildAsync(URI.create(ws + "a"), new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
        WebSocket b = http.newWebSocketBuilder().buildAsync(URI.create(ws + "b"), new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS);
        try {
            a.sendText(callguide.kit.signal.Json.write(Map.of("type", "x-state",
                    "payload", Map.of("kind", "connection-state", "value", markup))), true).get(5, TimeUnit.SECONDS);
            browser.get(relay.url() + "/");
            By state = By.cssSelector("div.room[data-room='" + room + "'] tr.state");
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(state).isEmpty());
            assertThat(browser.findElement(state).getText()).as("the x-state row, as text").contains(markup);
            assertThat(browser.findElements(By.cssSelector("#rooms img, #rooms b"))).as("elements made from a peer's text").isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
                    .as("no script of a peer's ran").isEqualTo(true);
            screenshot(name + "-live");

            browser.get(relay.url() + "/call.html?room=" + room() + "&peer=" + java.net.URLEncoder.encode(markup, "UTF-8"));
            await().atMost(Duration.ofSeconds(10)).until(() -> page("error") != null);
            assertThat(browser.findElement(By.id("peer")).getText()).as("the peer id on the call page, as text").isEqualTo(markup);
            assertThat(browser.findElements(By.cssSelector("#peer *"))).as("elements made from the peer id").isEmpty();
            assertThat(String.valueOf(page("error"))).as("the relay's refusal of that id, shown on the page").contains("bad-id");
        } finally {
            a.abort();
            b.abort();
        }
    }

    private CallPeer javaPeer(Role role, String room) {
        return new CallPeer(CallPeer.Options.of(role, URI.create(relay.url()), room, "java-" + role.label(),
                IceProfile.loopback(relay.stunPort())).withTimeout(CALL));
    }

    private long awaitBrowserFrames() {
        await().atMost(Duration.ofSeconds(20)).until(() -> page("framesReceived") instanceof Number n && n.longValue() > 0);
        return ((Number) page("framesReceived")).longValue();
    }

    private Object page(String field) {
        return ((JavascriptExecutor) browser).executeScript("return window.callguide ? window.callguide." + field + " : null");
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
