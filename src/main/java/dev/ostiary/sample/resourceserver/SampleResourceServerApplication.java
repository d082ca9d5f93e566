package dev.ostiary.sample.resourceserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A sample API that trusts Ostiary's tokens the way any third-party API would: it knows only the
 * issuer URL, and talks to Ostiary over HTTP (discovery, then the JWKS). It shares the build with
 * the server for convenience only; a test keeps it free of the server's classes. Run it with
 * {@code mvn spring-boot:run -Dostiary.run.main=dev.ostiary.sample.resourceserver.SampleResourceServerApplication}
 * (see docs/resource-server.md).
 */
@SpringBootApplication(excludeName = {
        // the server's storage and authorization server, present on the shared classpath
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
public class SampleResourceServerApplication {

    public static void main(String[] args) {
        run(args);
    }

    public static org.springframework.context.ConfigurableApplicationContext run(String... args) {
        SpringApplication application = new SpringApplication(SampleResourceServerApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", "sample-resource-server"));
        return application.run(args);
    }
}
