package dev.ostiary.demo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;

/** Review L10: the demo data (published admin password and client secrets) is for loopback servers only. */
class DemoDataLoopbackTest {

    @Test
    void whenIssuerIsNotLoopbackThenDemoDataRefusesToLoad() {
        assertThatThrownBy(() -> StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(),
                "--ostiary.issuer=https://auth.example.com").close())
                .rootCause().hasMessageContaining("refuses to load")
                .hasMessageContaining("ostiary.demo.allow-non-loopback-issuer");
    }

    @Test
    void loopbackIssuersOrNoneLoadAndOthersOnlyWhenForced() {
        for (String issuer : new String[] { "", "http://localhost:9000", "http://127.0.0.1:9000", "http://127.1.2.3",
                "http://[::1]:9000", "http://LOCALHOST" }) {
            assertThatCode(() -> DemoData.refuseUnlessLoopback(issuer, false)).as(issuer).doesNotThrowAnyException();
        }
        for (String issuer : new String[] { "https://auth.example.com", "http://127.0.0.1.nip.io", "http://10.0.0.1",
                "http://localhost.example.com", "http://[::ffff:8.8.8.8]", "not a url", "file:///etc" }) {
            assertThatThrownBy(() -> DemoData.refuseUnlessLoopback(issuer, false)).as(issuer)
                    .isInstanceOf(IllegalStateException.class);
            assertThatCode(() -> DemoData.refuseUnlessLoopback(issuer, true)).as(issuer).doesNotThrowAnyException();
        }
    }
}
