package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/** A dump of the database yields no client secret, no token and no private key. */
class StoredSecretsTest extends ServerTest {

    @Test
    void whenDatabaseIsDumpedThenNoSecretTokenOrPrivateKeyAppears() throws Exception {
        String token = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");

        List<String> tables = jdbc.sql("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type = 'BASE TABLE'").query(String.class).list();
        StringBuilder dump = new StringBuilder();
        for (String table : tables) {
            jdbc.sql("select to_jsonb(t)::text from \"" + table + "\" t").query(String.class).list()
                    .forEach(row -> dump.append(row).append('\n'));
        }
        String everything = dump.toString();

        assertThat(tables).contains("client", "signing_key", "oauth2_authorization");
        assertThat(everything).contains("svc-client", "{hmac-sha256}");
        for (String secret : List.of("svc-secret", "trusted-secret", "web-secret", "api-secret")) {
            assertThat(everything).doesNotContain(secret);
        }
        assertThat(everything).doesNotContain(token);
        assertThat(everything).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        // private JWK members: RSA "d", "p", "q"; EC "d"
        assertThat(everything).doesNotContain("\"d\":", "\"d\": ", "\"p\":", "\"q\":");
    }
}
