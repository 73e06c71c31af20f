package clinic.gateway.session;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The session cookie's attributes in one place, and its removal from requests to the services:
 * it is the gateway's credential, no service needs it (they get the bearer token), and a service's
 * log or bug must never see it.
 */
@Component
class SessionCookies implements HttpHeadersFilter {
    private final SessionProperties props;

    SessionCookies(SessionProperties props) {
        this.props = props;
    }

    String name() {
        return props.cookieName();
    }

    /**
     * HttpOnly (no script reads it), SameSite=Strict (no other site's page or link sends it), Secure
     * unless the gateway is served over plain http, Path=/. No Max-Age: it goes when the browser
     * closes, and the server ends it after the idle timeout or absolute lifetime anyway.
     */
    ResponseCookie of(String value) {
        return ResponseCookie.from(props.cookieName(), value).httpOnly(true).secure(props.secureCookie())
                .sameSite("Strict").path("/").build();
    }

    ResponseCookie cleared() {
        return ResponseCookie.from(props.cookieName(), "").httpOnly(true).secure(props.secureCookie())
                .sameSite("Strict").path("/").maxAge(0).build();
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        if (!input.containsKey(HttpHeaders.COOKIE)) return input;
        HttpHeaders out = new HttpHeaders();
        out.addAll(input);
        String prefix = props.cookieName() + "=";
        var kept = input.get(HttpHeaders.COOKIE).stream()
                .flatMap(line -> Arrays.stream(line.split(";")))
                .map(String::trim)
                .filter(c -> !c.isEmpty() && !c.startsWith(prefix))
                .collect(Collectors.joining("; "));
        if (kept.isEmpty()) out.remove(HttpHeaders.COOKIE); else out.set(HttpHeaders.COOKIE, kept);
        return out;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }
}
