package callguide.relay;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real relay for a test class of this module, signalling only, on 127.0.0.1 and a port of its own:
 * {@code @RegisterExtension static final TestRelay RELAY = new TestRelay();}, then {@code RELAY.relay()}. Started
 * before the class's first test, closed after its last. (testkit's {@code RelayExtension} does the same for the
 * steps, but testkit depends on the relay, so the relay's own tests cannot use it.)
 */
final class TestRelay implements BeforeAllCallback, AfterAllCallback {
    private Relay relay;

    @Override
    public void beforeAll(ExtensionContext context) {
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (relay != null) {
            relay.close();
        }
    }

    /** The relay, from the class's first test to its last. */
    Relay relay() {
        if (relay == null) {
            throw new IllegalStateException(
                    "the relay starts before the class's first test: register the extension" + " on a static field");
        }
        return relay;
    }
}
