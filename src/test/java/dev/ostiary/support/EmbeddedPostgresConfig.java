package dev.ostiary.support;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application's DataSource on the embedded PostgreSQL: a fresh database per Spring context, or
 * the one named by {@code ostiary.test.jdbc-url} (a restart on the same data, a second instance), with
 * the pool settings of {@code spring.datasource.hikari}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedPostgresConfig {

    @Bean
    DataSource dataSource(Environment environment) {
        String url = environment.getProperty("ostiary.test.jdbc-url");
        HikariDataSource dataSource = new HikariDataSource();
        // the production pool settings of application.yml (failover timeouts, keepalive, the read-only
        // eviction), as Boot would apply them; then the tests' own pool size and connection timeout
        org.springframework.boot.context.properties.bind.Binder.get(environment).bind("spring.datasource.hikari",
                org.springframework.boot.context.properties.bind.Bindable.ofInstance(dataSource));
        dataSource.setJdbcUrl(url != null ? url : EmbeddedPostgresSupport.newDatabase());
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(environment.getProperty("ostiary.test.pool-size", Integer.class, 10));
        dataSource.setConnectionTimeout(3000);
        return dataSource;
    }
}
