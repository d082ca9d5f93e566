package dev.ostiary.session;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.CookieSerializer;

/**
 * The HTTP session store: Spring Session JDBC, configured by Spring Boot from application.yml
 * ({@code spring.session.*}, {@code server.servlet.session.*}; docs/configuration.md), over the tables
 * of Flyway's V17. Its Ostiary pieces: how attributes are read back, and session ids stored as digests
 * ({@link DigestedSessionIds}).
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
