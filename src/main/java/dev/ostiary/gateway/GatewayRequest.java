package dev.ostiary.gateway;

import java.util.List;

/**
 * The headers of one check request, every occurrence of each, so a repeated header is seen as such.
 *
 * @param authorization the client's {@code Authorization} headers, as nginx forwards them
 * @param requiredScope {@code X-Required-Scope}, set by the nginx location: the space-separated scopes
 *        the location needs, all of them (absent: none)
 * @param requiredAudience {@code X-Required-Audience}, set by the nginx location: the API's resource
 *        identifier, which must be among the token's {@code aud} (RFC 9068 §4)
 */
public record GatewayRequest(List<String> authorization, List<String> requiredScope, List<String> requiredAudience) {

    public GatewayRequest {
        authorization = List.copyOf(authorization);
        requiredScope = List.copyOf(requiredScope);
        requiredAudience = List.copyOf(requiredAudience);
    }
}
