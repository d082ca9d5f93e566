package dev.ostiary.cluster;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    ChangeNotifications changeNotifications(DataSource dataSource) {
        return new ChangeNotifications(dataSource);
    }
}
