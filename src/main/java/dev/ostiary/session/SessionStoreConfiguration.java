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
