package dev.ostiary.cluster;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

    @Bean
    DedicatedConnections dedicatedConnections(DataSource dataSource, ClusterProperties properties) {
        return new DedicatedConnections(dataSource, properties.heartbeatTimeout());
    }

    @Bean
    ChangeNotifications changeNotifications(DedicatedConnections connections, ClusterProperties properties) {
        return new ChangeNotifications(connections, properties.heartbeatInterval());
    }

    /** {@code ostiary.cluster.leader}: 1 on the node that runs the scheduled key rotation, 0 on the others. */
    @Bean
    ClusterLeadership clusterLeadership(DedicatedConnections connections, ClusterProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        ClusterLeadership leadership = new ClusterLeadership(connections, properties.heartbeatInterval());
        meters.ifAvailable(registry -> Gauge.builder("ostiary.cluster.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 when this node runs the cluster's scheduled key rotation").register(registry));
        return leadership;
    }
}
