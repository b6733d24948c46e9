package io.xasstream.dashboard.http;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;

/**
 * Guards every route of the dashboard's HTTP server: read-only (GET and HEAD, 405 otherwise), security headers on
 * every answer (a strict Content-Security-Policy, no CORS header at all, so only the same origin reads), and, when a
 * token is set, 401 on every route without a valid session cookie or {@code Authorization: Bearer TOKEN}.
 * {@code /login} takes the token as the password of HTTP Basic (the browser asks for it; the token never sits in a
 * URL) and sets an HttpOnly SameSite=Strict session cookie, which EventSource sends by itself.
 */
public final class Security implements Handler<RoutingContext> {
    public static final String CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
    static final String LOGIN = "/login";
    static final String LOGOUT = "/logout";

    private final byte[] token;
    private final SessionCookie sessions;

    private Security(String token, Clock clock) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.sessions = this.token == null ? null : new SessionCookie(token, clock);
    }

    /** Puts the guard in front of every route of {@code router} and adds /login and /logout; call it first. */
    public static void install(Router router, String token, Clock clock) {
        Security security = new Security(token, clock);
        router.route().order(-1_000).handler(security);
        router.get(LOGIN).handler(security::login);
        router.get(LOGOUT).handler(security::logout);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Frame-Options", "DENY")
                .putHeader("Cross-Origin-Resource-Policy", "same-origin");
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader("Allow", "GET, HEAD").end("read-only: GET and HEAD only\n");
            return;
        }
        if (token == null || LOGIN.equals(ctx.normalizedPath()) || authenticated(ctx)) {
            ctx.next();
            return;
        }
        response.setStatusCode(401).putHeader("Cache-Control", "no-store")
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!doctype html><title>xasstream: log in</title><p>This dashboard needs its token: "
                        + "<a href=\"/login\">log in</a>.</p>\n");
    }

    private boolean authenticated(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SessionCookie.NAME);
        if (cookie != null && sessions.valid(cookie.getValue())) {
            return true;
        }
        String auth = ctx.request().getHeader("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && equalsToken(auth.substring(7).trim());
    }

    private void login(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().putHeader("Cache-Control", "no-store");
        if (token == null) {
            response.setStatusCode(303).putHeader("Location", "/").end();
            return;
        }
        if (authenticated(ctx) || basicPasswordMatches(ctx.request().getHeader("Authorization"))) {
            response.putHeader("Set-Cookie", sessions.header(sessions.issue()))
                    .setStatusCode(303).putHeader("Location", "/").end();
            return;
        }
        response.setStatusCode(401)
                .putHeader("WWW-Authenticate", "Basic realm=\"xasstream dashboard\", charset=\"UTF-8\"")
                .end("the dashboard token is the password (any user name)\n");
    }

    private void logout(RoutingContext ctx) {
        ctx.response().putHeader("Set-Cookie", SessionCookie.expired()).putHeader("Cache-Control", "no-store")
                .end("logged out\n");
    }

    private boolean basicPasswordMatches(String auth) {
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon >= 0 && equalsToken(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean equalsToken(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
