package dev.ostiary.clientmetadata;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.fetch.PinnedResourceRetriever;

/** Client ID Metadata Documents: nothing is resolved unless {@code ostiary.client-id-metadata.enabled}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClientIdMetadataProperties.class)
class ClientIdMetadataConfiguration {

    @Bean
    @ConditionalOnBooleanProperty("ostiary.client-id-metadata.enabled")
    MetadataDocumentClients metadataDocumentClients(ClientIdMetadataProperties properties,
            PinnedResourceRetriever fetcher, JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        return new MetadataDocumentClients(properties, fetcher, new KnownMetadataClients(jdbc), events, clock);
    }
}
