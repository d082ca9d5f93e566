package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The account pages' bundle: every English text has its German one, none empty, all keys prefixed. */
@Tag("unit")
class AccountMessagesTest {

    @Test
    void whenEnglishHasAKeyThenGermanHasItToo() throws Exception {
        Properties english = load("messages/account.properties");
        Properties german = load("messages/account_de.properties");
        assertThat(english).isNotEmpty();
        assertThat(german.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        assertThat(english.stringPropertyNames()).allMatch(key -> key.startsWith("account."));
        assertThat(german.values()).noneMatch(value -> value.toString().isBlank());
        assertThat(german.getProperty("account.password.heading")).isEqualTo("Passwort ändern");
    }

    private static Properties load(String resource) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(
                AccountMessagesTest.class.getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
