package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.support.TotpCodes;
import dev.ostiary.support.UserAgent;

/**
 * Operators for the console's HTTP tests: a user of the test's own with role ADMIN and an authenticator
 * app enrolled through {@link SecondFactors} (so no TOTP code is shared with other tests), signed in
 * with the password and the code as a browser does.
 */
final class ConsoleOperators {

    /** An operator: the name and the authenticator app's base32 secret. */
    record Operator(String username, String secret) {
    }

    private final SecondFactors secondFactors;
    private final Function<String[], String> newUser;
    private final String baseUrl;

    ConsoleOperators(SecondFactors secondFactors, Function<String[], String> newUser, String baseUrl) {
        this.secondFactors = secondFactors;
        this.newUser = newUser;
        this.baseUrl = baseUrl;
    }

    Operator operator() {
        String username = newUser.apply(new String[] { "USER", "ADMIN" });
        String secret = secondFactors.pendingEnrolment(username).orElseThrow().secret();
        SecondFactors.Codes codes = secondFactors.confirmEnrolment(username, TotpCodes.next(secret, Clock.systemUTC()),
                "127.0.0.1");
        assertThat(codes.outcome()).isEqualTo(SecondFactors.Outcome.ACCEPTED);
        return new Operator(username, secret);
    }

    UserAgent signedIn(Operator operator) throws Exception {
        UserAgent browser = new UserAgent(baseUrl);
        browser.login(operator.username(), "password");
        HttpResponse<String> page = browser.get(SecondFactorStep.PAGE);
        HttpResponse<String> proven = browser.post(SecondFactorStep.PAGE, Map.of("code",
                List.of(TotpCodes.next(operator.secret(), Clock.systemUTC())), "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(UserAgent.isRedirect(proven)).isTrue();
        return browser;
    }
}
