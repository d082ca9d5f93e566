package dev.ostiary.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin}: the overview, small charts of the last hour ({@link ConsoleOverview}). Each chart's
 * numbers are in the page twice: as a table (read without JavaScript, and by screen readers), and as
 * JSON in a {@code data-} attribute that /js/console-overview.js draws with uPlot, a script served by
 * this server, so the CSP stays {@code script-src 'self'}.
 */
@Controller
class ConsoleHomeController {

    private static final java.time.format.DateTimeFormatter MINUTE = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC);

    private final ConsoleOverview overview;
    private final JsonMapper json = JsonMapper.builder().build();

    ConsoleHomeController(ConsoleOverview overview) {
        this.overview = overview;
    }

    @GetMapping({ "/admin", "/admin/" })
    String home(Model model) {
        ConsoleOverview.View view = overview.view();
        Map<String, String> data = new LinkedHashMap<>();
        for (ConsoleOverview.Chart chart : view.charts()) {
            data.put(chart.key(), json.writeValueAsString(Map.of("minutes", view.minutes(), "unit", chart.unit(),
                    "series", chart.series())));
        }
        model.addAttribute("view", view);
        model.addAttribute("labels", view.minutes().stream().map(m -> MINUTE.format(java.time.Instant.ofEpochSecond(m)))
                .toList());
        model.addAttribute("data", data);
        model.addAttribute("section", "overview");
        return "console/overview";
    }
}
