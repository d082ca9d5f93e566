package dev.ostiary.consent;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the consent store that Spring Authorization Server and our consent pages share. */
@Configuration(proxyBeanMethods = false)
class ConsentConfiguration {

    @Bean
    PostgresConsentService consentService(JdbcClient jdbc) {
        return new PostgresConsentService(jdbc);
    }
}
