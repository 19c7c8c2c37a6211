package wormhole.api.internal;

import wormhole.api.spi.resume.ConfirmSchedule;

/**
 * When a {@link PathLink} confirms what it took on the direct path ({@link ConfirmSchedule}'s
 * rule), shared between the readers that take frames and the ticker that sends the confirmations.
 */
final class Confirmations {
    private final ConfirmSchedule schedule = new ConfirmSchedule();

    /** One frame of {@code bytes} was taken; wakes the ticker when a confirmation is due. */
    synchronized void took(long bytes) {
        schedule.took(bytes, System.nanoTime());
        if (schedule.due(System.nanoTime())) {
            notifyAll();
        }
    }

    /** @return whether a confirmation is due, after waiting up to {@code millis} for one */
    synchronized boolean awaitDue(long millis) throws InterruptedException {
        if (!schedule.due(System.nanoTime())) {
            wait(millis);
        }
        return schedule.due(System.nanoTime());
    }

    /** A confirmation goes out now. */
    synchronized void confirm() {
        schedule.confirm();
    }

    /** Wakes a waiting ticker (the link closed). */
    synchronized void wake() {
        notifyAll();
    }
}
