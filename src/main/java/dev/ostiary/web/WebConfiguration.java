package dev.ostiary.web;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.StreamReadConstraints;

/** Web-wide settings. The servlet filters are registered, in order, by {@code config/RequestPipeline}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ RequestLimitsProperties.class, IssuerProperties.class })
class WebConfiguration {

    @Bean
    TrustedProxies trustedProxies(org.springframework.core.env.Environment environment) {
        return new TrustedProxies(org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("ostiary.trusted-proxies", org.springframework.boot.context.properties.bind.Bindable.listOf(
                        String.class)).orElse(List.of()));
    }

    /**
     * The JSON parser behind every {@code @RequestBody} (and our own registration endpoint) stops at
     * these limits, whatever the body cap: Jackson 3 defaults to unlimited documents and tokens.
     */
    @Bean
    JsonFactoryBuilderCustomizer boundedJsonParsing(RequestLimitsProperties limits) {
        return factory -> factory.streamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(limits.maxRequestBody().toBytes())
                .maxStringLength(limits.maxJsonStringLength())
                .maxTokenCount(limits.maxJsonTokens())
                .maxNestingDepth(limits.maxJsonNesting())
                .build());
    }
}
