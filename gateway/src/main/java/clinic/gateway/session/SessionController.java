package clinic.gateway.session;

import clinic.gateway.auth.LoginService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import clinic.kit.web.ClinicException;
import reactor.core.publisher.Mono;

/** The web front's sign-in, who-am-I and sign-out (see the package description). */
@RestController
class SessionController {
    static final String PATH = "/api/auth/session";

    private final LoginService logins;
    private final WebSessions sessions;
    private final SessionCookies cookies;

    SessionController(LoginService logins, WebSessions sessions, SessionCookies cookies) {
        this.logins = logins;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    record SessionRequest(@NotBlank @Size(max = 320) String username, @NotBlank @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "SessionRequest[username=" + username + "]"; // never the password
        }
    }

    /** What a page needs: who, which roles, the CSRF token for its writes, and when the session ends. */
    record SessionView(String username, List<String> roles, String csrfToken, String expiresAt,
                       String idleExpiresAt, long idleTimeoutSeconds) {}

    @PostMapping(PATH)
    Mono<ResponseEntity<SessionView>> signIn(@Valid @RequestBody SessionRequest request, ServerWebExchange exchange) {
        HttpCookie old = exchange.getRequest().getCookies().getFirst(cookies.name());
        Mono<Void> dropOld = old == null || old.getValue().isBlank() ? Mono.empty() : sessions.delete(old.getValue());
        // Same checks, throttling and lockout as POST /api/auth/login.
        return logins.check(request.username(), request.password())
                .flatMap(roles -> dropOld.then(sessions.create(request.username(), roles)))
                .map(created -> ResponseEntity.ok().cacheControl(CacheControl.noStore())
                        .header(HttpHeaders.SET_COOKIE, cookies.of(created.cookieValue()).toString())
                        .body(view(created.active())));
    }

    @GetMapping(PATH)
    ResponseEntity<SessionView> current(ServerWebExchange exchange) {
        WebSessions.Active active = exchange.getAttribute(SessionFilter.ACTIVE);
        if (active == null) throw noSession();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view(active));
    }

    @DeleteMapping(PATH)
    Mono<ResponseEntity<Void>> signOut(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(cookies.name());
        Mono<Void> delete = cookie == null || cookie.getValue().isBlank() ? Mono.empty() : sessions.delete(cookie.getValue());
        // Signing out twice, or after the session ended, is the same success.
        return delete.then(Mono.fromSupplier(() -> ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, cookies.cleared().toString()).<Void>build()));
    }

    private SessionView view(WebSessions.Active a) {
        return new SessionView(a.username(), a.roles(), a.csrfToken(), a.expiresAt().toString(),
                a.idleExpiresAt().toString(), sessions.idleTimeout().toSeconds());
    }

    private static ClinicException noSession() {
        return new ClinicException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "No web session: sign in first");
    }
}
