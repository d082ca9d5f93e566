package dev.ostiary.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * axe-core (Deque's engine, the npm {@code axe-core} bundled in {@code com.deque.html.axe-core:selenium})
 * run in the page the browser shows: WCAG 2.1 A and AA rules and axe's best practices. A page passes
 * when no violation is serious or critical (issue 17). The script is injected by the driver, not by
 * the page, so the page's strict CSP stays as it is.
 */
public final class Accessibility {

    private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");
    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");

    private Accessibility() {
    }

    /** The serious and critical violations on the page now shown, each as "rule (impact): nodes". */
    public static List<String> seriousViolations(WebDriver driver) {
        Results results = new AxeBuilder().withTags(TAGS).analyze(driver);
        return results.getViolations().stream()
                .filter(rule -> FAILING_IMPACTS.contains(rule.getImpact()))
                .map(Accessibility::describe)
                .toList();
    }

    /** Fails the test when the page now shown has a serious or critical violation. */
    public static void assertNoSeriousViolations(WebDriver driver) {
        assertThat(seriousViolations(driver)).as("axe-core on %s", driver.getCurrentUrl()).isEmpty();
    }

    /**
     * The page now shown is in {@code language} for everyone: {@code <html lang>}, no message key
     * without a text ("??key??"), the footer's language switch marking that language, and nothing serious
     * or critical for axe-core. {@code page} names it in the failure.
     */
    public static void assertTranslatedAndAccessible(WebDriver driver, String language, String page) {
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).as(page).isEqualTo(language);
        assertThat(driver.getPageSource()).as("%s: a message key without text", page).doesNotContain("??");
        assertThat(driver.findElements(By.cssSelector("footer .languages a[aria-current=true]")))
                .as("%s: the switch marks the current language", page)
                .allSatisfy(link -> assertThat(link.getAttribute("hreflang")).isEqualTo(language));
        assertNoSeriousViolations(driver);
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget()))
                        .collect(Collectors.joining(", "));
    }
}
