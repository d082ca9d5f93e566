package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.UserAgent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The overview over HTTP: tokens issued and failed sign-ins show up in the hour's numbers,
 * read from the audit trail; the token endpoint's p99 appears once this instance has sampled a minute
 * with token requests.
 */
class ConsoleOverviewTest extends ConsoleServerTest {

    @Autowired
    private AuditTrail trail;

    @Autowired
    private ConsoleOverview overview;

    @Test
    void whenTokensAndFailuresHappenThenTheHourCountsThem() throws Exception {
        ConsoleOperators operators = operators();
        UserAgent console = operators.signedIn(operators.operator());
        trail.flushAll();
        JsonNode before = chart(console.get("/admin").body(), "tokens");
        long failuresBefore = last(chart(console.get("/admin").body(), "failures"), "login.failed");

        for (int i = 0; i < 3; i++) {
            TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        }
        new UserAgent(baseUrl()).login(newUser("USER"), "not-the-password");
        trail.flushAll();

        String page = console.get("/admin").body();
        JsonNode after = chart(page, "tokens");
        assertThat(last(after, "client_credentials")).isGreaterThanOrEqualTo(last(before, "client_credentials") + 3);
        assertThat(last(chart(page, "failures"), "login.failed")).isGreaterThanOrEqualTo(failuresBefore + 1);
        assertThat(after.get("minutes")).hasSize(ConsoleOverview.MINUTES);
        assertThat(page).contains("id=\"chart-tokenP99\"", "id=\"chart-rateLimited\"", "/webjars/uplot/");

        // the minute sampler: a minute with token requests gets a p99
        overview.sample();
        JsonNode p99 = chart(console.get("/admin").body(), "tokenP99");
        assertThat(p99.get("series").get(0).get("values")).hasSize(ConsoleOverview.MINUTES);
        assertThat(new UserAgent(baseUrl()).get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode())
                .isEqualTo(200);
    }

    private static JsonNode chart(String page, String key) {
        Matcher found = Pattern.compile("id=\"chart-" + key + "\"[^>]*data-chart=\"([^\"]+)\"").matcher(page);
        if (!found.find()) {
            found = Pattern.compile("data-chart=\"([^\"]+)\"[^>]*id=\"chart-" + key + "\"").matcher(page);
            assertThat(found.find()).as("chart %s", key).isTrue();
        }
        return JsonMapper.builder().build().readTree(HtmlUtils.htmlUnescape(found.group(1)));
    }

    /**
     * One series' total over the hour shown (0 when the series is not there): a total, not the current
     * minute, so a minute ending between two reads changes nothing (the suite runs for less than the
     * hour, so nothing it did falls off the far end).
     */
    private static long last(JsonNode chart, String series) {
        long total = 0;
        for (JsonNode s : chart.get("series")) {
            if (s.get("name").asString().equals(series)) {
                for (JsonNode value : s.get("values")) {
                    total += value.asLong();
                }
            }
        }
        return total;
    }
}
