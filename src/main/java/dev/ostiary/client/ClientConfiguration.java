package dev.ostiary.client;

import java.time.Duration;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.cluster.ChangeNotifications;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.fetch.OutboundDestinations;
import dev.ostiary.fetch.OutboundFetchProperties;
import dev.ostiary.fetch.PinnedResourceRetriever;
import dev.ostiary.grant.Grants;
import dev.ostiary.keys.LongestTokenLifetime;
import dev.ostiary.scope.ScopeCatalog;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClientProperties.class)
public class ClientConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClientConfiguration.class);

    @Bean
    ClientSecretHasher clientSecretHasher(ClientProperties properties) {
        if (properties.secretPepper() == null || properties.secretPepper().isBlank()) {
            byte[] pepper = new byte[32];
            new java.security.SecureRandom().nextBytes(pepper);
            log.warn("OSTIARY_CLIENT_SECRET_PEPPER is not set: generated a throw-away pepper. Client secrets stored"
                    + " now stop matching after a restart. Set it to base64 of 32 random bytes (openssl rand -base64 32)"
                    + " in every real deployment.");
            return new ClientSecretHasher(pepper);
        }
        return new ClientSecretHasher(decode(properties.secretPepper()));
    }

    @Bean
    CachingRegisteredClientRepository registeredClientRepository(ClientRepository clients,
            ChangeNotifications changes, ClientProperties properties,
            org.springframework.beans.factory.ObjectProvider<UnregisteredClients> unregistered) {
        CachingRegisteredClientRepository repository = new CachingRegisteredClientRepository(clients,
                properties.cacheSize(), unregistered.getIfAvailable());
        changes.subscribe("ostiary_client", repository::evict, repository::evictAll);
        return repository;
    }

    @Bean
    ClientManagement clientManagement(ClientRepository clients, ClientSecretHasher secrets,
            MasterKey masterKey, ScopeCatalog scopes, Grants grants,
            CachingRegisteredClientRepository cache, ApplicationEventPublisher events,
            OutboundDestinations destinations, ClientProperties properties,
            dev.ostiary.resource.ResourceCatalog resources) {
        return new ClientManagement(clients, secrets, masterKey, scopes, grants, cache, events, destinations,
                properties.maxPerOwner(), resources);
    }

    @Bean
    ClientDirectory clientDirectory(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        return new ClientDirectory(jdbc);
    }

    @Bean
    ClientAssertionDecoders clientAssertionDecoders(ClientManagement clients, dev.ostiary.replay.SeenJtis seen,
            java.time.Clock clock, PinnedResourceRetriever retriever, OutboundFetchProperties fetching) {
        return new ClientAssertionDecoders(clients, seen, clock, retriever, fetching);
    }

    /** The bean name is the one Spring Security's CORS filter and the JWKS endpoint look up. */
    @Bean
    RegisteredWebOrigins corsConfigurationSource(ClientRepository clients, ChangeNotifications changes,
            dev.ostiary.web.EndpointMatchers endpoints) {
        RegisteredWebOrigins origins = new RegisteredWebOrigins(clients, endpoints.crossOrigin());
        changes.subscribe("ostiary_client", clientId -> origins.invalidate(), origins::invalidate);
        return origins;
    }

    /** How long after its last use a signing key may still be needed to verify an access token. */
    @Bean
    LongestTokenLifetime longestTokenLifetime(ClientRepository clients) {
        // ID tokens live 30 minutes (Spring Authorization Server's fixed lifetime)
        return () -> Duration.ofSeconds(Math.max(clients.longestAccessTokenTtlSeconds(), 1800));
    }

    private static byte[] decode(String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            return Base64.getUrlDecoder().decode(value.trim());
        }
    }
}
