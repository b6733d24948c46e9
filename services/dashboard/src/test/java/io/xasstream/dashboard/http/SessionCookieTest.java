package io.xasstream.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
    private static final Instant NOW = Instant.parse("2026-07-01T10:00:00Z");

    @Test
    void aCookieIsValidForItsTokenUntilItExpires() {
        SessionCookie sessions = new SessionCookie("s3cret", Clock.fixed(NOW, ZoneOffset.UTC));
        String value = sessions.issue();
        assertThat(value).doesNotContain("s3cret");
        assertThat(sessions.valid(value)).isTrue();
        assertThat(new SessionCookie("other", Clock.fixed(NOW, ZoneOffset.UTC)).valid(value)).isFalse();
        assertThat(new SessionCookie("s3cret", Clock.fixed(NOW.plus(SessionCookie.LIFETIME).plusSeconds(1),
                ZoneOffset.UTC)).valid(value)).isFalse();
    }

    @Test
    void forgedOrMalformedValuesAreRefused() {
        SessionCookie sessions = new SessionCookie("s3cret", Clock.fixed(NOW, ZoneOffset.UTC));
        String value = sessions.issue();
        long later = Long.parseLong(value.substring(0, value.indexOf('.'))) + 3600;
        assertThat(sessions.valid(later + value.substring(value.indexOf('.')))).isFalse();
        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid("")).isFalse();
        assertThat(sessions.valid("abc.def")).isFalse();
        assertThat(sessions.header(value)).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    }
}
