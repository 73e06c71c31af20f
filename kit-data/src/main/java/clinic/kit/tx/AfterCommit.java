package clinic.kit.tx;

import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Runs something once the current reactive transaction has committed, e.g. waking a poller that
 * would otherwise find the new rows only at its next tick (the outbox relay, the notification
 * dispatcher). Nothing runs if the transaction rolls back.
 */
public final class AfterCommit {
    private AfterCommit() {}

    /**
     * Registers {@code action} with the current transaction. Fails with
     * {@link org.springframework.transaction.NoTransactionException} when there is none: the caller
     * decides whether that is a mistake or means "already committed".
     */
    public static Mono<Void> run(Runnable action) {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(tx -> tx.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public Mono<Void> afterCommit() {
                        action.run();
                        return Mono.empty();
                    }
                }))
                .then();
    }
}
