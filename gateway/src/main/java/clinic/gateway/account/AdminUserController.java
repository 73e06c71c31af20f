package clinic.gateway.account;

import clinic.kit.web.ClinicException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Staff accounts (ADMIN, by the kit's rule for {@code /api/admin/**}). */
@RestController
class AdminUserController {
    private final Accounts accounts;

    AdminUserController(Accounts accounts) {
        this.accounts = accounts;
    }

    record InviteRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 100) String name,
                         @NotEmpty List<@NotBlank String> roles) {}

    record UpdateRequest(@Size(min = 1, max = 100) String name, @Size(min = 1) List<@NotBlank String> roles) {}

    @GetMapping("/api/admin/users")
    Mono<List<Account.AccountView>> list() {
        return accounts.list().map(Account::view).collectList();
    }

    @PostMapping("/api/admin/users")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Account.AccountView> invite(@Valid @RequestBody InviteRequest request) {
        return accounts.invite(request.email(), request.name(), request.roles()).map(Account::view);
    }

    @PutMapping("/api/admin/users/{id}")
    Mono<Account.AccountView> update(@PathVariable String id, @Valid @RequestBody UpdateRequest request) {
        if (request.name() != null && request.name().isBlank()) throw ClinicException.invalid("name", "must not be blank");
        return accounts.update(id(id), request.name(), request.roles()).map(Account::view);
    }

    @PostMapping("/api/admin/users/{id}/disable")
    Mono<Account.AccountView> disable(@PathVariable String id) {
        return accounts.disable(id(id)).map(Account::view);
    }

    private static UUID id(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ClinicException.notFound("User");
        }
    }
}
