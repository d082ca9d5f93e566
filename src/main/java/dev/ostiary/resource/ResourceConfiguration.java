package dev.ostiary.resource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.cluster.ChangeNotifications;
import dev.ostiary.scope.ScopeCatalog;

@Configuration(proxyBeanMethods = false)
class ResourceConfiguration {

    @Bean
    ResourceCatalog resourceCatalog(ResourceRepository repository, ChangeNotifications changes) {
        ResourceCatalog catalog = new ResourceCatalog(repository);
        changes.subscribe("ostiary_resource", uri -> catalog.invalidate(), catalog::invalidate);
        return catalog;
    }

    @Bean
    ResourceIndicators resourceIndicators(ResourceCatalog resources, ScopeCatalog scopes) {
        return new ResourceIndicators(resources, scopes);
    }
}
