package dev.ostiary.session;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * The HTTP session store: Spring Session JDBC, configured by Spring Boot from application.yml
 * ({@code spring.session.*}, {@code server.servlet.session.*}; docs/configuration.md), over the tables
 * of Flyway's V17. Its one Ostiary piece: how attributes are read back.
 */
@Configuration(proxyBeanMethods = false)
public class SessionStoreConfiguration {

    /**
     * A customizer rather than a {@code springSessionConversionService} bean: a second
     * {@code ConversionService} bean would make every by-type injection of one ambiguous.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionAttributeSerialization() {
        return repository -> repository.setConversionService(
                SessionAttributeSerialization.conversionService(SessionStoreConfiguration.class.getClassLoader()));
    }
}
