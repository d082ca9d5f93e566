package dev.ostiary.selfservice;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.user.Accounts;

@Configuration(proxyBeanMethods = false)
class SelfServiceConfiguration {

    @Bean
    ServiceRoles serviceRoles(Accounts accounts) {
        return new ServiceRoles(accounts);
    }
}
