package dev.ostiary.secondfactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every text of the second-factor pages exists in English and German. */
@Tag("unit")
class SecondFactorMessagesTest {

    @Test
    void whenTheBundlesAreReadThenBothLanguagesHaveTheSameKeys() throws Exception {
        Properties english = load("messages/secondfactor.properties");
        Properties german = load("messages/secondfactor_de.properties");
        assertThat(english).isNotEmpty();
        assertThat(german.keySet()).containsExactlyInAnyOrderElementsOf(english.keySet());
        assertThat(german.getProperty("secondfactor.login.code.label"))
                .isEqualTo("Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein");
    }

    private static Properties load(String resource) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(
                SecondFactorMessagesTest.class.getClassLoader().getResourceAsStream(resource), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
