package dev.ostiary.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.support.ServerTest;

/**
 * The server as it ships (no demo profile): registration off, no dev mailbox, and an SMTP server
 * that does not answer: the forms answer as always, the failure is audited, never shown.
 */
@ActiveProfiles(profiles = {}, inheritProfiles = false)
class RecoveryWithoutDemoTest extends ServerTest {

    @DynamicPropertySource
    static void deadSmtp(DynamicPropertyRegistry registry) throws IOException {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        int port = unused;
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> port);
        registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
    }

    @Test
    void whenRegistrationIsOffThenRegisterIsNotFoundAndTheLoginPageDoesNotOfferIt() throws Exception {
        FormClient client = new FormClient(baseUrl(), null);
        assertThat(client.get("/register").statusCode()).isEqualTo(404);
        HttpResponse<String> login = client.get("/login");
        assertThat(login.body()).contains("id=\"forgot-password\"").doesNotContain("id=\"create-account\"");
        assertThat(client.post("/register", Map.of("username", "someone", "email", "someone@example.test",
                "password", "password-1", "confirm", "password-1")).statusCode()).isEqualTo(404);
    }

    @Test
    void whenNotTheDemoThenTheDevMailPageIsNotFound() throws Exception {
        assertThat(new FormClient(baseUrl(), null).get("/dev/mail").statusCode()).isEqualTo(404);
    }

    @Test
    void whenTheMailServerIsDownThenTheAnswerIsTheSameAndTheFailureIsAudited() throws Exception {
        String user = newUser("USER");
        jdbc.sql("update app_user set email = ?, email_verified = true where username = ?")
                .params(user + "@example.test", user).update();
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/forgot-password");
        HttpResponse<String> answer = client.post("/forgot-password", Map.of("identifier", user));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("id=\"link-sent\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from audit_event where type ="
                + " 'mail.failed' and username = ?").param(user).query(Integer.class).single() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select details ->> 'outcome' from audit_event"
                + " where type = 'recovery.reset_requested' and username = ?").param(user).query(String.class).list()
                .equals(java.util.List.of("mail_failed")));
    }
}
