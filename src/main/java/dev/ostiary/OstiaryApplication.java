package dev.ostiary;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/** The Ostiary authorization server. */
@SpringBootApplication
// @SpringBootApplication's own exclusions, plus: the sample resource server shares the build, not the application
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.ostiary\\.sample\\..*") })
public class OstiaryApplication {
    public static void main(String[] args) {
        SpringApplication.run(OstiaryApplication.class, args);
    }
}
