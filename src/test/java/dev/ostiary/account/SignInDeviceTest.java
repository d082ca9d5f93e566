package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Addresses on the sessions page as people write them (RFC 5952 §4 for IPv6). */
@Tag("unit")
class SignInDeviceTest {

    @Test
    void whenIpv6LoopbackInFullThenShortForm() {
        assertThat(SignInDevice.display("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    }

    @Test
    void whenLongestZeroRunIsInTheMiddleThenItIsTheOneShortened() {
        assertThat(SignInDevice.display("2001:db8:0:0:1:0:0:0")).isEqualTo("2001:db8:0:0:1::");
        assertThat(SignInDevice.display("2001:0db8:0000:0000:0000:ff00:0042:8329")).isEqualTo("2001:db8::ff00:42:8329");
    }

    @Test
    void whenEqualRunsThenTheFirstIsShortened() {
        assertThat(SignInDevice.display("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    }

    @Test
    void whenASingleZeroGroupThenNotShortened() {
        assertThat(SignInDevice.display("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void whenAllZeroThenDoubleColon() {
        assertThat(SignInDevice.display("0:0:0:0:0:0:0:0")).isEqualTo("::");
    }

    @Test
    void whenIpv4OrAlreadyShortOrNullThenAsItIs() {
        assertThat(SignInDevice.display("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(SignInDevice.display("::1")).isEqualTo("::1");
        assertThat(SignInDevice.display(null)).isNull();
    }

    @Test
    void whenAddressIsOverlongThenCut() {
        assertThat(new SignInDevice(new DeviceSummary(null, null), "x".repeat(100), null).address())
                .hasSize(SignInDevice.MAX_ADDRESS_LENGTH);
    }
}
