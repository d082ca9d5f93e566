package dev.ostiary.token;

import java.util.function.Supplier;

import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The token generator Spring Authorization Server assembles for its own grants (JWT generator with
 * our claims customizer and its DPoP/mTLS confirmation claims, refresh token generator), for the
 * grants we add. It only exists once the filter chain is built, hence the lookup on first use;
 * declaring our own generator bean instead would drop Spring's package-private customizers.
 */
public final class SharedTokenGenerator implements OAuth2TokenGenerator<OAuth2Token> {

    private final Supplier<OAuth2TokenGenerator<?>> lookup;
    private volatile OAuth2TokenGenerator<?> generator;

    public SharedTokenGenerator(Supplier<OAuth2TokenGenerator<?>> lookup) {
        this.lookup = lookup;
    }

    @Override
    public OAuth2Token generate(OAuth2TokenContext context) {
        OAuth2TokenGenerator<?> current = generator;
        if (current == null) {
            current = lookup.get();
            if (current == null) {
                throw new IllegalStateException("The authorization server's token generator is not built yet");
            }
            generator = current;
        }
        return current.generate(context);
    }
}
