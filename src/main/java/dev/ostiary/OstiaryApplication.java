package dev.ostiary;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Ostiary authorization server. Its features run scheduled jobs (key rotation, purges, counters). */
@SpringBootApplication
@EnableScheduling
// @SpringBootApplication's own exclusions, plus: the sample resource server shares the build, not the application
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.ostiary\\.sample\\..*") })
public class OstiaryApplication {

    /** The clock every feature is given (UTC), rather than each reading the system time: unit tests pass a fixed one. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        SpringApplication.run(OstiaryApplication.class, args);
    }
}
