package clinic.kit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one reading of phone numbers booking- and callback-service share. */
class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "07911 123456        | +447911123456",
            "  07911 123456  | +447911123456",
            "+44 7911 123456     | +447911123456",
            "(0114) 496 0000     | +441144960000",
            "01226 000000        | +441226000000",
            "+1 650-253-0000     | +16502530000",
            "+33 1 42 68 53 00   | +33142685300"})
    void ukAndInternationalNumbersBecomeE164(String written, String e164) {
        assertThat(PhoneNumbers.toE164(written)).contains(e164);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "12", "07700", "not a number", "+44 0000 000000", "0770090012345678901",
            "<script>alert(1)</script>"})
    void invalidNumbersAreRefused(String input) {
        assertThat(PhoneNumbers.toE164(input)).isEmpty();
    }

    @Test
    void inputLongerThanTheContractsMaxLengthIsRefusedBeforeParsing() {
        // 32 characters (the openapi maxLength) still read; 33 are refused even though the digits are valid.
        String padded32 = "07911 123456" + " ".repeat(20);
        assertThat(padded32).hasSize(PhoneNumbers.MAX_LENGTH);
        assertThat(PhoneNumbers.toE164(padded32)).contains("+447911123456");
        assertThat(PhoneNumbers.toE164(padded32 + " ")).isEmpty();
    }

    @Test
    void requiredNamesTheFieldInA400() {
        assertThat(PhoneNumbers.required("07911 123456", "phone")).isEqualTo("+447911123456");
        assertThatThrownBy(() -> PhoneNumbers.required("12", "customer.phone"))
                .isInstanceOfSatisfying(ClinicException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("validation_failed");
                    assertThat(e.properties().get("violations")).asList()
                            .containsExactly(new ClinicException.Violation("customer.phone", PhoneNumbers.INVALID));
                });
    }

    record Form(@ValidPhone String phone) {}

    @Test
    void theConstraintAcceptsValidNumbersAndLeavesBlankToNotBlank() {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        assertThat(validator.validate(new Form("07911 123456"))).isEmpty();
        assertThat(validator.validate(new Form(null))).isEmpty();
        assertThat(validator.validate(new Form(" "))).isEmpty();
        assertThat(validator.validate(new Form("12345"))).singleElement()
                .satisfies(v -> assertThat(v.getMessage()).isEqualTo(PhoneNumbers.INVALID));
    }
}
