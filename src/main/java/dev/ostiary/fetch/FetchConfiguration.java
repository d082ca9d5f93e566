package dev.ostiary.fetch;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundFetchProperties.class)
class FetchConfiguration {

    @Bean
    OutboundDestinations outboundDestinations(OutboundFetchProperties properties) {
        return new OutboundDestinations(properties);
    }

    @Bean
    PinnedResourceRetriever pinnedResourceRetriever(OutboundDestinations destinations,
            OutboundFetchProperties properties) {
        return new PinnedResourceRetriever(destinations, properties);
    }

    @Bean
    PinnedFormPoster pinnedFormPoster(OutboundDestinations destinations, PinnedResourceRetriever connections,
            OutboundFetchProperties properties) {
        return new PinnedFormPoster(destinations, connections, properties);
    }
}
