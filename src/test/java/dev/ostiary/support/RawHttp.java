package dev.ostiary.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: the request target goes out exactly as
 * given ({@code /oauth2/%74oken}, {@code /oauth2//token}, {@code ;jsessionid=}), which an HTTP client
 * library may normalize, and the request can leave from any loopback address ({@code 127.0.0.x}), so
 * a test can lock out or deny an address of its own.
 */
public final class RawHttp {

    private final String baseUrl;

    public RawHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** An answer: status, headers (lower-case names, first value), body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public Response post(String target, Map<String, String> headers, String body) throws IOException {
        return send("127.0.0.1", "POST", target, headers, body);
    }

    public Response get(String target, Map<String, String> headers) throws IOException {
        return send("127.0.0.1", "GET", target, headers, null);
    }

    /** Sends {@code method target} from {@code sourceAddress} with these headers (and a body, if not null). */
    public Response send(String sourceAddress, String method, String target, Map<String, String> headers, String body)
            throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        headers.forEach((name, value) -> lines.add(name + ": " + value));
        return sendLines(sourceAddress, method, target, lines, body);
    }

    /**
     * Sends {@code method target} with these header lines exactly as given ({@code "Name: value"}),
     * so a header may appear more than once.
     */
    public Response sendLines(String sourceAddress, String method, String target, List<String> headerLines,
            String body) throws IOException {
        URI base = URI.create(baseUrl);
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        headerLines.forEach(line -> request.append(line).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(20_000);
            socket.bind(new InetSocketAddress(sourceAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        }
    }

    /** HTTP Basic for a client (RFC 6749 §2.3.1). */
    public static String basic(String clientId, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, String> form(String... moreHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        for (int i = 0; i + 1 < moreHeaders.length; i += 2) {
            headers.put(moreHeaders[i], moreHeaders[i + 1]);
        }
        return headers;
    }

    private static Response parse(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String rawBody = end < 0 ? "" : text.substring(end + 4);
        List<String> lines = List.of(head.split("\r\n"));
        int status = Integer.parseInt(lines.get(0).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? unchunk(rawBody) : rawBody;
        return new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = chunked.substring(at, lineEnd).split(";")[0].trim();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.writeBytes(chunked.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
