package callguide.testkit;

import callguide.kit.ice.IceProfile;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The workshop's real relay for a test class, on 127.0.0.1 and a port of its own:
 * {@code @RegisterExtension static final RelayExtension RELAY = RelayExtension.withStun();}.
 * Started before the class's first test, closed after its last.
 */
public final class RelayExtension implements BeforeAllCallback, AfterAllCallback {
    private final RelayConfig config;
    private Relay relay;

    private RelayExtension(RelayConfig config) {
        this.config = config;
    }

    /** Signalling only: no STUN responder. */
    public static RelayExtension signallingOnly() {
        return new RelayExtension(RelayConfig.defaults().withPort(0).withStunPort(-1));
    }

    /** Signalling and the relay's STUN responder, for calls ({@link #profile()}). */
    public static RelayExtension withStun() {
        return new RelayExtension(RelayConfig.defaults().withPort(0).withStunPort(0));
    }

    /**
     * Signalling and STUN, with more settings changed: a relay that misbehaves on purpose is
     * {@code RelayExtension.withStun(c -> c.withFaults(Faults.parse("early-candidates")))}.
     */
    public static RelayExtension withStun(UnaryOperator<RelayConfig> settings) {
        return new RelayExtension(
                settings.apply(RelayConfig.defaults().withPort(0).withStunPort(0)));
    }

    /** Signalling only, with more settings changed ({@code c -> c.withWebSocketEnabled(false)}). */
    public static RelayExtension signallingOnly(UnaryOperator<RelayConfig> settings) {
        return new RelayExtension(
                settings.apply(RelayConfig.defaults().withPort(0).withStunPort(-1)));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        relay = Relay.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (relay != null) {
            relay.close();
        }
    }

    public Relay relay() {
        if (relay == null) {
            throw new IllegalStateException("the relay starts before the test class's first test: register the"
                    + " extension on a static field");
        }
        return relay;
    }

    public URI uri() {
        return URI.create(relay().url());
    }

    public String url() {
        return relay().url();
    }

    public int stunPort() {
        return relay().stunPort();
    }

    /** The loopback ICE profile on this relay's STUN responder: every packet on 127.0.0.1. */
    public IceProfile profile() {
        return IceProfile.loopback(stunPort());
    }
}
