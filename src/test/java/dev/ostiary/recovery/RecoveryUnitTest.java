package dev.ostiary.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.crypto.RandomTokens;
import dev.ostiary.mail.DevMailbox;
import dev.ostiary.mail.MailProperties;
import dev.ostiary.mail.Mailer;
import dev.ostiary.mail.OutgoingMail;
import dev.ostiary.support.TestClocks;
import dev.ostiary.user.UserManagement;

@Tag("unit")
class RecoveryUnitTest {

    private static AccountMails mails() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("messages/recovery");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return new AccountMails(messages);
    }

    @Test
    void whenTokenIsGeneratedThenItIsWellFormedAndAnythingElseIsNot() {
        assertThat(AccountLinks.wellFormed(RandomTokens.generate())).isTrue();
        assertThat(AccountLinks.wellFormed(null)).isFalse();
        assertThat(AccountLinks.wellFormed("A".repeat(42))).isFalse();
        assertThat(AccountLinks.wellFormed("A".repeat(42) + "=")).isFalse();
        assertThat(AccountLinks.wellFormed("A".repeat(42) + "\u00c4")).isFalse();
    }

    @Test
    void whenHostIsNotLoopbackThenNoLinkIsBuiltFromIt() {
        assertThat(MailContext.loopbackHost("localhost")).isTrue();
        assertThat(MailContext.loopbackHost("127.0.0.1")).isTrue();
        assertThat(MailContext.loopbackHost("[::1]")).isTrue();
        assertThat(MailContext.loopbackHost("evil.example")).isFalse();
        assertThat(MailContext.loopbackHost("localhost.evil.example")).isFalse();
        assertThat(MailContext.loopbackHost("10.0.0.1")).isFalse();
        assertThat(new MailContext(Locale.ENGLISH, "127.0.0.1", null).link("/reset-password", "t")).isNull();
    }

    @Test
    void whenAddressesAreCheckedThenHeaderInjectionAndListsAreRefused() {
        assertThat(UserManagement.validEmail("alice@example.test")).isTrue();
        assertThat(UserManagement.validEmail("a.b+c@mail.example.co")).isTrue();
        assertThat(UserManagement.validEmail("alice@example.test\r\nBcc: x@evil.example")).isFalse();
        assertThat(UserManagement.validEmail("alice@example.test,bob@example.test")).isFalse();
        assertThat(UserManagement.validEmail("Alice <alice@example.test>")).isFalse();
        assertThat(UserManagement.validEmail("alice@localhost")).isFalse();
        assertThat(UserManagement.validEmail("a".repeat(65) + "@example.test")).isFalse();
        assertThat(UserManagement.validEmail("alice")).isFalse();
    }

    @Test
    void whenMailIsComposedThenEnglishAndGermanTextsCarryNameLinkAndLifetime() {
        OutgoingMail english = mails().compose("reset", "alice@example.test", Locale.ENGLISH, "http://l/x", "alice",
                "http://l/x", 30L);
        assertThat(english.subject()).isEqualTo("Reset your Ostiary password");
        assertThat(english.body()).contains("Hello alice,").contains("http://l/x").contains("30 minutes");
        OutgoingMail german = mails().compose("reset", "alice@example.test", Locale.GERMANY, "http://l/x", "alice",
                "http://l/x", 30L);
        assertThat(german.subject()).isEqualTo("Ihr Ostiary-Passwort zurücksetzen");
        assertThat(german.body()).contains("Hallo alice,").contains("innerhalb von 30 Minuten");
        OutgoingMail french = mails().compose("register", "a@example.test", Locale.FRENCH, "l", "a", "l", 24L);
        assertThat(french.subject()).isEqualTo("Confirm your Ostiary account");
        OutgoingMail existing = mails().compose("registerExisting", "a@example.test", Locale.GERMAN, null, "alice",
                "http://l/login", "http://l/forgot-password");
        assertThat(existing.body()).contains("„alice“").contains("http://l/forgot-password");
    }

    @Test
    void whenNoSmtpHostInTheDemoThenTheMailIsKeptForTheDevPageNewestFirstAndBounded() {
        List<Object> events = new ArrayList<>();
        DevMailbox box = new DevMailbox(2);
        Mailer mailer = new Mailer(null, box, new MailProperties("Ostiary <no-reply@localhost>", 2), events::add,
                TestClocks.fixed());
        for (int i = 1; i <= 3; i++) {
            assertThat(mailer.send(new OutgoingMail("a@example.test", Locale.ENGLISH, "reset", "s" + i, "b", "l"),
                    "a")).isTrue();
        }
        assertThat(box.newestFirst()).extracting(kept -> kept.mail().subject()).containsExactly("s3", "s2");
        assertThat(events).isEmpty();
    }

    @Test
    void whenNoSmtpHostOutsideTheDemoThenNothingIsSentAndThatIsAudited() {
        List<Object> events = new ArrayList<>();
        Mailer mailer = new Mailer(null, null, new MailProperties("Ostiary <no-reply@localhost>", 2), events::add,
                TestClocks.fixed());
        assertThat(mailer.send(new OutgoingMail("a@example.test", Locale.ENGLISH, "reset", "s", "b", "l"), "a"))
                .isFalse();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(((AuditEvent) e).type()).isEqualTo(AuditEventType.MAIL_FAILED);
            assertThat(((AuditEvent) e).details()).containsEntry("reason", "no_mail_host").doesNotContainValue("l");
        });
    }
}
