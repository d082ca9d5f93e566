package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.support.UserAgent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's audit log over HTTP on the real table: keyset pages see every matching event once,
 * newest first, ties broken by id; each filter narrows; exports hold the same selection as JSON lines
 * and as CSV in which no value an attacker chose runs as a spreadsheet formula; malformed filters and
 * cursors are a 400 page.
 */
class ConsoleAuditTest extends ConsoleServerTest {

    private static final Pattern EVENT_ROW = Pattern.compile("id=\"event-(\\d+)\"");

    @Test
    void whenPagingThroughAFilterThenEveryEventIsSeenOnceNewestFirst() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String client = seed(123);
        List<Long> seen = new ArrayList<>();
        String url = "/admin/audit?client=" + client;
        int pages = 0;
        while (url != null) {
            HttpResponse<String> page = console.get(url);
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher rows = EVENT_ROW.matcher(page.body());
            while (rows.find()) {
                seen.add(Long.parseLong(rows.group(1)));
            }
            pages++;
            Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(page.body());
            url = next.find() ? org.springframework.web.util.HtmlUtils.htmlUnescape(next.group(1)) : null;
        }
        assertThat(pages).isEqualTo(3);
        List<Long> expected = jdbc.sql("select id from audit_event where client_id = ? order by occurred_at desc, id desc")
                .param(client).query(Long.class).list();
        assertThat(seen).hasSize(123).doesNotHaveDuplicates().isEqualTo(expected);

        assertThat(count(console, "/admin/audit?client=" + client + "&type=user.locked")).isEqualTo(41);
        assertThat(count(console, "/admin/audit?client=" + client + "&address=10.9.9.7")).isEqualTo(13);
        assertThat(count(console, "/admin/audit?client=" + client + "&user=" + client.toUpperCase() + "-user"))
                .as("user names compare lower-case").isEqualTo(50);
        String from = jdbc.sql("select to_char((now() - interval '20 minutes 30 seconds') at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')")
                .query(String.class).single();
        long inWindow = jdbc.sql("""
                select count(*) from audit_event where client_id = ? and occurred_at >= cast(? as timestamp) at time zone 'UTC'""")
                .params(client, from).query(Long.class).single();
        assertThat(inWindow).isBetween(30L, 50L);
        assertThat(count(console, "/admin/audit?client=" + client + "&from=" + from)).isEqualTo((int) inWindow);
    }

    @Test
    void whenExportingThenBothFormatsHoldTheSelectionAndNoValueRunsAsAFormula() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String client = seed(7);
        jdbc.sql("""
                insert into audit_event (occurred_at, type, client_id, username, source_ip, details)
                values (now(), 'user.locked', ?, '=HYPERLINK("https://evil.example","x")', '10.1.1.1', '{"note": "a,b\\nc"}')""")
                .param(client).update();

        HttpResponse<String> csv = console.get("/admin/audit/export?format=csv&client=" + client);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;").contains(".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("occurred_at,type,client_id,username,source_ip,details");
        assertThat(lines.get(1)).contains(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",")
                .doesNotContain(",=HYPERLINK");
        assertThat(csv.body().split("\r\n")).as("a header and 8 events, each line ended by CRLF (RFC 4180)")
                .hasSize(9);

        HttpResponse<String> jsonl = console.get("/admin/audit/export?format=jsonl&client=" + client);
        assertThat(jsonl.statusCode()).isEqualTo(200);
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> events = jsonl.body().lines().map(json::readTree).toList();
        assertThat(events).hasSize(8).allSatisfy(e -> assertThat(e.get("clientId").asString()).isEqualTo(client));
        assertThat(events.get(0).get("username").asString()).startsWith("=HYPERLINK");
        assertThat(events.get(0).get("details").get("note").asString()).isEqualTo("a,b\nc");
    }

    @Test
    void whenFiltersOrCursorsAreMalformedThenABadRequestPageNotAServerError() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        for (String query : List.of("from=yesterday", "to=2026-13-01T00:00", "after=abc", "after=1.2.3",
                "after=99999999999999999999.1", "after=9223372036854775807.1", "after=-9223372036854775808.1")) {
            HttpResponse<String> response = console.get("/admin/audit?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).doesNotContain("Exception").doesNotContain("at dev.ostiary");
        }
        assertThat(console.get("/admin/audit?type=no.such&address=%27%3B").statusCode()).isEqualTo(200);
        assertThat(console.get("/admin/audit?user=%00").statusCode()).isEqualTo(400);
        assertThat(console.get("/admin/clients?q=a%01b").statusCode()).isEqualTo(400);
        // the admin API reads the trail through the same filter
        java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(uri("/admin/api/audit-events?username=%00"))
                        .header("Authorization", "Bearer " + dev.ostiary.support.TokensClient.adminToken(baseUrl())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(console.get("/admin/audit/export?format=xml").statusCode()).isEqualTo(400);
        assertThat(console.get("/admin/audit/export").statusCode()).isEqualTo(400);

        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        assertThat(user.get("/admin/audit").statusCode()).isEqualTo(403);
        assertThat(user.get("/admin/audit/export?format=csv").statusCode()).isEqualTo(403);
    }

    private static int count(UserAgent console, String url) throws Exception {
        int rows = 0;
        while (url != null) {
            String body = console.get(url).body();
            Matcher found = EVENT_ROW.matcher(body);
            while (found.find()) {
                rows++;
            }
            Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(body);
            url = next.find() ? org.springframework.web.util.HtmlUtils.htmlUnescape(next.group(1)) : null;
        }
        return rows;
    }

    /**
     * {@code count} events of one new client, two a minute (the newest a minute ago), so the order
     * needs the id to break ties: every third user.locked
     * (the rest token.issued), every tenth from 10.9.9.7, the first 50 by {@code <client>-user}.
     */
    private String seed(int count) {
        String client = "aud" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into audit_event (occurred_at, type, client_id, username, source_ip, details)
                select now() - make_interval(mins => 1 + i / 2),
                       case when i % 3 = 0 then 'user.locked' else 'token.issued' end, :c,
                       case when i < 50 then :c || '-user' end,
                       case when i % 10 = 0 then '10.9.9.7' else '10.9.9.' || (i % 7) end,
                       jsonb_build_object('i', i)
                from generate_series(0, :n - 1) i""").param("c", client).param("n", count).update();
        return client;
    }

}
