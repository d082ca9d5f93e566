package dev.ostiary.grant.refreshtoken;

import static dev.ostiary.grant.ClientRequirement.ANOTHER_GRANT;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import dev.ostiary.authorization.RefreshTokenFamilies;
import dev.ostiary.authorization.RefreshTokenReuseDetection;
import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.SelfServiceOffer;

/**
 * The refresh token grant (RFC 6749 §6), Spring's own, ahead of which a reused rotated refresh token
 * revokes its whole family (RFC 9700 §4.14.2, {@link RefreshTokenReuseDetection}).
 */
@Configuration(proxyBeanMethods = false)
public class RefreshTokenGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(AuthorizationGrantType.REFRESH_TOKEN)
                .builtIntoSpring()
                .requires(ANOTHER_GRANT)
                .selfService(SelfServiceOffer.ORDINARY)
                .dynamicallyRegistrable();
    }

    @Bean
    @Order(300)
    GrantRegistration refreshTokenRegistration(ObjectProvider<RefreshTokenFamilies> families) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        .tokenProvider(new RefreshTokenReuseDetection(families.getObject())))
                .build();
    }
}
