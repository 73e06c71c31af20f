package clinic.gateway.auth;

import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class LoginController {
    private final LoginService logins;

    LoginController(LoginService logins) {
        this.logins = logins;
    }

    @PostMapping("/api/auth/login")
    Mono<ResponseEntity<LoginResponse>> login(@Valid @RequestBody LoginRequest request) {
        // A token is a credential: no cache may keep it.
        return logins.login(request.username(), request.password())
                .map(r -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(r));
    }
}
