package dev.ostiary.console;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.support.ServerTest;

/**
 * The server as an operator meets it: administrators must have signed in with a second factor
 * ({@code ostiary.step-up.admin-requires-second-factor}, the default, which ServerTest turns off for the
 * tests that use the demo administrator bob), and operators of each test's own. One property source for
 * every console test, so they share one Spring context.
 */
abstract class ConsoleServerTest extends ServerTest {

    @Autowired
    protected SecondFactors secondFactors;

    @DynamicPropertySource
    static void secondFactorRuleOn(DynamicPropertyRegistry registry) {
        registry.add("ostiary.step-up.admin-requires-second-factor", () -> "true");
    }

    protected ConsoleOperators operators() {
        return new ConsoleOperators(secondFactors, this::newUser, baseUrl());
    }
}
