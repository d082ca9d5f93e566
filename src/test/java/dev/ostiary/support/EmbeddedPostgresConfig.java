package dev.ostiary.support;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application's DataSource on the embedded PostgreSQL: a fresh database per Spring context, or
 * the one named by {@code ostiary.test.jdbc-url} (a restart on the same data, a second instance).
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedPostgresConfig {

    @Bean
    DataSource dataSource(Environment environment) {
        String url = environment.getProperty("ostiary.test.jdbc-url");
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url != null ? url : EmbeddedPostgresSupport.newDatabase());
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(environment.getProperty("ostiary.test.pool-size", Integer.class, 10));
        dataSource.setConnectionTimeout(3000);
        return dataSource;
    }
}
