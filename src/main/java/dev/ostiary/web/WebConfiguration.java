package dev.ostiary.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter() {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
                new DatabaseUnavailableFilter());
        // outermost but for the JWKS (which needs no database): it sees what everything inside throws
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }
}
