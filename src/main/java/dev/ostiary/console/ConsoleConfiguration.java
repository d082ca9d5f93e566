package dev.ostiary.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.secondfactor.SecondFactorRequirement;
import dev.ostiary.stepup.StepUpProperties;
import dev.ostiary.user.Accounts;

/** The operator console's beans; its filter chain is {@code config/ConsoleSecurity}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    @Bean
    ConsoleAccess consoleAccess(Accounts accounts, SecondFactorRequirement secondFactor, StepUpProperties stepUp) {
        return new ConsoleAccess(accounts, secondFactor, stepUp);
    }

    @Bean
    ConsoleTime consoleTime() {
        return new ConsoleTime();
    }
}
