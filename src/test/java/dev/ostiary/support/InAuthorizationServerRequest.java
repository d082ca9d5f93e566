package dev.ostiary.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Runs each test as if inside a request to Spring Authorization Server: providers and token
 * generators read the issuer from {@link AuthorizationServerContextHolder}, which Spring's filter
 * sets per request ({@link GrantFixtures#serverContext()}). Use with {@code @ExtendWith}.
 */
public final class InAuthorizationServerRequest implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        AuthorizationServerContextHolder.setContext(GrantFixtures.serverContext());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AuthorizationServerContextHolder.resetContext();
    }
}
