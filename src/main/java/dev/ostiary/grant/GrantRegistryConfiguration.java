package dev.ostiary.grant;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry of every {@link GrantRegistration} bean, in their {@code @Order}. */
@Configuration(proxyBeanMethods = false)
class GrantRegistryConfiguration {

    @Bean
    Grants grants(List<GrantRegistration> registrations) {
        return new Grants(registrations);
    }
}
