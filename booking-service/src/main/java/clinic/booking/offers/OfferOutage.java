package clinic.booking.offers;

import clinic.kit.web.ClinicException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.function.Predicate;

/**
 * Failures that say offer-service is away or broken (refused connection, timeout, 5xx, an
 * unreadable answer): worth one retry and counted by the breaker. A refusal of the code is an
 * answer (counted as a success, so refusals never open the breaker), and an open breaker is not
 * worth retrying. Named in application.yml as the {@code offer-service} breaker's
 * {@code record-failure-predicate} and the retry's {@code retry-exception-predicate}, so it must
 * stay public with a no-argument constructor (resilience4j instantiates it by class name).
 */
public final class OfferOutage implements Predicate<Throwable> {
    @Override
    public boolean test(Throwable e) {
        return !(e instanceof ClinicException) && !(e instanceof CallNotPermittedException);
    }
}
