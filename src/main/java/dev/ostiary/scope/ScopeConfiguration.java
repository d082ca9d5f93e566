package dev.ostiary.scope;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ostiary.cluster.ChangeNotifications;

@Configuration(proxyBeanMethods = false)
class ScopeConfiguration {

    @Bean
    ScopeCatalog scopeCatalog(ScopeRepository repository, ChangeNotifications changes) {
        ScopeCatalog catalog = new ScopeCatalog(repository);
        changes.subscribe("ostiary_scope", name -> catalog.invalidate(), catalog::invalidate);
        return catalog;
    }
}
