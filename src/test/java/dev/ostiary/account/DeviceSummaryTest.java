package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sessions page's "Firefox on Windows", from fixed User-Agent headers of real browsers. */
@Tag("unit")
class DeviceSummaryTest {

    @Test
    void whenChromeOnWindowsThenChromeAndWindows() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36")).isEqualTo(new DeviceSummary("Chrome", "Windows"));
    }

    @Test
    void whenEdgeThenEdgeNotChrome() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86")).isEqualTo(new DeviceSummary("Edge", "Windows"));
    }

    @Test
    void whenFirefoxOnLinuxThenFirefoxAndLinux() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"))
                .isEqualTo(new DeviceSummary("Firefox", "Linux"));
    }

    @Test
    void whenSafariOnIphoneThenSafariAndIos() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"))
                .isEqualTo(new DeviceSummary("Safari", "iOS"));
    }

    @Test
    void whenSafariOnMacThenSafariAndMacos() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/18.1 Safari/605.1.15")).isEqualTo(new DeviceSummary("Safari", "macOS"));
    }

    @Test
    void whenChromeOnAndroidThenAndroidNotLinux() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Mobile Safari/537.36")).isEqualTo(new DeviceSummary("Chrome", "Android"));
    }

    @Test
    void whenChromeOnIphoneThenChromeAndIos() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1"))
                .isEqualTo(new DeviceSummary("Chrome", "iOS"));
    }

    @Test
    void whenSamsungInternetThenNotChrome() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"))
                .isEqualTo(new DeviceSummary("Samsung Internet", "Android"));
    }

    @Test
    void whenOperaThenNotChrome() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0").browser()).isEqualTo("Opera");
    }

    @Test
    void whenHeadlessChromiumThenChromeOnLinux() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " HeadlessChrome/131.0.0.0 Safari/537.36")).isEqualTo(new DeviceSummary("Chrome", "Linux"));
    }

    @Test
    void whenChromeOsThenChromeOs() {
        assertThat(DeviceSummary.of("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36").os()).isEqualTo("ChromeOS");
    }

    @Test
    void whenCurlThenCurlAndNoSystem() {
        assertThat(DeviceSummary.of("curl/8.5.0")).isEqualTo(new DeviceSummary("curl", null));
    }

    @Test
    void whenMissingOrBlankThenUnknown() {
        assertThat(DeviceSummary.of(null)).isEqualTo(new DeviceSummary(null, null));
        assertThat(DeviceSummary.of("   ")).isEqualTo(new DeviceSummary(null, null));
    }

    @Test
    void whenGarbageThenUnknownNeverTheHeader() {
        DeviceSummary summary = DeviceSummary.of("<script>alert(1)</script>");
        assertThat(summary).isEqualTo(new DeviceSummary(null, null));
    }

    @Test
    void whenVersionTokenWithoutSafariThenNoBrowser() {
        assertThat(DeviceSummary.of("SomeBot Version/2.0").browser()).isNull();
    }

    @Test
    void whenHeaderIsHugeThenOnlyItsStartIsRead() {
        String huge = "x".repeat(DeviceSummary.MAX_HEADER_LENGTH) + " Firefox/133.0 (Windows NT 10.0)";
        assertThat(DeviceSummary.of(huge)).isEqualTo(new DeviceSummary(null, null));
    }
}
