package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.support.UserAgent;

/**
 * The console's catalog over HTTP: each scope with its consent text and role, each resource, and the
 * number of clients listing each as the client table says, with a client added a moment ago among them.
 */
class ConsoleCatalogTest extends ConsoleServerTest {

    @Test
    void whenAnOperatorOpensTheCatalogThenEachScopeShowsItsTextRoleAndClients() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String clientId = "aaa-catalog-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, scopes, secret_hash)
                values (gen_random_uuid(), ?, 'Catalog probe', '{client_secret_basic}', '{client_credentials}', '{read}', 'x')""")
                .param(clientId).update();

        HttpResponse<String> page = console.get("/admin/catalog");
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        String description = jdbc.sql("select description from scope where name = 'read'").query(String.class).single();
        String readRow = body.substring(body.indexOf("id=\"scope-read\""), body.indexOf("</tr>", body.indexOf("id=\"scope-read\"")));
        assertThat(readRow).contains(org.springframework.web.util.HtmlUtils.htmlEscape(description), clientId);
        long readers = jdbc.sql("select count(*) from client where 'read' = any(scopes)").query(Long.class).single();
        assertThat(readRow).contains("<strong>" + String.format("%,d", readers) + "</strong>");
        String adminRole = jdbc.sql("select required_role from scope where required_role is not null limit 1")
                .query(String.class).single();
        assertThat(body).contains(adminRole);
        assertThat(body).contains("id=\"resources\"").contains("urn:ostiary:admin-api");

        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        assertThat(user.get("/admin/catalog").statusCode()).isEqualTo(403);
    }
}
