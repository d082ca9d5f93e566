package dev.ostiary.client;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import com.nimbusds.jwt.JWTParser;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * {@code client_id} is optional next to a client assertion (RFC 7521 §4.2) and clients such as the
 * Nimbus SDK leave it out, while Spring's converter requires it. When it is missing, this supplies
 * the assertion's {@code sub}, read without verification: the assertion is verified afterwards,
 * including that {@code iss} and {@code sub} are that very client id.
 */
public final class AssertionClientIdResolution implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public AssertionClientIdResolution(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String[] assertions = request.getParameterValues("client_assertion");
        if (assertions == null || assertions.length != 1 || request.getParameter("client_id") != null) {
            return delegate.convert(request);
        }
        String subject;
        try {
            subject = JWTParser.parse(assertions[0]).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            return delegate.convert(request);
        }
        if (subject == null || subject.isBlank()) {
            return delegate.convert(request);
        }
        return delegate.convert(new HttpServletRequestWrapper(request) {
            @Override
            public String getParameter(String name) {
                return "client_id".equals(name) ? subject : super.getParameter(name);
            }

            @Override
            public String[] getParameterValues(String name) {
                return "client_id".equals(name) ? new String[] { subject } : super.getParameterValues(name);
            }

            @Override
            public Map<String, String[]> getParameterMap() {
                Map<String, String[]> parameters = new HashMap<>(super.getParameterMap());
                parameters.put("client_id", new String[] { subject });
                return Collections.unmodifiableMap(parameters);
            }
        });
    }
}
