package dev.ostiary.gateway;

import java.util.List;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Who may ask the check endpoint: the reverse proxies ({@code ostiary.trusted-proxies}), and only when
 * the endpoint is enabled. The address is the one {@code web/TrustedProxies} resolved: a request that
 * came through the proxy's public locations carries the client in {@code X-Forwarded-For} and so is
 * the client's, refused; the recipe's internal location sends no {@code X-Forwarded-For}, so its
 * address is the proxy's own. Everybody else gets a 404: the endpoint tells only whether a token is
 * valid, which the gateway tells anyway, but it would let anybody spend our signature checks and
 * row lookups without the proxy's rate limits and cache in between.
 */
public final class GatewayCallers {

    private final List<IpAddressMatcher> proxies;

    public GatewayCallers(boolean enabled, List<String> trustedProxies) {
        this.proxies = enabled ? trustedProxies.stream().map(String::trim).filter(p -> !p.isEmpty())
                .map(IpAddressMatcher::new).toList() : List.of();
    }

    public boolean allowed(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        for (IpAddressMatcher proxy : proxies) {
            try {
                if (proxy.matches(remoteAddress)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }
}
