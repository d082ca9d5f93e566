package dev.ostiary.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The one way Ostiary POSTs to a URL it was given (clients' back-channel logout URIs), with the same
 * rules as {@link PinnedResourceRetriever}: the URL and every address of its host checked by
 * {@link OutboundDestinations}, the connection pinned to the checked address, TLS verified against
 * the host name, no redirects (a 3xx is just a status), no proxy, the connect timeout and one
 * deadline for the answer. Only the status line is read: the caller needs nothing else.
 */
public final class PinnedFormPoster {

    private static final int MAX_STATUS_LINE = 1024;

    private final OutboundDestinations destinations;
    private final PinnedResourceRetriever connections;
    private final long readTimeoutMillis;

    public PinnedFormPoster(OutboundDestinations destinations, PinnedResourceRetriever connections,
            OutboundFetchProperties properties) {
        this.destinations = destinations;
        this.connections = connections;
        this.readTimeoutMillis = properties.readTimeout().toMillis();
    }

    /**
     * POSTs {@code form} ({@code application/x-www-form-urlencoded}, already encoded) to {@code url}.
     *
     * @return the HTTP status of the answer
     * @throws ForbiddenDestinationException when the URL or its host may not be fetched
     * @throws IOException when there is no answer in time
     */
    public int post(String url, String form) throws IOException {
        OutboundDestinations.Destination destination = destinations.resolve(url);
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connections.connect(destination)) {
            socket.setSoTimeout((int) Math.max(1, readTimeoutMillis));
            String path = destination.uri().getRawPath() == null || destination.uri().getRawPath().isEmpty() ? "/"
                    : destination.uri().getRawPath();
            if (destination.uri().getRawQuery() != null) {
                path += "?" + destination.uri().getRawQuery();
            }
            boolean defaultPort = destination.port() == (destination.https() ? 443 : 80);
            String host = (destination.host().contains(":") ? "[" + destination.host() + "]" : destination.host())
                    + (defaultPort ? "" : ":" + destination.port());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nUser-Agent: Ostiary\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return status(socket.getInputStream(), System.nanoTime() + readTimeoutMillis * 1_000_000, socket);
        }
    }

    private static int status(InputStream in, long deadline, Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new java.net.SocketTimeoutException("The answer took too long");
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int b = in.read();
            if (b < 0 || line.length() > MAX_STATUS_LINE) {
                throw new IOException("Not an HTTP answer");
            }
            if (b == '\n') {
                break;
            }
            line.append((char) b);
        }
        String[] parts = line.toString().trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Not an HTTP answer");
        }
    }
}
