package clinic.notification.dispatch;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, remembering whether the server answered {@code MAIL FROM} for the
 * message being sent. A kept connection that the server dropped while it was idle fails on that
 * first command; before its 250 the server holds nothing of the message, so sending it again on a
 * new connection cannot deliver it twice. Any later failure (a refused recipient, the connection
 * lost during or after the data) is left to the notification's retry schedule. {@code mailFrom} is
 * one of the hooks SMTPTransport documents for subclasses.
 */
final class TrackedTransport extends SMTPTransport {
    /** Guarded by this: sendMessage is synchronized in SMTPTransport too. */
    private boolean mailFromAccepted;

    TrackedTransport(Session session, String protocol) {
        super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        mailFromAccepted = false;
        super.sendMessage(message, addresses);
    }

    @Override
    protected void mailFrom() throws MessagingException {
        super.mailFrom();
        mailFromAccepted = true;
    }

    /** Whether the last {@code sendMessage} got as far as the server accepting {@code MAIL FROM}. */
    synchronized boolean mailFromAccepted() {
        return mailFromAccepted;
    }
}
