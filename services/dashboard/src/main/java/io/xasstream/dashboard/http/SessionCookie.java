package io.xasstream.dashboard.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's session cookie: an expiry time and an HMAC-SHA256 of it keyed with the token, so it proves a
 * login without holding the token, needs no server-side store, and stops working when it expires or the token
 * changes.
 */
final class SessionCookie {
    static final String NAME = "xas_session";
    static final Duration LIFETIME = Duration.ofHours(12);

    private final byte[] key;
    private final Clock clock;

    SessionCookie(String token, Clock clock) {
        this.key = token.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** A fresh value, valid for {@link #LIFETIME}. */
    String issue() {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        return expires + "." + mac(expires);
    }

    boolean valid(String value) {
        if (value == null) {
            return false;
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(value.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        return expires > clock.instant().getEpochSecond() && MessageDigest.isEqual(
                mac(expires).getBytes(StandardCharsets.US_ASCII), value.substring(dot + 1)
                        .getBytes(StandardCharsets.US_ASCII));
    }

    /** The Set-Cookie header value. */
    String header(String value) {
        return NAME + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + LIFETIME.toSeconds();
    }

    /** A Set-Cookie header value that removes the cookie. */
    static String expired() {
        return NAME + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    private String mac(long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal(("xasstream-dashboard-session|" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
