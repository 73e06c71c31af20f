package clinic.callback.task;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** The facts that stop a staff action, with the contract's codes. */
public final class TaskErrors {
    private TaskErrors() {}

    public static final class AlreadyClaimed extends ClinicException {
        public AlreadyClaimed() {
            super(HttpStatus.CONFLICT, "already_claimed", "Already claimed",
                    "Another staff member has already claimed this callback");
        }
    }

    public static final class ClaimedByOther extends ClinicException {
        public ClaimedByOther() {
            super(HttpStatus.CONFLICT, "claimed_by_other", "Claimed by someone else",
                    "Only the staff member who claimed this callback can log attempts or complete it");
        }
    }

    public static final class AlreadyCompleted extends ClinicException {
        public AlreadyCompleted() {
            super(HttpStatus.CONFLICT, "already_completed", "Already completed",
                    "This callback has been completed; no further actions are possible");
        }
    }

    public static ClinicException callbackNotFound() {
        return ClinicException.notFound("Callback");
    }
}
