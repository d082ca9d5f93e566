package dev.ostiary.metrics;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two meters Spring's {@code http.server.requests} cannot give, because the token endpoint and the
 * rate limits answer inside Spring Security's filters, where no handler pattern names the request:
 * <ul>
 * <li>{@value #TOKEN_LATENCY}: every request the token endpoint's own matcher takes
 * ({@code web/EndpointMatchers#token}, so non-canonical spellings count too), from the first filter
 * to the last byte, with its p99 over the last minute;</li>
 * <li>{@value #RATE_LIMITED}: every answer 429, whichever limit gave it.</li>
 * </ul>
 * The console's overview samples both once a minute (docs/console.md#overview).
 */
public final class RequestMetrics extends OncePerRequestFilter {

    public static final String TOKEN_LATENCY = "ostiary.token.requests";
    public static final String RATE_LIMITED = "ostiary.requests.rate_limited";

    private final RequestMatcher tokenEndpoint;
    private final Timer tokenRequests;
    private final Counter rateLimited;

    public RequestMetrics(RequestMatcher tokenEndpoint, MeterRegistry meters) {
        this.tokenEndpoint = tokenEndpoint;
        this.tokenRequests = Timer.builder(TOKEN_LATENCY).description("Token endpoint requests, first filter to last byte")
                .publishPercentiles(0.99).distributionStatisticExpiry(Duration.ofMinutes(1))
                .distributionStatisticBufferLength(2).register(meters);
        this.rateLimited = Counter.builder(RATE_LIMITED).description("Requests answered 429 Too Many Requests")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean token = tokenEndpoint.matches(request);
        long start = token ? System.nanoTime() : 0;
        try {
            chain.doFilter(request, response);
        } finally {
            if (token) {
                tokenRequests.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            if (response.getStatus() == 429) {
                rateLimited.increment();
            }
        }
    }

    /** The token endpoint's p99 over the last minute, in milliseconds; 0 without requests. */
    public double tokenP99Millis() {
        for (var value : tokenRequests.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.99) {
                return value.value(java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /** How many requests were answered 429 since start. */
    public long rateLimitedSoFar() {
        return (long) rateLimited.count();
    }

    /** How many token requests since start. */
    public long tokenRequestsSoFar() {
        return tokenRequests.count();
    }
}
