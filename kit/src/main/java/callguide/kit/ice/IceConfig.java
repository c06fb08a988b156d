package callguide.kit.ice;

import callguide.kit.signal.Json;
import callguide.kit.signal.transport.RelayHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's whole ICE configuration, as the relay's {@code GET /config} gives it to every client,
 * a browser and a Java peer alike:
 * {@code {"iceServers": [{"urls": [...], "username": "...", "credential": "..."}],
 * "iceTransportPolicy": "all"|"relay", "loopback": bool}}.
 *
 * <p>{@code loopback: true} (the relay listens on 127.0.0.1 only) asks for the loopback profile;
 * otherwise a client gathers and signals every candidate, as a browser does.
 */
public record IceConfig(List<IceServer> iceServers, String iceTransportPolicy, boolean loopback) {

    public static final String ALL = "all";
    public static final String RELAY = "relay";

    public IceConfig {
        iceServers = List.copyOf(iceServers);
    }

    /**
     * Reads {@code /config}'s JSON. Every server is validated as {@link IceServers#toRtc} would
     * (a server native code cannot take crashes the JVM): anything unusable is an
     * {@link IllegalArgumentException} that says what.
     */
    public static IceConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the ICE configuration is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the ICE configuration is not a JSON object");
        }
        JsonNode servers = root.path("iceServers");
        if (!servers.isMissingNode() && !servers.isArray()) {
            throw new IllegalArgumentException("iceServers is not a list");
        }
        List<IceServer> list = new ArrayList<>();
        for (JsonNode server : servers) {
            list.add(server(server));
        }
        String policy = root.path("iceTransportPolicy").asText(ALL);
        if (!policy.equals(ALL) && !policy.equals(RELAY)) {
            throw new IllegalArgumentException(
                    "iceTransportPolicy is \"" + policy + "\": expected \"all\" or \"relay\"");
        }
        JsonNode loopback = root.path("loopback");
        if (!loopback.isMissingNode() && !loopback.isBoolean()) {
            throw new IllegalArgumentException("loopback is not true or false");
        }
        IceConfig config = new IceConfig(list, policy, loopback.asBoolean(false));
        if (config.relayOnly() && list.stream().noneMatch(IceConfig::isTurn)) {
            throw new IllegalArgumentException(
                    "iceTransportPolicy is \"relay\" but no TURN server is named: nothing could connect");
        }
        return config;
    }

    /**
     * {@code GET /config} of {@code relay}, within {@code timeout}. Fails with an
     * {@link IllegalStateException} that says whether the relay could not be reached, refused, or
     * sent a configuration this peer cannot use.
     */
    public static IceConfig fetch(URI relay, Duration timeout) {
        URI uri = URI.create(RelayHttp.base(relay) + "/config");
        HttpResponse<String> response;
        try {
            response = RelayHttp.client(relay)
                    .send(
                            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(
                    "the relay at " + RelayHttp.base(relay) + " answered over TLS with a certificate this peer does"
                            + " not trust (" + e.getMessage() + "): give --fingerprint, the SHA-256 the relay printed"
                            + " at start",
                    e);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new IllegalStateException(
                    "cannot reach the relay at " + RelayHttp.base(relay) + " (GET /config: " + why
                            + "): is ./workshop relay running there?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    uri + " answered HTTP " + response.statusCode() + ": is that a callguide relay (protocol v1)?");
        }
        try {
            return parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    uri + " gave an ICE configuration this peer cannot use: " + e.getMessage(), e);
        }
    }

    public boolean relayOnly() {
        return RELAY.equals(iceTransportPolicy);
    }

    /** What a peer gathers with: the loopback profile when asked for, otherwise an open one. */
    public IceProfile profile() {
        return new IceProfile(iceServers, loopback, relayOnly());
    }

    private static IceServer server(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("an ICE server entry is not an object: " + node);
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = node.path("urls");
        if (u.isTextual()) {
            urls.add(u.asText()); // the browser also takes a single URL as a string
        } else if (u.isArray()) {
            for (JsonNode url : u) {
                if (!url.isTextual()) {
                    throw new IllegalArgumentException("an ICE server URL is not a string: " + url);
                }
                urls.add(url.asText());
            }
        } else {
            throw new IllegalArgumentException("an ICE server entry has no urls: " + node);
        }
        IceServer server = new IceServer(urls, text(node, "username"), text(node, "credential"));
        try {
            IceServers.toRtc(server);
        } catch (InvalidIceServerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return server;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static boolean isTurn(IceServer server) {
        return server.urls().stream().anyMatch(url -> url.trim().startsWith("turn"));
    }
}
