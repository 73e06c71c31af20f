package clinic.gateway.account;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Reset by mail and choosing a password with a link's token (public; throttled with sign-in). */
@RestController
class PasswordController {
    private final Accounts accounts;

    PasswordController(Accounts accounts) {
        this.accounts = accounts;
    }

    record ResetRequest(@NotBlank @Email @Size(max = 254) String email) {}

    record PasswordRequest(@NotBlank @Size(max = 200) String token, @NotBlank @Size(max = 1024) String password) {
        @Override
        public String toString() {
            return "PasswordRequest[]"; // neither the token nor the password, should it ever be logged
        }
    }

    @PostMapping("/api/auth/password-reset")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Void> reset(@Valid @RequestBody ResetRequest request) {
        // 202 whatever the address: the mail goes out (or not) after the answer, so timing tells nothing either.
        accounts.requestReset(request.email()).subscribe();
        return Mono.empty();
    }

    @PostMapping("/api/auth/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> password(@Valid @RequestBody PasswordRequest request) {
        return accounts.setPassword(request.token(), request.password());
    }
}
