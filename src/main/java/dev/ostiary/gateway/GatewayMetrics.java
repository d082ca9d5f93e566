package dev.ostiary.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ostiary.gateway.checks} by outcome: counters made once, an increment per check, in memory.
 * The check writes no audit event: the gateway answers every API request, and the tokens it sees
 * were audited when they were issued and when they are revoked.
 */
public final class GatewayMetrics {

    private final Counter allowed;
    private final Counter noToken;
    private final Counter invalidToken;
    private final Counter invalidRequest;
    private final Counter insufficientScope;
    private final Counter misconfigured;

    public GatewayMetrics(MeterRegistry registry) {
        this.allowed = counter(registry, "allowed");
        this.noToken = counter(registry, "no_token");
        this.invalidToken = counter(registry, "invalid_token");
        this.invalidRequest = counter(registry, "invalid_request");
        this.insufficientScope = counter(registry, "insufficient_scope");
        this.misconfigured = counter(registry, "misconfigured");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("ostiary.gateway.checks").tag("outcome", outcome)
                .description("nginx auth_request checks by outcome").register(registry);
    }

    void count(GatewayAnswer answer) {
        Counter counter;
        if (answer instanceof GatewayAnswer.Refused refused) {
            String error = refused.error();
            counter = error == null ? noToken : error.equals("insufficient_scope") ? insufficientScope
                    : error.equals("invalid_request") ? invalidRequest : invalidToken;
        } else {
            counter = answer instanceof GatewayAnswer.Allowed ? allowed : misconfigured;
        }
        counter.increment();
    }
}
