package clinic.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    @Test
    void aNewRunReplacesOnlyTheGeneratedPart() {
        String first = Bench.merge("", "# Benchmarks\n\n| figure | 1 |\n");
        assertThat(first).startsWith("# Benchmarks\n\n" + Bench.BEGIN).contains("| figure | 1 |").contains(Bench.END);

        String edited = first.replace("# Benchmarks\n\n", "# Benchmarks\n\nWhat we changed.\n\n") + "\n## Profile\n\nnotes\n";
        String second = Bench.merge(edited, "# Benchmarks\n\n| figure | 2 |\n");
        assertThat(second).contains("What we changed.", "## Profile\n\nnotes", "| figure | 2 |").doesNotContain("| figure | 1 |");
    }

    @Test
    void countersAreSummedOverLabelsAndGaugesTakeTheLargestAndNaNIsSkipped() {
        var figures = MetricsWatch.parse("""
                # HELP clinic_inbox_processed_total events handled
                clinic_inbox_processed_total{type="booking.confirmed.v1"} 3.0
                clinic_inbox_processed_total{type="promo.redeemed.v1"} 2.0
                kafka_consumer_fetch_manager_records_lag_max{partition="0"} 7.0
                kafka_consumer_fetch_manager_records_lag_max{partition="1"} NaN
                kafka_consumer_fetch_manager_records_lag_max{partition="2"} 4.0
                jvm_threads_live_threads 40.0
                clinic_outbox_backlog 0.0
                """);
        assertThat(figures).containsEntry("clinic_inbox_processed_total", 5.0)
                .containsEntry("kafka_consumer_fetch_manager_records_lag_max", 7.0)
                .containsEntry("clinic_outbox_backlog", 0.0)
                .doesNotContainKey("jvm_threads_live_threads");
    }

    @Test
    void warmingGoesOnWhileARoundGainsFivePerCent() {
        assertThat(Bench.stillRising(0, 150)).isTrue();
        assertThat(Bench.stillRising(415, 579)).isTrue();
        assertThat(Bench.stillRising(800, 839)).isFalse();
        assertThat(Bench.stillRising(800, 700)).isFalse();
    }

    @Test
    void warmingEndsAfterTwoRoundsInARowWithoutGain() {
        // The eleventh session's recorded bench: one dip is not the end.
        assertThat(Bench.warmedUp(List.of(495.0, 557.0, 381.0))).isFalse();
        assertThat(Bench.warmedUp(List.of(495.0, 557.0, 381.0, 560.0))).isTrue();
        // A dip, then a round that gains again, then one that does not: still warming.
        assertThat(Bench.warmedUp(List.of(495.0, 381.0, 600.0, 610.0))).isFalse();
        assertThat(Bench.warmedUp(List.of(154.0, 415.0, 579.0, 805.0, 820.0, 830.0))).isTrue();
        assertThat(Bench.warmedUp(List.of(800.0, 700.0))).isFalse();
    }
}
