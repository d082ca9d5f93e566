package dev.ostiary.clientmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.unit.DataSize;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.fetch.OutboundDestinations;
import dev.ostiary.fetch.OutboundFetchProperties;
import dev.ostiary.fetch.PinnedResourceRetriever;
import dev.ostiary.support.TestClocks;

/**
 * The resolver against a loopback web site with a clock the test moves: what is fetched when, what
 * is kept how long, and what each refusal is audited as.
 */
@Tag("unit")
class MetadataDocumentClientsTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";

    private final TestClocks.Movable clock = TestClocks.movable();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final Map<String, String> known = new ConcurrentHashMap<>();
    private DocumentHost host;
    private MetadataDocumentClients clients;

    @BeforeEach
    void start() throws Exception {
        host = DocumentHost.start();
        OutboundFetchProperties fetching = new OutboundFetchProperties(true, List.of(), Duration.ofSeconds(2),
                Duration.ofSeconds(3), DataSize.ofKilobytes(4), Duration.ofSeconds(30), Duration.ofMinutes(5));
        ClientIdMetadataProperties properties = new ClientIdMetadataProperties(true, true,
                List.of("openid", "profile", "read"), Duration.ofMinutes(1), Duration.ofHours(1), 100);
        clients = new MetadataDocumentClients(properties,
                new PinnedResourceRetriever(new OutboundDestinations(fetching), fetching), known(),
                event -> audit.add((AuditEvent) event), clock);
    }

    /** The id-to-URL mapping in {@link #known} instead of PostgreSQL. */
    private KnownMetadataClients known() {
        return new KnownMetadataClients(null) {
            @Override
            void remember(String id, String clientId) {
                known.put(id, clientId);
            }

            @Override
            String clientIdOf(String id) {
                return known.get(id);
            }
        };
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void whenDocumentServedThenThirdPartyPkceCodeClientWithItsRedirectAndHost() {
        host.serve("/tool.json", host.publicClient("/tool.json", CALLBACK), "max-age=600");
        RegisteredClient client = clients.findByClientId(host.url("/tool.json"));

        assertThat(client.getClientId()).isEqualTo(host.url("/tool.json"));
        assertThat(client.getId()).isEqualTo(MetadataDocumentClients.idOf(host.url("/tool.json")));
        assertThat(client.getClientName()).isEqualTo("Example Tool");
        assertThat(client.getRedirectUris()).containsExactly(CALLBACK);
        assertThat(client.getAuthorizationGrantTypes()).containsExactly(AuthorizationGrantType.AUTHORIZATION_CODE);
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.NONE);
        assertThat(client.getScopes()).containsExactlyInAnyOrder("openid", "profile", "read");
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(OstiaryClientSettings.thirdParty(client)).isTrue();
        assertThat(OstiaryClientSettings.metadataDocumentHost(client)).isEqualTo(host.url("").substring(7));
        assertThat(audit).singleElement().extracting(AuditEvent::type)
                .isEqualTo(AuditEventType.CLIENT_METADATA_FETCHED);
        assertThat(clients.findById(client.getId()).getClientId()).isEqualTo(client.getClientId());
    }

    @Test
    void whenWithinMaxAgeThenNotFetchedAgainAndAfterItTheChangedDocumentCounts() {
        String url = host.url("/changing.json");
        host.serve("/changing.json", host.publicClient("/changing.json", CALLBACK), "max-age=600");
        assertThat(clients.findByClientId(url).getRedirectUris()).containsExactly(CALLBACK);

        host.serve("/changing.json", host.publicClient("/changing.json", "https://tool.example/other"), null);
        clock.advance(Duration.ofSeconds(599));
        assertThat(clients.findByClientId(url).getRedirectUris()).containsExactly(CALLBACK);
        assertThat(host.hits("/changing.json")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(clients.findByClientId(url).getRedirectUris()).containsExactly("https://tool.example/other");
        assertThat(host.hits("/changing.json")).isEqualTo(2);
    }

    @Test
    void whenMaxAgeBeyondTheMaximumThenFetchedAgainAtTheMaximum() {
        String url = host.url("/long.json");
        host.serve("/long.json", host.publicClient("/long.json", CALLBACK), "max-age=31536000");
        clients.findByClientId(url);
        clock.advance(Duration.ofMinutes(59));
        clients.findByClientId(url);
        assertThat(host.hits("/long.json")).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        clients.findByClientId(url);
        assertThat(host.hits("/long.json")).isEqualTo(2);
    }

    @Test
    void whenFetchFailsThenUnknownAuditedAndNotRetriedWithinTheMinimum() {
        String url = host.url("/missing.json");
        assertThat(clients.findByClientId(url)).isNull();
        assertThat(clients.findByClientId(url)).isNull();
        assertThat(host.hits("/missing.json")).isEqualTo(1);
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.CLIENT_METADATA_FAILED);
            assertThat(event.details().get("reason")).isEqualTo("HTTP 404");
        });
        clock.advance(Duration.ofMinutes(1));
        assertThat(clients.findByClientId(url)).isNull();
        assertThat(host.hits("/missing.json")).isEqualTo(2);
    }

    @Test
    void whenDocumentRedirectsThenFailedAndTheTargetNeverAsked() {
        host.serve("/target.json", host.publicClient("/moved.json", CALLBACK), null);
        host.redirect("/moved.json", host.url("/target.json"));
        assertThat(clients.findByClientId(host.url("/moved.json"))).isNull();
        assertThat(host.hits("/target.json")).isZero();
        assertThat(audit).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CLIENT_METADATA_FAILED);
    }

    @Test
    void whenDocumentIsOversizeThenFailed() {
        String padding = "x".repeat(5000);
        host.serve("/big.json", host.publicClient("/big.json", CALLBACK).replace("Example Tool", padding), null);
        assertThat(clients.findByClientId(host.url("/big.json"))).isNull();
        assertThat(audit).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CLIENT_METADATA_FAILED);
    }

    @Test
    void whenDocumentTricklesPastTheReadTimeoutThenFailedWithinIt() throws Exception {
        OutboundFetchProperties impatient = new OutboundFetchProperties(true, List.of(), Duration.ofSeconds(2),
                Duration.ofMillis(300), DataSize.ofKilobytes(4), Duration.ofSeconds(30), Duration.ofMinutes(5));
        MetadataDocumentClients hurried = new MetadataDocumentClients(new ClientIdMetadataProperties(true, true,
                List.of("openid"), Duration.ofMinutes(1), Duration.ofHours(1), 100),
                new PinnedResourceRetriever(new OutboundDestinations(impatient), impatient), known(),
                event -> audit.add((AuditEvent) event), clock);
        host.trickle("/slow.json", host.publicClient("/slow.json", CALLBACK));
        long started = System.nanoTime();
        assertThat(hurried.findByClientId(host.url("/slow.json"))).isNull();
        // the whole answer is bounded, not each read: a byte every 200 ms never resets the clock
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(audit).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CLIENT_METADATA_FAILED);
    }

    @Test
    void whenDocumentNamesAnotherClientIdOrASecretMethodThenRefused() {
        host.serve("/wrong.json", host.publicClient("/other.json", CALLBACK), null);
        host.serve("/secret.json", host.publicClient("/secret.json", CALLBACK)
                .replace("\"none\"", "\"client_secret_basic\""), null);
        assertThat(clients.findByClientId(host.url("/wrong.json"))).isNull();
        assertThat(clients.findByClientId(host.url("/secret.json"))).isNull();
        assertThat(audit).extracting(AuditEvent::type).containsExactly(AuditEventType.CLIENT_METADATA_REFUSED,
                AuditEventType.CLIENT_METADATA_REFUSED);
        assertThat(known).isEmpty();
    }

    @Test
    void whenClientIdBreaksTheUrlRulesThenRefusedWithoutAFetch() {
        assertThat(clients.findByClientId(host.url("/a/../tool.json"))).isNull();
        assertThat(clients.findByClientId("https://203.0.113.9/tool.json")).isNull();
        assertThat(audit).extracting(AuditEvent::type).containsOnly(AuditEventType.CLIENT_METADATA_REFUSED);
        assertThat(host.hits("/tool.json")).isZero();
    }

    @Test
    void whenClientIdIsNotAUrlOrIdUnknownThenNullWithoutAudit() {
        assertThat(clients.findByClientId("web-app")).isNull();
        assertThat(clients.findById(MetadataDocumentClients.idOf("https://never.example/c"))).isNull();
        assertThat(clients.findById("not-a-uuid")).isNull();
        assertThat(audit).isEmpty();
    }

    @Test
    void whenDocumentAsksForScopesThenOnlyThoseAlsoConfigured() {
        host.serve("/scoped.json", host.publicClient("/scoped.json", CALLBACK)
                .replace("\"client_uri\"", "\"scope\":\"read admin\",\"client_uri\""), null);
        assertThat(clients.findByClientId(host.url("/scoped.json")).getScopes()).containsExactly("read");
    }

    @Test
    void whenClientIdCarriesAPasswordThenRefusedAndThePasswordNotAudited() {
        assertThat(clients.findByClientId("https://user:hunter2@tool.example/c.json")).isNull();
        assertThat(audit).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.CLIENT_METADATA_REFUSED);
            assertThat(event.clientId()).isEqualTo("https://…@tool.example/c.json").doesNotContain("hunter2");
        });
    }
}
