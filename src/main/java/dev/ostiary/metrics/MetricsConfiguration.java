package dev.ostiary.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.ostiary.web.EndpointMatchers;

/** {@link RequestMetrics} as the outermost servlet filter, so its time covers every other filter. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    RequestMetrics requestMetrics(EndpointMatchers endpoints, MeterRegistry meters) {
        return new RequestMetrics(endpoints.token(), meters);
    }

    @Bean
    FilterRegistrationBean<RequestMetrics> requestMetricsRegistration(RequestMetrics metrics) {
        FilterRegistrationBean<RequestMetrics> registration = new FilterRegistrationBean<>(metrics);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
