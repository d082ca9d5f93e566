package dev.ostiary.text;

import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The pages' language: {@link LanguageResolver} for every page (each page, /login, /oauth2/consent,
 * /activate and /error included, is a Spring MVC handler), and {@code ?lang=xx} on any GET page as
 * the user's choice (Spring's {@link LocaleChangeInterceptor}; an unsupported value is ignored).
 */
@Configuration(proxyBeanMethods = false)
class LanguageConfiguration implements WebMvcConfigurer {

    /** The DispatcherServlet finds its resolver by this bean name. */
    @Bean(name = DispatcherServlet.LOCALE_RESOLVER_BEAN_NAME)
    LocaleResolver localeResolver() {
        return new LanguageResolver();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor choice = new LocaleChangeInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws ServletException {
                // Spring reads the parameter before it checks the method: on a POST, or the error dispatch
                // of a refused one, that parses a body we never meant to read, and a body Tomcat cannot
                // decode throws. The choice is a GET page's query parameter only.
                if (!"GET".equals(request.getMethod())) {
                    return true;
                }
                if (request.getDispatcherType() == DispatcherType.ERROR) {
                    // an error page of a GET (a 403 or 404 from the security chain or a handler) is
                    // rendered in the error dispatch: its switch links carry lang=xx too, read from the
                    // failed request's own query string, never from a parsed body
                    LocaleResolver resolver = RequestContextUtils.getLocaleResolver(request);
                    if (resolver != null) {
                        chosenOnFailedRequest(request).ifPresent(locale -> resolver.setLocale(request, response, locale));
                    }
                    return true;
                }
                if (request.getDispatcherType() != DispatcherType.REQUEST) {
                    return true;
                }
                try {
                    return super.preHandle(request, response, handler);
                } catch (IllegalStateException undecodable) {
                    // Tomcat's InvalidParameterException: a query it cannot decode carries no choice
                    return true;
                }
            }

            private Optional<Locale> chosenOnFailedRequest(HttpServletRequest request) {
                if (!(request.getAttribute(RequestDispatcher.ERROR_QUERY_STRING) instanceof String query)) {
                    return Optional.empty();
                }
                String prefix = LanguageSwitch.PARAMETER + "=";
                Optional<Locale> chosen = Optional.empty();
                for (String pair : query.split("&")) {
                    if (pair.startsWith(prefix)) {
                        chosen = Languages.supported(pair.substring(prefix.length()));
                    }
                }
                return chosen;
            }

            @Override
            protected Locale parseLocaleValue(String value) {
                // ignored below (setIgnoreInvalidLocale): xx, a garbage tag or an over-long value
                return Languages.supported(value).orElseThrow(() -> new IllegalArgumentException("unsupported"));
            }
        };
        choice.setParamName(LanguageSwitch.PARAMETER);
        choice.setHttpMethods("GET");
        choice.setIgnoreInvalidLocale(true);
        registry.addInterceptor(choice);
    }
}
