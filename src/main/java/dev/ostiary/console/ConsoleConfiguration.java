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
    ConsoleOverview consoleOverview(org.springframework.jdbc.core.simple.JdbcClient jdbc,
            dev.ostiary.metrics.RequestMetrics metrics, java.time.Clock clock) {
        return new ConsoleOverview(jdbc, metrics, clock);
    }

    /** At second 0 of each minute, this instance's meters for the minute that just ended. */
    @Bean
    org.springframework.scheduling.annotation.SchedulingConfigurer consoleOverviewSamples(ConsoleOverview overview) {
        return registrar -> registrar.addCronTask(overview::sample, "0 * * * * *");
    }

    @Bean
    ConsoleTime consoleTime() {
        return new ConsoleTime();
    }
}
