package dev.ostiary.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.ConversionService;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;

@Tag("unit")
class SessionAttributeSerializationTest {

    private final ConversionService conversions = SessionAttributeSerialization
            .conversionService(getClass().getClassLoader());

    @Test
    void whenSecurityContextIsStoredThenItReadsBackEqual() {
        User user = new User("alice", "", List.of(new SimpleGrantedAuthority("ROLE_USER")));
        SecurityContextImpl context = new SecurityContextImpl(
                UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));

        byte[] stored = conversions.convert(context, byte[].class);

        assertThat(conversions.convert(stored, Object.class)).isEqualTo(context);
    }

    @Test
    void whenStoredBytesAreUnreadableThenTheAttributeIsAbsent() {
        byte[] serialized = conversions.convert("a saved request", byte[].class);
        byte[] truncated = java.util.Arrays.copyOf(serialized, serialized.length - 3);

        assertThat(conversions.convert(new byte[] { 0, 1, 2 }, Object.class)).isNull();
        assertThat(conversions.convert(truncated, Object.class)).isNull();
    }

    @Test
    void whenAttributeDoesNotSerializeThenStoringFails() {
        Object notSerializable = new Object();

        assertThatThrownBy(() -> conversions.convert(notSerializable, byte[].class))
                .isInstanceOf(ConversionFailedException.class);
    }
}
