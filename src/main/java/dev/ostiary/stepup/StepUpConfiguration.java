package dev.ostiary.stepup;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.scope.ScopeCatalog;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StepUpProperties.class)
class StepUpConfiguration {

    @Bean
    SecondFactorPolicy secondFactorPolicy(ScopeCatalog scopes, StepUpProperties properties) {
        return new SecondFactorPolicy(scopes, properties);
    }

    @Bean
    AdminApiSignIn adminApiSignIn(StepUpProperties properties) {
        return new AdminApiSignIn(properties);
    }

    @Bean
    StepUpValidator stepUpValidator(SecondFactorPolicy policy, Clock clock) {
        return new StepUpValidator(policy, clock);
    }
}
