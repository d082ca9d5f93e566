package dev.ostiary.session;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.CookieSerializer;

/**
 * The HTTP session store: Spring Session JDBC, configured by Spring Boot from application.yml
 * ({@code spring.session.*}, {@code server.servlet.session.*}; docs/configuration.md), over the tables
 * of Flyway's V17. Its Ostiary pieces: how attributes are read back, session ids stored as digests
 * ({@link DigestedSessionIds}), and the session row rewritten only when more than its last access time
 * changed.
 */
@Configuration(proxyBeanMethods = false)
public class SessionStoreConfiguration {

    /**
     * A customizer rather than a {@code springSessionConversionService} bean: a second
     * {@code ConversionService} bean would make every by-type injection of one ambiguous.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionAttributeSerialization() {
        return repository -> {
            repository.setConversionService(
                    SessionAttributeSerialization.conversionService(SessionStoreConfiguration.class.getClassLoader()));
            repository.setSessionIdGenerator(DigestedSessionIds.generator());
        };
    }

    /**
     * Two requests of one session that both add the same attribute at once (a page firing WebAuthn
     * option requests in parallel, each saving its challenge) would both INSERT it, and the second
     * would fail the request with a 500 on the primary key. PostgreSQL's upsert, as Spring Session's
     * reference suggests for PostgreSQL: the later write wins, as it would have sequentially.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> concurrentAttributeInserts() {
        return repository -> repository.setCreateSessionAttributeQuery("""
                INSERT INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES)
                VALUES (?, ?, ?)
                ON CONFLICT (SESSION_PRIMARY_ID, ATTRIBUTE_NAME) DO UPDATE SET ATTRIBUTE_BYTES = EXCLUDED.ATTRIBUTE_BYTES
                """);
    }

    /**
     * Spring Session rewrites the session row on every request, because the request moved its last
     * access time. Most of a sign-in's requests change nothing else, and each rewrite is a new row
     * version, two index updates and a WAL flush at commit. The update still runs, but writes only
     * when the id, the timeout or the principal changed, or the stored last access time is older than
     * a tenth of the timeout (at most a minute): a session then ends up to that much earlier than its
     * idle timeout says, never later, and every node reads the same expiry from the row.
     * The bindings are Spring Session's own, in its order (id, last access ms, timeout s, expiry ms,
     * principal, primary id); only the statement is ours.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> lastAccessWrittenOnlyWhenItMatters() {
        return repository -> repository.setUpdateSessionQuery("""
                UPDATE %TABLE_NAME% S
                SET SESSION_ID = V.SESSION_ID, LAST_ACCESS_TIME = V.LAST_ACCESS_TIME,
                    MAX_INACTIVE_INTERVAL = V.MAX_INACTIVE_INTERVAL, EXPIRY_TIME = V.EXPIRY_TIME,
                    PRINCIPAL_NAME = V.PRINCIPAL_NAME
                FROM (VALUES (CAST(? AS CHAR(36)), CAST(? AS BIGINT), CAST(? AS INT), CAST(? AS BIGINT),
                              CAST(? AS VARCHAR(100)), CAST(? AS CHAR(36))))
                     AS V (SESSION_ID, LAST_ACCESS_TIME, MAX_INACTIVE_INTERVAL, EXPIRY_TIME, PRINCIPAL_NAME, PRIMARY_ID)
                WHERE S.PRIMARY_ID = V.PRIMARY_ID
                AND (S.SESSION_ID <> V.SESSION_ID
                     OR S.MAX_INACTIVE_INTERVAL <> V.MAX_INACTIVE_INTERVAL
                     OR S.PRINCIPAL_NAME IS DISTINCT FROM V.PRINCIPAL_NAME
                     OR V.LAST_ACCESS_TIME - S.LAST_ACCESS_TIME >= LEAST(60000, GREATEST(S.MAX_INACTIVE_INTERVAL, 0) * 100))
                """);
    }

    /**
     * Spring Session's statements join the caller's transaction (PROPAGATION_REQUIRED) instead of
     * opening one of their own (its default, REQUIRES_NEW). Ending a user's sessions is part of the
     * change that ends them (a lock, a new password: dev.ostiary.deprovisioning): with REQUIRES_NEW each
     * such change held its pooled connection while it waited for a second one, and sixteen locks of one
     * user at once (each holding a connection while it waited on the user's row) starved the pool into
     * 503s. Joined, the sessions end on the change's connection and commit, or roll back, with it.
     * Outside a transaction (the end-of-request save, the cleanup job) nothing changes: each statement
     * group runs in a transaction of its own. One bean under both names: a second
     * {@code TransactionOperations} makes Spring Boot's {@code transactionTemplate} back off, and this is
     * the same template.
     */
    @Bean(name = { "transactionTemplate", "springSessionTransactionOperations" })
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    /** Boot's cookie serializer, reading and writing cookie values whose digests are the stored ids. */
    @Bean
    static BeanPostProcessor digestedSessionIdCookies() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof CookieSerializer serializer ? DigestedSessionIds.cookies(serializer) : bean;
            }
        };
    }
}
