package dev.ostiary.grant;

/** How a grant's issued tokens are recorded as {@code token.issued} audit events. */
public enum IssuanceAudit {

    /** One event per token, naming the resource owner it was issued for. */
    EACH_TOKEN,

    /**
     * Summed per client and minute into one event, with no subject: for a machine-to-machine grant
     * on the token endpoint's hot path, where one row per token would be most of the database's work.
     */
    SUMMED_PER_MINUTE
}
