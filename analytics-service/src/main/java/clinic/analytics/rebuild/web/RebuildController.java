package clinic.analytics.rebuild.web;

import clinic.analytics.rebuild.Rebuild;
import clinic.analytics.rebuild.RebuildResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class RebuildController {
    private final Rebuild rebuild;

    RebuildController(Rebuild rebuild) {
        this.rebuild = rebuild;
    }

    /** Answers when the read models are rebuilt, with what the rebuild found. */
    @PostMapping("/api/admin/analytics/rebuild")
    Mono<RebuildResult> rebuild() {
        return rebuild.run();
    }
}
