package dev.ostiary.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * The one way Ostiary fetches a URL it was given (client {@code jwks_uri}s), as a Nimbus
 * {@link ResourceRetriever} so that {@code JWKSourceBuilder.create(url, retriever)} caches and
 * rate-limits on top of it:
 * <ul>
 * <li>the URL and every address of its host are checked by {@link OutboundDestinations} first;</li>
 * <li>the connection goes to the address that was checked (pinned: no second DNS lookup, so no
 * rebinding window), with TLS verified against the URL's host name (SNI and endpoint identification);</li>
 * <li>one {@code GET}, no redirects (a 3xx is a failure), no cookies, no proxy;</li>
 * <li>a connect timeout, and one deadline for the whole answer (a slow drip cannot hold a thread);</li>
 * <li>at most {@code maxSize} bytes of body, and 8 KB of headers.</li>
 * </ul>
 * A small HTTP/1.1 client of its own because neither {@code HttpURLConnection} nor the JDK
 * {@code HttpClient} can be told which address to connect to for a host name.
 */
public final class PinnedResourceRetriever implements ResourceRetriever {

    private static final int MAX_HEADER_BYTES = 8 * 1024;

    private final OutboundDestinations destinations;
    private final int connectTimeoutMillis;
    private final long readTimeoutMillis;
    private final int maxSize;
    private final SSLSocketFactory tls;

    public PinnedResourceRetriever(OutboundDestinations destinations, OutboundFetchProperties properties) {
        this(destinations, properties, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public PinnedResourceRetriever(OutboundDestinations destinations, OutboundFetchProperties properties,
            SSLSocketFactory tls) {
        this.destinations = destinations;
        this.connectTimeoutMillis = (int) properties.connectTimeout().toMillis();
        this.readTimeoutMillis = properties.readTimeout().toMillis();
        this.maxSize = (int) properties.maxSize().toBytes();
        this.tls = tls;
    }

    /** A fetched document and the one header its caller may honour (how long it may be kept). */
    public record Fetched(String content, String contentType, String cacheControl) {
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        Fetched fetched = fetch(url);
        return new Resource(fetched.content(), fetched.contentType());
    }

    /** The same fetch as {@link #retrieveResource}, with the answer's {@code Cache-Control}. */
    public Fetched fetch(URL url) throws IOException {
        OutboundDestinations.Destination destination = destinations.resolve(url.toString());
        long deadline = System.nanoTime() + readTimeoutMillis * 1_000_000;
        try (Socket socket = connect(destination)) {
            OutputStream out = socket.getOutputStream();
            String path = destination.uri().getRawPath() == null || destination.uri().getRawPath().isEmpty() ? "/"
                    : destination.uri().getRawPath();
            if (destination.uri().getRawQuery() != null) {
                path += "?" + destination.uri().getRawQuery();
            }
            boolean defaultPort = destination.port() == (destination.https() ? 443 : 80);
            String hostHeader = (destination.host().contains(":") ? "[" + destination.host() + "]" : destination.host())
                    + (defaultPort ? "" : ":" + destination.port());
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nAccept: application/jwk-set+json, application/json\r\nUser-Agent: Ostiary"
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(new DeadlineStream(socket, deadline));
        }
    }

    Socket connect(OutboundDestinations.Destination destination) throws IOException {
        Socket socket = new Socket(java.net.Proxy.NO_PROXY);
        try {
            socket.connect(new InetSocketAddress(destination.address(), destination.port()), connectTimeoutMillis);
            if (!destination.https()) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, destination.host(), destination.port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!destination.host().contains(":") && !destination.host().matches("[0-9.]+")) {
                parameters.setServerNames(List.of(new SNIHostName(destination.host())));
            }
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(connectTimeoutMillis);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Fetched read(DeadlineStream in) throws IOException {
        String statusLine = line(in);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer");
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("Not an HTTP answer");
        }
        long contentLength = -1;
        boolean chunked = false;
        String contentType = null;
        String cacheControl = null;
        int headerBytes = statusLine.length();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headerBytes += header.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("The answer's headers are too large");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("Bad Content-Length");
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-type" -> contentType = value;
                case "cache-control" -> cacheControl = value;
                default -> { }
            }
        }
        if (code >= 300 && code < 400) {
            throw new IOException("Redirects are not followed (HTTP " + code + ")");
        }
        if (code != 200) {
            throw new IOException("HTTP " + code);
        }
        if (contentLength > maxSize) {
            throw new IOException("The document is larger than " + maxSize + " bytes");
        }
        byte[] body = chunked ? chunked(in) : body(in, contentLength);
        return new Fetched(new String(body, StandardCharsets.UTF_8), contentType, cacheControl);
    }

    private byte[] body(InputStream in, long contentLength) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long remaining = contentLength < 0 ? Long.MAX_VALUE : contentLength;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                if (contentLength >= 0) {
                    throw new IOException("The answer ended early");
                }
                break;
            }
            body.write(buffer, 0, n);
            remaining -= n;
            if (body.size() > maxSize) {
                throw new IOException("The document is larger than " + maxSize + " bytes");
            }
        }
        return body.toByteArray();
    }

    private byte[] chunked(DeadlineStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("Bad chunk");
            }
            if (size == 0) {
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > maxSize) {
                throw new IOException("The document is larger than " + maxSize + " bytes");
            }
            body.write(body(in, size));
            line(in);
        }
    }

    /** One CRLF-terminated line of at most 8 KB. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("The answer ended early");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("The answer's header line is too long");
            }
        }
    }

    /** The socket's input, failing once the deadline for the whole answer has passed. */
    private static final class DeadlineStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] one = new byte[1];

        DeadlineStream(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("The answer took too long");
            }
            socket.setSoTimeout((int) Math.max(1, left));
            return in.read(buffer, offset, length);
        }
    }
}
