package dev.ostiary.text;

import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

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
