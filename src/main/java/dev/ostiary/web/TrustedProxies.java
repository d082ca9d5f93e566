package dev.ostiary.web;

import java.util.List;

import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The client's address when Ostiary runs behind reverse proxies (review M7). {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} are honoured only on a connection from one of
 * {@code ostiary.trusted-proxies} (CIDRs), and the client is the right-most address in
 * {@code X-Forwarded-For} that is not itself one of them (Tomcat's {@link RemoteIpValve}): whatever a
 * client writes to the left of that cannot be taken for its address. With no trusted proxies (the
 * default) the headers are ignored from everybody, and Spring Boot's own forwarded-header support is
 * off ({@code server.forward-headers-strategy: none} in application.yml, which also stops it from
 * trusting every private address when it detects a cloud platform).
 *
 * <p>The valve runs before any filter, so everything keyed on the address sees the resolved one:
 * lockout, allow and deny lists, rate limits, the audit trail. From a trusted proxy it also makes the
 * request the public one: {@code https} ({@code isSecure()}, so cookies are {@code Secure}), the public
 * host and port, so every URL built from the request (the login redirect, the saved request, DPoP's
 * {@code htu}) is the public URL.
 */
public final class TrustedProxies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final List<String> proxies;

    public TrustedProxies(List<String> proxies) {
        this.proxies = proxies.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (proxies.isEmpty()) {
            return;
        }
        RemoteIpValve valve = new RemoteIpValve();
        // a list of CIDRs (Tomcat 11 takes CIDRs as well as a regular expression); an invalid one fails the start
        valve.setInternalProxies(String.join(",", proxies.stream().map(p -> p.contains("/") ? p
                : p + (p.contains(":") ? "/128" : "/32")).toList()));
        valve.setTrustedProxies(null);
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setHostHeader("X-Forwarded-Host");
        // Without it an https request is taken to be on 443: behind a proxy on another public port the
        // request URL (the login redirect, DPoP's htu at the token endpoint, RFC 9449 §4.3) would name a
        // port nobody listens on. The valve drops a port written into X-Forwarded-Host, so it comes from here.
        valve.setPortHeader("X-Forwarded-Port");
        factory.addEngineValves(valve);
    }
}
