package clinic.gateway.privacy;

import clinic.kit.web.ClinicException;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/admin/privacy/export?email=}: everything the platform holds about one person
 * (ADMIN only: the kit's access rules for {@code /api/admin/**} apply to the gateway's own endpoints
 * before this runs). Answered here rather than routed, because no one service holds it all; each
 * service records the request in its audit log, without the address.
 */
@RestController
class PrivacyController {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private final PrivacyExport export;

    PrivacyController(PrivacyExport export) {
        this.export = export;
    }

    @GetMapping("/api/admin/privacy/export")
    Mono<ResponseEntity<PrivacyExport.Export>> export(@RequestParam(required = false) String email,
                                                      @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        // Checked once here, so a bad address is one 400, not one per service.
        if (email == null || email.isBlank() || email.length() > 254 || !EMAIL.matcher(email.trim()).matches()) {
            throw ClinicException.invalid("email", "must be an email address");
        }
        return export.collect(email.trim(), authorization)
                .map(e -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(e));
    }
}
