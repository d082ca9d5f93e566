package dev.ostiary.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;

/**
 * How a session attribute becomes bytes in {@code spring_session_attributes} and back: JDK
 * serialization, as Spring Session does by default, except that an attribute that can no longer be
 * read is treated as absent instead of failing the request with a 500. That happens after an upgrade
 * that changes a stored class (Spring Security's classes carry a {@code serialVersionUID} per minor
 * version) while nodes of both versions share the table, or with bytes that are not ours: the browser
 * then has no security context, saved request or CSRF token, and is sent to log in again.
 *
 * <p>Writing stays strict: an attribute that does not serialize is a bug, and fails loudly.
 */
public final class SessionAttributeSerialization {

    private static final Logger log = LoggerFactory.getLogger(SessionAttributeSerialization.class);

    private SessionAttributeSerialization() {
    }

    /** @param classLoader the application's (in the packaged jar, not the system class loader) */
    public static ConversionService conversionService(ClassLoader classLoader) {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class,
                unreadableAsAbsent(new DeserializingConverter(classLoader)));
        return conversions;
    }

    static Converter<byte[], Object> unreadableAsAbsent(Converter<byte[], Object> deserializer) {
        return bytes -> {
            try {
                return deserializer.convert(bytes);
            } catch (RuntimeException e) {
                // the class and reason only: the bytes may hold a CSRF token or a saved request
                log.warn("Session attribute unreadable, treated as absent: {}", rootCause(e));
                return null;
            }
        };
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName();
    }
}
