package callguide.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver (no browser download), with a fake
 * camera and microphone and a fresh profile; quiet on a closed network. {@link #close()} quits it
 * and removes the profile.
 */
final class Chromium implements AutoCloseable {
    /** Where ./workshop test found them for this OS (Debian's paths by default). */
    static final String BINARY = System.getProperty("callguide.chromium", "/usr/bin/chromium");

    static final String DRIVER = System.getProperty("callguide.chromedriver", "/usr/bin/chromedriver");

    private final Path profile;
    private final WebDriver driver;

    private Chromium(Path profile, WebDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Why chromium cannot be driven here, or null when it can. */
    static String whyNot() {
        if (!new File(BINARY).canExecute()) {
            return "no " + BINARY + " (apt-get install chromium chromium-driver)";
        }
        if (!new File(DRIVER).canExecute()) {
            return "no " + DRIVER + " (apt-get install chromium-driver)";
        }
        return null;
    }

    /**
     * A new browser with the given extra flags; {@code acceptInsecureCerts} is clicking through a certificate warning.
     */
    static Chromium start(boolean acceptInsecureCerts, String... extraFlags) throws IOException {
        Path profile = Files.createTempDirectory("callguide-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                "--window-size=1000,900",
                "--user-data-dir=" + profile);
        options.addArguments(extraFlags);
        options.setAcceptInsecureCerts(acceptInsecureCerts);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        try {
            return new Chromium(profile, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            delete(profile);
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    /** A field of the call page's {@code window.callguide}, or null. */
    Object page(String field) {
        return ((JavascriptExecutor) driver)
                .executeScript("return window.callguide ? window.callguide." + field + " : null");
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
