package dev.ostiary.recovery;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The pages of recovery and registration, and how their forms are read. */
public final class RecoveryPages {

    public static final String FORGOT_PASSWORD = "/forgot-password";
    public static final String RESET_PASSWORD = "/reset-password";
    public static final String VERIFY_EMAIL = "/verify-email";
    public static final String REGISTER = "/register";
    public static final String PROFILE = "/account/profile";

    /**
     * Open without signing in (config/SecurityConfiguration's permitAll list). /dev/mail is listed so
     * that outside the demo profile, where no controller serves it, it is a plain 404, not a login.
     */
    public static final String[] PUBLIC_PAGES = { FORGOT_PASSWORD, RESET_PASSWORD, VERIFY_EMAIL, REGISTER,
        "/dev/mail" };

    /** The longest value any of the forms' fields takes (an address: RFC 5321 allows 254). */
    public static final int MAX_FIELD = 254;

    private RecoveryPages() {
    }

    /**
     * A form field given at most once: a repeated field is a request we do not guess about (which one
     * would count?), so it is a 400, as is a field longer than any we accept.
     *
     * @return the value, or "" when absent
     */
    public static String field(HttpServletRequest request, String name, int maxLength) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return "";
        }
        if (values.length > 1 || values[0].length() > maxLength) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        return values[0];
    }
}
