package callguide.relay;

import java.time.Duration;

/**
 * Everything a relay can be told: where it listens and the limits that keep one learner's
 * runaway code from hurting everyone else's call. {@link #defaults()} is what
 * {@code ./workshop relay} runs with; each {@code with...} returns a copy with one setting changed.
 *
 * @param host               the address to bind; 127.0.0.1 keeps the relay on this machine
 * @param port               the HTTP and WebSocket port; 0 picks a free one
 * @param stunPort           the STUN port on UDP at the same host; 0 picks a free one, -1 turns STUN off
 * @param webSocketEnabled   false serves long polling only (a WebSocket upgrade then fails)
 * @param maxMessageBytes    the largest message a peer may send; bigger ones get {@code too-large}
 * @param rateBurst          how many messages a peer may send at once (a call's signalling is about 50)
 * @param ratePerSecond      how many messages per second a peer regains after a burst
 * @param maxRooms           how many rooms may be open at once; a join that would open one more gets {@code room-full}
 * @param maxPollWait        the longest a long poll is held open while there is nothing to send
 * @param pollingTimeout     a polling peer that sends no request for this long has left ({@code timeout})
 * @param webSocketTimeout   a WebSocket peer from which nothing arrives for this long, not even the
 *                           answer to the relay's pings, has left ({@code timeout})
 * @param tls                HTTPS and WSS on the relay's port, for browsers on other machines
 * @param turn               the TURN server {@code /config} hands to clients, and whether the relay runs it
 * @param caps               what one client (one remote address) may hold: queued bytes, rooms, peers, connections
 * @param access             which browser origins and Host names are served, and the live view's mode
 * @param faults             how the relay misbehaves on purpose ({@link Faults#none()}: it does not)
 * @param candidateRoute     what each forwarded candidate line becomes (null: a candidate is not forwarded); a kit
 *                           {@code Link}'s {@code route}, so media goes through the link; null: candidates as sent
 */
