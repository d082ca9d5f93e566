package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.client.ClientRequest;
import dev.ostiary.client.ClientRules;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.TestClientRequests;

/** A client's {@code backchannel_logout_uri}, checked when it is saved (Back-Channel Logout 1.0 §2.2). */
@Tag("unit")
class BackchannelLogoutUriRulesTest {

    private static List<String> problems(ClientRequest request) {
        return ClientRules.check(request, GrantFixtures.scopes(), GrantFixtures.grants()).stream()
                .map(problem -> problem.field() + ": " + problem.message()).toList();
    }

    @Test
    void whenHttpsOrLoopbackHttpThenAccepted() {
        for (String uri : List.of("https://app.example/backchannel-logout", "https://app.example:8443/bc?tenant=1",
                "http://127.0.0.1:8081/backchannel-logout", "http://localhost/bc")) {
            assertThat(problems(TestClientRequests.webClient().backchannelLogoutUri(uri)
                    .backchannelLogoutSessionRequired(true).build())).as(uri).isEmpty();
        }
    }

    @Test
    void whenNotHttpsOrWithFragmentThenRefused() {
        for (String uri : List.of("http://app.example/bc", "https://app.example/bc#frag", "ftp://app.example/bc",
                "com.example.app:/bc", "/relative", "https://*.example/bc", "javascript:alert(1)")) {
            assertThat(problems(TestClientRequests.webClient().backchannelLogoutUri(uri).build())).as(uri)
                    .containsExactly("backchannelLogoutUri: must be an https URL without a fragment"
                            + " (http only on loopback)");
        }
    }

    @Test
    void whenClientSignsNobodyInThenRefused() {
        assertThat(problems(TestClientRequests.serviceClient().backchannelLogoutUri("https://svc.example/bc").build()))
                .containsExactly("backchannelLogoutUri: needs a client that signs users in (a redirect URI)");
    }

    @Test
    void whenSessionRequiredWithoutUriThenRefused() {
        assertThat(problems(TestClientRequests.webClient().backchannelLogoutSessionRequired(true).build()))
                .containsExactly("backchannelLogoutSessionRequired: needs a backchannelLogoutUri");
    }
}
