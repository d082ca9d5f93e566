package dev.ostiary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.Set;

import jakarta.servlet.ServletRequest;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.ostiary.client.ClientAuthenticationFailureHandler;
import dev.ostiary.web.DatabaseUnavailableFilter;

/**
 * The raw request path ({@code getRequestURI()}, {@code getServletPath()}, {@code getPathInfo()}) is
 * not what Spring routes on: it is not percent-decoded, so a decision keyed on it misses
 * {@code /oauth2/%74oken} (review H1). Decisions use the endpoints' own matchers
 * ({@code EndpointMatchers}); only the classes listed here read a raw path, to log or audit it.
 */
@Tag("unit")
class RequestPathArchitectureTest {

    private static final Set<String> RAW_PATH_GETTERS = Set.of("getRequestURI", "getServletPath", "getPathInfo");

    /** Log or audit the path, decide nothing on it. */
    private static final Set<Class<?>> LOGGING_ONLY = Set.of(DatabaseUnavailableFilter.class,
            ClientAuthenticationFailureHandler.class);

    private static final DescribedPredicate<JavaMethodCall> RAW_PATH_GETTER = DescribedPredicate.describe(
            "a raw request path getter " + RAW_PATH_GETTERS,
            call -> RAW_PATH_GETTERS.contains(call.getTarget().getName())
                    && call.getTarget().getOwner().isAssignableTo(ServletRequest.class));

    @Test
    void whenMainCodeDecidesOnARequestPathThenItUsesARequestMatcherNotTheRawUri() {
        JavaClasses main = MainClasses.resolved();
        DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> loggingOnly = DescribedPredicate.describe(
                "logging-only users of the raw path",
                type -> LOGGING_ONLY.stream().anyMatch(allowed -> type.isEquivalentTo(allowed)
                        || type.getName().startsWith(allowed.getName() + "$")));
        noClasses().that(DescribedPredicate.not(loggingOnly))
                .should().callMethodWhere(RAW_PATH_GETTER)
                .because("security decisions must match the decoded path the endpoint is routed on (EndpointMatchers)")
                .check(main);
    }
}
