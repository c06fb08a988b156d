package callguide.relay;

import callguide.kit.ice.IceServer;
import callguide.kit.ice.IceServers;
import callguide.kit.ice.InvalidIceServerException;
import callguide.kit.signal.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a browser reads from the relay: the live view at {@code /} (rooms, peers and a sequence
 * diagram of what passes through each room, from {@code GET /api/rooms}), the call guide's
 * client at {@code /call.html}, and {@code GET /config}, the ICE servers both a browser and a
 * Java peer use. Every page is read-only and carries a Content-Security-Policy that allows
 * scripts and styles from the relay only; the scripts put what peers sent into the page as text.
 */
final class Pages {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/call.html", "call.html",
            "/call.js", "call.js",
            "/live.js", "live.js",
            "/pages.css", "pages.css");

    private final Rooms rooms;
    private final RelayConfig config;
    private final Supplier<Integer> stunPort;
    private final Supplier<Optional<TurnServer>> turnServer;

    private final Access.LiveView liveView;
    private final String liveViewSecret;

    Pages(
            Rooms rooms,
            RelayConfig config,
            Supplier<Integer> stunPort,
            Supplier<Optional<TurnServer>> turnServer,
            String liveViewSecret) {
        this.rooms = rooms;
        this.config = config;
        this.liveView = config.access().liveViewFor(config.host());
        this.liveViewSecret = liveViewSecret;
        this.stunPort = stunPort;
        this.turnServer = turnServer;
    }

    void register(RoutesConfig routes) {
        FILES.forEach((path, file) -> routes.get(path, ctx -> {
            if (file.equals("index.html")) {
                liveViewAllowed(ctx);
            }
            file(ctx, file);
        }));
        routes.get("/api/rooms", ctx -> {
            liveViewAllowed(ctx);
            headers(ctx);
            ctx.contentType("application/json")
                    .result(rooms.view(
                            since(ctx), LIVE_VIEW_BUDGET, config.access().liveViewAddresses()));
        });
        routes.get("/config", ctx -> json(ctx, config(ctx)));
    }

    /** The most characters of JSON one {@code /api/rooms} answer holds; the page asks again for the rest. */
    static final int LIVE_VIEW_BUDGET = 128 * 1024;

    /**
     * The live view is open, or needs the secret the relay printed at start ({@code ?key=} on the
     * page's address, which the page sends on as the header {@code X-Live-View-Key}), or is off.
     */
    private void liveViewAllowed(Context ctx) {
        switch (liveView) {
            case OPEN -> {}
            case OFF -> throw new io.javalin.http.NotFoundResponse("the live view is off (--live-view off)");
            default -> {
                String key = ctx.header("X-Live-View-Key");
                if (key == null) {
                    key = ctx.queryParam("key");
                }
                if (key == null
                        || !java.security.MessageDigest.isEqual(
                                key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                liveViewSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    throw new Refusal(
                            callguide.kit.signal.ErrorCodes.FORBIDDEN,
                            "the live view needs the key the relay printed at start:"
                                    + " open the address it printed, with ?key=...");
                }
            }
        }
    }

    /** {@code ?since=N}: the live view's sequence number the page has everything up to (0: everything). */
    private static long since(Context ctx) {
        String text = ctx.queryParam("since");
        try {
            long since = text == null ? 0 : Long.parseLong(text);
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new Refusal(
                callguide.kit.signal.ErrorCodes.BAD_ENVELOPE,
                "since must be the seq of the last live view answer (0 at first), not " + text);
    }

    /**
     * {@code {"iceServers": [{"urls": ["stun:HOST:PORT"]}, {"urls": ["turn:HOST:P?transport=udp",
     * "turn:HOST:P?transport=tcp"], "username": "...", "credential": "..."}], "iceTransportPolicy":
     * "all"|"relay", "loopback": bool}}: the relay's own STUN responder and TURN server at the host
     * the client reached the relay by (an external TURN server at its own), with TURN REST
     * credentials fresh for this request. {@code loopback} asks clients to signal only their
     * 127.0.0.1 candidates (the relay listens on 127.0.0.1 only). {@code relay} is asked only when
     * a TURN server is there to relay through.
     */
    private Map<String, Object> config(Context ctx) {
        String host = urlHost(config.host(), ctx.host());
        List<IceServer> servers = new ArrayList<>();
        int stun = stunPort.get();
        if (stun >= 0) {
            servers.add(IceServer.stun("stun:" + host + ":" + stun));
        }
        Optional<TurnServer> turn = turnServer.get();
        turn.ifPresent(server -> servers.add(server.iceServer(host, Instant.now())));
        List<Map<String, Object>> iceServers = new ArrayList<>();
        for (IceServer server : servers) {
            try {
                IceServers.toRtc(server); // a client's native code crashes on a bad entry: never hand one out
            } catch (InvalidIceServerException e) {
                continue; // only an odd Host header gets here; the configured parts were checked at start
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("urls", server.urls());
            if (server.username() != null) {
                entry.put("username", server.username());
                entry.put("credential", server.credential());
            }
            iceServers.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("iceServers", iceServers);
        out.put("iceTransportPolicy", config.turn().relayOnly() && turn.isPresent() ? "relay" : "all");
        out.put("loopback", config.host().equals("127.0.0.1"));
        return out;
    }

    /**
     * The host for an ICE server URL: the configured one, or when bound to a wildcard address the
     * one the client used (its Host header, port stripped). IPv6 addresses come bracketed.
     */
    static String urlHost(String configured, String hostHeader) {
        boolean wildcard = configured.equals("0.0.0.0") || configured.equals("::") || configured.equals("[::]");
        String host = wildcard ? hostHeader : configured;
        if (host == null || host.isBlank()) {
            host = "127.0.0.1"; // an HTTP/1.0 client without a Host header, on this machine or not
        }
        host = host.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colons = host.length() - host.replace(":", "").length();
        if (colons == 1) {
            return host.substring(0, host.indexOf(':')); // "host:port" from the Host header
        }
        return colons > 1 ? "[" + host + "]" : host; // a bare IPv6 address
    }

    private static void json(Context ctx, Object body) {
        headers(ctx);
        ctx.contentType("application/json").result(Json.write(body));
    }

    private static void file(Context ctx, String name) {
        headers(ctx);
        try (InputStream in = Pages.class.getResourceAsStream("/callguide/pages/" + name)) {
            if (in == null) {
                ctx.status(404).result("no such page");
                return;
            }
            ctx.contentType(type(name)).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }
}
