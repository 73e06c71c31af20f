package clinic.callback.request;

import clinic.callback.config.CallbackProperties;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One of the clinic's location ids ({@code clinic.callbacks.locations}); null means "no preference". */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownLocation.Validator.class)
public @interface KnownLocation {
    String message() default "must be one of the clinic's locations";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Built by Spring's constraint validator factory, so it sees the configured locations. */
    class Validator implements ConstraintValidator<KnownLocation, String> {
        private final CallbackProperties props;

        public Validator(CallbackProperties props) {
            this.props = props;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || props.locations().contains(value);
        }
    }
}
