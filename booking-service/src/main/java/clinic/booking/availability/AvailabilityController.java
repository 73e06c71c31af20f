package clinic.booking.availability;

import clinic.booking.availability.AvailabilityService.DayAvailability;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class AvailabilityController {
    private final AvailabilityService availability;

    AvailabilityController(AvailabilityService availability) {
        this.availability = availability;
    }

    @GetMapping("/api/availability")
    Mono<DayAvailability> availability(@RequestParam("locationId") String locationId,
                                       @RequestParam("treatmentId") String treatmentId,
                                       @RequestParam("date") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                                       @RequestParam(name = "therapistId", required = false) String therapistId) {
        return availability.availability(locationId, treatmentId, date, therapistId);
    }
}
