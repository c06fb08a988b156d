package callguide.app;

import callguide.kit.signal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * A learner's browser on a learner's laptop: run inside that host's network namespace (its
 * chromedriver then talks to chromium over that namespace's own loopback). Opens the call page,
 * accepting the relay's self-signed certificate as a learner clicks through the warning, waits
 * until its connection is connected and frames arrived, and prints {@code RESULT {...}}.
 * Usage: {@code ClassroomBrowser URL TIMEOUT_S SCREENSHOT.png}.
 */
public final class ClassroomBrowser {

    private ClassroomBrowser() {}

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        int exit = 1;
        try (Chromium chromium = Chromium.start(true)) {
            chromium.driver().get(args[0]);
            result.put(
                    "secure_context",
                    chromium.driver() instanceof org.openqa.selenium.JavascriptExecutor js
                            ? js.executeScript("return window.isSecureContext")
                            : null);
            try {
                Awaitility.await("the page's call up, frames received")
                        .atMost(Duration.ofSeconds(Long.parseLong(args[1])))
                        .until(() -> Boolean.TRUE.equals(chromium.page("connected"))
                                        && chromium.page("framesReceived") instanceof Number n
                                        && n.longValue() > 0
                                        && chromium.page("selectedPair") != null
                                || chromium.page("error") != null);
            } catch (ConditionTimeoutException e) {
                result.put("timeout", e.getMessage());
            }
            for (String field :
                    new String[] {"connected", "framesReceived", "selectedPair", "transport", "error", "states"}) {
                result.put(field, chromium.page(field));
            }
            Path shot = Path.of(args[2]);
            Files.createDirectories(shot.getParent());
            Files.copy(
                    ((TakesScreenshot) chromium.driver())
                            .getScreenshotAs(OutputType.FILE)
                            .toPath(),
                    shot,
                    StandardCopyOption.REPLACE_EXISTING);
            exit = Boolean.TRUE.equals(result.get("connected")) ? 0 : 1;
        } catch (RuntimeException e) {
            result.put("error", e.toString());
        }
        System.out.println("RESULT " + Json.write(result));
        System.out.flush();
        Runtime.getRuntime().halt(exit);
    }
}
