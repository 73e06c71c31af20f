package clinic.gateway.issuer;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Key rotation without a restart (ADMIN, by the kit's rule for {@code /api/admin/**}):
 * introduce a new key, later withdraw the old one (docs/operations.md, "Signing keys").
 */
@RestController
class KeyAdminController {
    private final SigningKeys keys;

    KeyAdminController(SigningKeys keys) {
        this.keys = keys;
    }

    @GetMapping("/api/admin/keys")
    Mono<List<SigningKeys.KeyView>> list() {
        return keys.list().collectList();
    }

    @PostMapping("/api/admin/keys")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<SigningKeys.KeyView> introduce() {
        return keys.rotate();
    }

    @PostMapping("/api/admin/keys/{kid}/withdraw")
    Mono<SigningKeys.KeyView> withdraw(@PathVariable String kid) {
        return keys.withdraw(kid);
    }
}
