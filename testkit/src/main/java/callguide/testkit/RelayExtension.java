package callguide.testkit;

import callguide.kit.ice.IceProfile;
import callguide.kit.net.Link;
import callguide.kit.net.LinkSettings;
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
    /** The link the media goes through, its settings; null: none. */
    private final LinkSettings linkSettings;

    private Relay relay;
    private Link link;

    private RelayExtension(RelayConfig config) {
        this(config, null);
    }

    private RelayExtension(RelayConfig config, LinkSettings linkSettings) {
        this.config = config;
        this.linkSettings = linkSettings;
    }

    /**
     * Signalling and STUN, every candidate routed through a kit {@link Link} with {@code settings}, so the calls'
     * media goes through it ({@link #link()}: cut it, heal it, change its settings while a call runs).
     */
    public static RelayExtension withLink(LinkSettings settings) {
        return new RelayExtension(RelayConfig.defaults().withPort(0).withStunPort(0), settings);
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
        if (linkSettings != null) {
            link = Link.start(linkSettings);
            relay = Relay.start(config.withCandidateRoute(link::route));
        } else {
            relay = Relay.start(config);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (relay != null) {
            relay.close();
        }
        if (link != null) {
            link.close();
        }
    }

    /** The link of {@link #withLink}. */
    public Link link() {
        if (link == null) {
            throw new IllegalStateException(
                    "no link: RelayExtension.withLink(settings) routes calls through one, and starts it before the"
                            + " test class's first test");
        }
        return link;
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
