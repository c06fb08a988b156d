package callguide.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request written by hand on a plain socket, for what the JDK's HttpClient will not
 * send: a forged {@code Host}, an {@code Origin} on a WebSocket upgrade, a connection from another
 * loopback address (127.0.0.2: still the {@code lo} interface, every packet on this machine).
 */
final class RawHttp {
    /** The status, the headers as text, and the body (for a 101, none). */
    record Response(int status, String head, String body) {
        String code() {
            com.fasterxml.jackson.databind.JsonNode json = TestClient.parse(body);
            return json == null ? null : json.path("payload").path("code").asText(null);
        }
    }

    private RawHttp() {}

    static Response send(Relay relay, String method, String path, Map<String, String> headers) throws IOException {
        return send(relay, null, method, path, headers);
    }

    /** {@code from}: the local address to connect from, or null for any. Headers: Host defaults to the relay's. */
    static Response send(Relay relay, String from, String method, String path, Map<String, String> headers)
            throws IOException {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            request.append("Host: ")
                    .append(relay.config().host())
                    .append(':')
                    .append(relay.port())
                    .append("\r\n");
        }
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (method.equals("POST")) {
            request.append("Content-Length: 0\r\n");
        }
        request.append(headers.containsKey("Upgrade") ? "Connection: Upgrade\r\n\r\n" : "Connection: close\r\n\r\n");
        return exchange(relay, from, request.toString());
    }

    /** {@code request} as it is (head and body, ISO-8859-1), from {@code from} (or any local address); its answer. */
    static Response exchange(Relay relay, String from, String request) throws IOException {
        try (Socket socket = new Socket()) {
            if (from != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            }
            socket.connect(new InetSocketAddress(relay.config().host(), relay.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** A WebSocket upgrade of {@code /rooms/{room}?peer=} with these extra headers. */
    static Response upgrade(Relay relay, String room, String peer, Map<String, String> headers) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of(
                "Upgrade",
                "websocket",
                "Sec-WebSocket-Key",
                "dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Version",
                "13"));
        all.putAll(headers);
        return send(relay, "GET", "/rooms/" + room + "?peer=" + peer, all);
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int state = 0;
        while (state < 4 && (b = in.read()) >= 0) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : 0;
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        if (headText.isEmpty()) {
            return new Response(-1, "", ""); // closed without a word
        }
        int status = Integer.parseInt(headText.split(" ", 3)[1]);
        if (status == 101) {
            return new Response(status, headText, "");
        }
        long length = -1;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        return new Response(status, headText, new String(body, StandardCharsets.UTF_8));
    }
}
