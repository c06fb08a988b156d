package callguide.relay;

import callguide.kit.signal.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    Pages(Rooms rooms, RelayConfig config, Supplier<Integer> stunPort) {
        this.rooms = rooms;
        this.config = config;
        this.stunPort = stunPort;
    }

    void register(RoutesConfig routes) {
        FILES.forEach((path, file) -> routes.get(path, ctx -> file(ctx, file)));
        routes.get("/api/rooms", ctx -> json(ctx, rooms.view()));
        routes.get("/config", ctx -> json(ctx, config(ctx)));
    }

    /**
     * {@code {"iceServers": [{"urls": ["stun:HOST:PORT"]}], "loopback": bool}}: the relay's own
     * STUN responder, at the host the client reached the relay by. {@code loopback} asks clients
     * to signal only their 127.0.0.1 candidates (the relay listens on 127.0.0.1 only).
     */
    private Map<String, Object> config(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        int stun = stunPort.get();
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? ctx.host() : config.host();
        if (host != null && host.contains(":") && !host.startsWith("[")) {
            host = host.substring(0, host.lastIndexOf(':')); // "host:port" from the Host header
        }
        out.put("iceServers", stun < 0 ? List.of() : List.of(Map.of("urls", List.of("stun:" + host + ":" + stun))));
        out.put("loopback", config.host().equals("127.0.0.1"));
        return out;
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
