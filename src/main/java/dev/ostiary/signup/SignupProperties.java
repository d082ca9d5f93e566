package dev.ostiary.signup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Self-registration ({@code ostiary.registration.*}; not to be confused with dynamic client
 * registration, dev.ostiary.registration). Off by default: an operator decides who gets accounts.
 *
 * @param enabled whether {@code /register} exists and the login page offers "Create an account"
 */
@ConfigurationProperties("ostiary.registration")
public record SignupProperties(@DefaultValue("false") boolean enabled) {
}
