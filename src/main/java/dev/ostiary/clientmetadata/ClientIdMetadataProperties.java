package dev.ostiary.clientmetadata;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document), {@code ostiary.client-id-metadata.*}.
 *
 * @param enabled resolve a {@code client_id} that is an https URL by fetching its metadata document;
 *     off, such a client id is unknown like any other unregistered one
 * @param allowLoopback development and tests only: also accept {@code http://} and {@code https://} client ids
 *     on a loopback host (localhost, 127.0.0.1, [::1]); the fetcher needs {@code ostiary.fetch.allow-http-loopback}
 * @param scopes the scopes an unregistered client may ask for at most (the document's {@code scope}, if
 *     any, narrows them; the user's roles narrow them again)
 * @param minCacheTtl the least time a document (or a failure to get one) is kept, whatever its
 *     {@code Cache-Control} says: bounds how often one URL is fetched
 * @param maxCacheTtl the longest time a document is kept, even with a longer {@code max-age}: bounds
 *     how long a changed document (a removed redirect URI) goes unnoticed
 * @param cacheSize the most documents kept in memory
 */
@ConfigurationProperties("ostiary.client-id-metadata")
public record ClientIdMetadataProperties(@DefaultValue("false") boolean enabled,
        @DefaultValue("false") boolean allowLoopback, @DefaultValue({ "openid", "profile" }) List<String> scopes,
        @DefaultValue("1m") Duration minCacheTtl, @DefaultValue("1h") Duration maxCacheTtl,
        @DefaultValue("1000") int cacheSize) {
}
