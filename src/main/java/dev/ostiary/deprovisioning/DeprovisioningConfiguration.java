package dev.ostiary.deprovisioning;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.authorization.RefreshTokenFamilies;
import dev.ostiary.client.ClientManagement;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.user.UserSessions;

@Configuration(proxyBeanMethods = false)
public class DeprovisioningConfiguration {

    @Bean
    UserDeprovisioning deprovisioning(JdbcClient jdbc, RefreshTokenFamilies families,
            UserSessions sessions, ScopeCatalog scopes, ClientManagement clients) {
        return new UserDeprovisioning(jdbc, families, sessions, scopes, clients);
    }
}
