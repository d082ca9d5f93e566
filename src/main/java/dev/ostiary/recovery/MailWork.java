package dev.ostiary.recovery;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;

/**
 * The work behind "we sent you a link" pages, done after the page has answered: looking the account
 * up, hashing a password, talking to the SMTP server. So the answer takes the same time whether or
 * not an account exists (timing would tell otherwise, review: enumeration), and a slow mail server
 * never holds a request. A few workers with a bounded queue: a flood of requests costs at most that
 * many database connections, and beyond the queue a request is dropped and audited, never queued
 * without end.
 */
public class MailWork {

    private static final Logger log = LoggerFactory.getLogger(MailWork.class);

    private final Executor workers;
    private final ApplicationEventPublisher events;

    public MailWork(Executor workers, ApplicationEventPublisher events) {
        this.workers = workers;
        this.events = events;
    }

    /** Runs {@code work} later; {@code type} is audited with reason "busy" when it cannot be queued. */
    public void later(AuditEventType type, MailContext context, Runnable work) {
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    // nobody waits for this answer: the audit trail and the log are where it goes
                    log.warn("{} failed: {}", type.eventName(), e.getClass().getName());
                    events.publishEvent(new AuditEvent(java.time.Instant.now(), type, null, null,
                            context.sourceIp(), Map.of("outcome", "error")));
                }
            });
        } catch (RejectedExecutionException e) {
            events.publishEvent(new AuditEvent(java.time.Instant.now(), type, null, null, context.sourceIp(),
                    Map.of("outcome", "busy")));
        }
    }
}