public record RelayConfig(
        String host,
        int port,
        int stunPort,
        boolean webSocketEnabled,
        int maxMessageBytes,
        int rateBurst,
        int ratePerSecond,
        int maxRooms,
        Duration maxPollWait,
        Duration pollingTimeout,
        Duration webSocketTimeout,
        TlsSettings tls,
        TurnSettings turn,
        Caps caps,
        Access access,
        Faults faults,
        java.util.function.UnaryOperator<String> candidateRoute) {

    public RelayConfig {
        require(host != null && !host.isBlank(), "host must not be empty");
        require(port >= 0 && port <= 65535, "port must be 0 to 65535, not " + port);
        require(
                stunPort >= -1 && stunPort <= 65535,
                "STUN port must be -1 (off), 0 or a port up to 65535, not " + stunPort);
        require(maxMessageBytes >= 64, "the message size limit must be at least 64 bytes, not " + maxMessageBytes);
        require(rateBurst >= 1, "the rate burst must be at least 1, not " + rateBurst);
        require(ratePerSecond >= 1, "the rate must be at least 1 message per second, not " + ratePerSecond);
        require(maxRooms >= 1, "the room limit must be at least 1, not " + maxRooms);
        require(positive(maxPollWait), "the longest poll wait must be positive, not " + maxPollWait);
        require(positive(pollingTimeout), "the polling timeout must be positive, not " + pollingTimeout);
        require(positive(webSocketTimeout), "the WebSocket timeout must be positive, not " + webSocketTimeout);
        require(tls != null, "the TLS settings must not be null (TlsSettings.off() for none)");
        require(turn != null, "the TURN settings must not be null (TurnSettings.off() for none)");
        require(caps != null, "the caps must not be null (Caps.defaults())");
        require(access != null, "the access settings must not be null (Access.defaults())");
        require(faults != null, "the faults must not be null (Faults.none() for none)");
        require(
                caps.maxQueuedBytes() >= 2 * maxMessageBytes && caps.mailboxBytes() >= 2 * maxMessageBytes,
                "the queued-bytes and mailbox caps must hold at least two of the largest messages ("
                        + 2 * maxMessageBytes + ")");
    }

    /** 127.0.0.1:8787, STUN on 3478, WebSocket on, and the default limits. */
    public static RelayConfig defaults() {
        return new RelayConfig(
                "127.0.0.1",
                8787,
                3478,
                true,
                64 * 1024,
                500,
                100,
                1000,
                Duration.ofSeconds(30),
                Duration.ofSeconds(45),
                Duration.ofSeconds(45),
                TlsSettings.off(),
                TurnSettings.off(),
                Caps.defaults(),
                Access.defaults(),
                Faults.none(),
                null);
    }

    public RelayConfig withHost(String host) {
        return edit(e -> e.host = host);
    }

    /** 0 picks a free port; {@link Relay#port()} tells which. */
    public RelayConfig withPort(int port) {
        return edit(e -> e.port = port);
    }

    /** -1 turns STUN off, 0 picks a free port; {@link Relay#stunPort()} tells which. */
    public RelayConfig withStunPort(int stunPort) {
        return edit(e -> e.stunPort = stunPort);
    }

    /** false: no WebSocket endpoint at all, so clients must fall back to long polling. */
    public RelayConfig withWebSocketEnabled(boolean webSocketEnabled) {
        return edit(e -> e.webSocketEnabled = webSocketEnabled);
    }

    public RelayConfig withMaxMessageBytes(int maxMessageBytes) {
        return edit(e -> e.maxMessageBytes = maxMessageBytes);
    }

    public RelayConfig withRateBurst(int rateBurst) {
        return edit(e -> e.rateBurst = rateBurst);
    }

    public RelayConfig withRatePerSecond(int ratePerSecond) {
        return edit(e -> e.ratePerSecond = ratePerSecond);
    }

    public RelayConfig withMaxRooms(int maxRooms) {
        return edit(e -> e.maxRooms = maxRooms);
    }

    public RelayConfig withMaxPollWait(Duration maxPollWait) {
        return edit(e -> e.maxPollWait = maxPollWait);
    }

    public RelayConfig withPollingTimeout(Duration pollingTimeout) {
        return edit(e -> e.pollingTimeout = pollingTimeout);
    }

    public RelayConfig withWebSocketTimeout(Duration webSocketTimeout) {
        return edit(e -> e.webSocketTimeout = webSocketTimeout);
    }

    public RelayConfig withTls(TlsSettings tls) {
        return edit(e -> e.tls = tls);
    }

    public RelayConfig withTurn(TurnSettings turn) {
        return edit(e -> e.turn = turn);
    }

    public RelayConfig withCaps(Caps caps) {
        return edit(e -> e.caps = caps);
    }

    public RelayConfig withAccess(Access access) {
        return edit(e -> e.access = access);
    }

    /**
     * Each forwarded candidate's line through {@code route} (a kit {@code Link::route}, so the peers
     * meet through the link); a null result is not forwarded. Null: candidates go as sent.
     */
    public RelayConfig withCandidateRoute(java.util.function.UnaryOperator<String> route) {
        return edit(e -> e.candidateRoute = route);
    }

    /** The relay misbehaves on purpose: {@code c.withFaults(Faults.parse("early-candidates"))}. */
    public RelayConfig withFaults(Faults faults) {
        return edit(e -> e.faults = faults);
    }

    /** This configuration with one change made to a copy of its settings. */
    private RelayConfig edit(java.util.function.Consumer<Edit> change) {
        Edit e = new Edit(this);
        change.accept(e);
        return e.build();
    }

    /** The settings of a {@link RelayConfig} while one is changed; the record's constructor checks them. */
    private static final class Edit {
        String host;
        int port;
        int stunPort;
        boolean webSocketEnabled;
        int maxMessageBytes;
        int rateBurst;
        int ratePerSecond;
        int maxRooms;
        Duration maxPollWait;
        Duration pollingTimeout;
        Duration webSocketTimeout;
        TlsSettings tls;
        TurnSettings turn;
        Caps caps;
        Access access;
        Faults faults;
        java.util.function.UnaryOperator<String> candidateRoute;

        Edit(RelayConfig c) {
            host = c.host;
            port = c.port;
            stunPort = c.stunPort;
            webSocketEnabled = c.webSocketEnabled;
            maxMessageBytes = c.maxMessageBytes;
            rateBurst = c.rateBurst;
            ratePerSecond = c.ratePerSecond;
            maxRooms = c.maxRooms;
            maxPollWait = c.maxPollWait;
            pollingTimeout = c.pollingTimeout;
            webSocketTimeout = c.webSocketTimeout;
            tls = c.tls;
            turn = c.turn;
            caps = c.caps;
            access = c.access;
            faults = c.faults;
            candidateRoute = c.candidateRoute;
        }

        RelayConfig build() {
            return new RelayConfig(
                    host,
                    port,
                    stunPort,
                    webSocketEnabled,
                    maxMessageBytes,
                    rateBurst,
                    ratePerSecond,
                    maxRooms,
                    maxPollWait,
                    pollingTimeout,
                    webSocketTimeout,
                    tls,
                    turn,
                    caps,
                    access,
                    faults,
                    candidateRoute);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
