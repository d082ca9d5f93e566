package dev.ostiary.console;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.metrics.RequestMetrics;

/**
 * The overview's numbers, per minute over the last hour. What the audit trail records is read from
 * PostgreSQL, so it is the whole cluster's: tokens issued by grant, failed sign-ins, failed client
 * authentications, lockouts. What only the request path sees ({@link RequestMetrics}: 429 answers, the
 * token endpoint's p99) is sampled here once a minute and is this instance's alone, which the page says.
 */
final class ConsoleOverview {

    static final int MINUTES = 60;

    /** One line of a chart: a value per minute, oldest first. */
    record Series(String name, List<Number> values) {

        public Number total() {
            return values.stream().mapToDouble(Number::doubleValue).sum();
        }

        public double max() {
            return values.stream().mapToDouble(Number::doubleValue).max().orElse(0);
        }
    }

    /**
     * One chart: {@code key} names its title (console.overview.chart.&lt;key&gt;); {@code thisNode}
     * when it is this instance's alone; {@code unit} "count" or "ms".
     */
    record Chart(String key, String unit, boolean thisNode, List<Series> series) {
    }

    /** The minutes (epoch seconds, oldest first) and the charts over them. */
    record View(List<Long> minutes, List<Chart> charts) {
    }

    /** A minute sampled from this instance's meters. */
    private record Sample(long rateLimited, double tokenP99Millis, long tokenRequests) {
    }

    private final JdbcClient jdbc;
    private final RequestMetrics metrics;
    private final Clock clock;
    private final ConcurrentSkipListMap<Instant, Sample> samples = new ConcurrentSkipListMap<>();
    private volatile long lastRateLimited;
    private volatile long lastTokenRequests;

    ConsoleOverview(JdbcClient jdbc, RequestMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.clock = clock;
        this.lastRateLimited = metrics.rateLimitedSoFar();
        this.lastTokenRequests = metrics.tokenRequestsSoFar();
    }

    /** Once a minute: what this instance's meters moved by in the minute that just ended. */
    void sample() {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.MINUTES);
        long rateLimited = metrics.rateLimitedSoFar();
        long tokens = metrics.tokenRequestsSoFar();
        samples.put(minute, new Sample(rateLimited - lastRateLimited,
                tokens == lastTokenRequests ? 0 : metrics.tokenP99Millis(), tokens - lastTokenRequests));
        lastRateLimited = rateLimited;
        lastTokenRequests = tokens;
        samples.headMap(minute.minus(MINUTES, ChronoUnit.MINUTES)).clear();
    }

    View view() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant from = now.minus(MINUTES - 1, ChronoUnit.MINUTES);
        List<Instant> minutes = new ArrayList<>();
        for (int i = 0; i < MINUTES; i++) {
            minutes.add(from.plus(i, ChronoUnit.MINUTES));
        }
        Map<String, Map<Instant, Long>> byGrant = new TreeMap<>();
        Map<String, Map<Instant, Long>> byType = new LinkedHashMap<>();
        jdbc.sql("""
                select date_trunc('minute', occurred_at) as m, type, coalesce(details->>'grantType', '') as grant_type,
                       sum(coalesce((details->>'count')::bigint, 1)) as n
                  from audit_event
                 where occurred_at >= ? and type in ('token.issued', 'login.failed', 'client.auth_failed',
                                                     'account.locked', 'second_factor.locked')
                 group by 1, 2, 3""")
                .param(Timestamp.from(from))
                .query(rs -> {
                    Instant minute = rs.getTimestamp("m").toInstant();
                    String type = rs.getString("type");
                    Map<String, Map<Instant, Long>> into = type.equals("token.issued") ? byGrant : byType;
                    String name = type.equals("token.issued") ? rs.getString("grant_type")
                            : type.equals("second_factor.locked") ? "account.locked" : type;
                    into.computeIfAbsent(name, k -> new TreeMap<>()).merge(minute, rs.getLong("n"), Long::sum);
                });
        List<Series> tokens = new ArrayList<>();
        byGrant.forEach((grant, counts) -> tokens.add(series(grant.isEmpty() ? "?" : grant, minutes, counts)));
        List<Chart> charts = List.of(
                new Chart("tokens", "count", false, tokens.isEmpty() ? List.of(series("-", minutes, Map.of())) : tokens),
                new Chart("failures", "count", false, List.of(
                        series("login.failed", minutes, byType.getOrDefault("login.failed", Map.of())),
                        series("client.auth_failed", minutes, byType.getOrDefault("client.auth_failed", Map.of())))),
                new Chart("lockouts", "count", false, List.of(
                        series("account.locked", minutes, byType.getOrDefault("account.locked", Map.of())))),
                new Chart("rateLimited", "count", true, List.of(new Series("429", minutes.stream()
                        .map(m -> (Number) (samples.containsKey(m) ? samples.get(m).rateLimited() : 0L)).toList()))),
                new Chart("tokenP99", "ms", true, List.of(new Series("p99", minutes.stream()
                        .map(m -> (Number) (samples.containsKey(m) ? Math.round(samples.get(m).tokenP99Millis() * 10) / 10.0
                                : 0.0)).toList()))));
        return new View(minutes.stream().map(Instant::getEpochSecond).toList(), charts);
    }

    private static Series series(String name, List<Instant> minutes, Map<Instant, Long> counts) {
        return new Series(name, minutes.stream().map(m -> (Number) counts.getOrDefault(m, 0L)).toList());
    }
}
