package dev.paddy.maven;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;

/**
 * Why a repository could not be asked for an artifact, read from the exception Maven's resolver
 * reports for it: Maven offline, credentials refused, access forbidden, the host unreachable or
 * silent, TLS failing, a checksum not matching, another HTTP status. "Not found" is no trouble.
 *
 * <p>The resolver wraps the transport's exception (Maven 3.8's Wagon, 3.9's native HTTP transport),
 * whose classes a plugin cannot see: the cause chain is read by the JDK's exception types, a
 * {@code getStatusCode()} method where the transport has one, and the status in its message.
 *
 * @param repository the repository that could not be asked
 * @param reason     what happened, e.g. {@code refused the credentials (HTTP 401)}
 * @param fix        what the user can do about it
 * @param offline    true when Maven runs offline, so the repository was not asked at all
 */
record RepositoryTrouble(RemoteRepository repository, String reason, String fix, boolean offline) {
    /** How Wagon ({@code status: 401 Unauthorized}) and the native transport ({@code status code: 401}) say a status. */
    private static final Pattern STATUS = Pattern.compile("(?:status(?: code)?:?|return code is:?)\\s*(\\d{3})\\b",
            Pattern.CASE_INSENSITIVE);

    /** The trouble {@code exception} reports, or empty when it says the artifact is not there (or names no repository). */
    static Optional<RepositoryTrouble> of(Exception exception, boolean offline) {
        if (!(exception instanceof ArtifactTransferException transfer) || transfer.getRepository() == null) {
            return Optional.empty();
        }
        RemoteRepository repository = transfer.getRepository();
        if (offline || causedBy(exception, RepositoryOfflineException.class) != null) {
            return Optional.of(new RepositoryTrouble(repository, "was not asked", "run without -o to ask it", true));
        }
        if (exception instanceof ArtifactNotFoundException) {
            return Optional.empty();
        }
        return Optional.of(new RepositoryTrouble(repository, reason(exception, repository), fix(exception, repository), false));
    }

    /** One line: the repository, the reason and what to do. */
    String describe() {
        String named = "repository '" + repository.getId() + "' (" + repository.getUrl() + ")";
        return offline ? "Maven runs offline (-o): " + named + " " + reason : named + " " + reason;
    }

    private static String reason(Exception exception, RemoteRepository repository) {
        if (causedBy(exception, ChecksumFailureException.class) != null) {
            return "sent a file whose checksum does not match (" + message(causedBy(exception, ChecksumFailureException.class)) + ")";
        }
        int status = status(exception);
        if (status == 401) {
            return repository.getAuthentication() != null ? "refused the credentials (HTTP 401)"
                    : "asks for credentials (HTTP 401) and settings.xml has no <server> with id '" + repository.getId() + "'";
        }
        if (status == 403) {
            return "refused access (HTTP 403)";
        }
        if (causedBy(exception, UnknownHostException.class) != null) {
            return "could not be reached: unknown host " + message(causedBy(exception, UnknownHostException.class));
        }
        if (causedBy(exception, ConnectException.class) != null || causedBy(exception, NoRouteToHostException.class) != null) {
            return "could not be reached (connection refused)";
        }
        if (causedBy(exception, SocketTimeoutException.class) != null || deepestMessage(exception).toLowerCase().contains("timed out")) {
            return "did not answer in time";
        }
        if (causedBy(exception, SSLException.class) != null) {
            return "failed the TLS handshake (" + message(causedBy(exception, SSLException.class)) + ")";
        }
        if (status > 0) {
            return "answered HTTP " + status;
        }
        return "could not be asked (" + deepestMessage(exception) + ")";
    }

    private static String fix(Exception exception, RemoteRepository repository) {
        int status = status(exception);
        if (status == 401 || status == 403) {
            return "fix the <server> with id '" + repository.getId() + "' (username and password or token) in settings.xml";
        }
        if (causedBy(exception, ChecksumFailureException.class) != null) {
            return "ask whoever keeps the repository to check the deployed file";
        }
        if (causedBy(exception, SSLException.class) != null) {
            return "check the repository's certificate is one this JVM trusts";
        }
        return "check the repository's URL, the network, and any proxy in settings.xml";
    }

    /** The HTTP status the transport reported, or 0. */
    private static int status(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            try {
                Object code = t.getClass().getMethod("getStatusCode").invoke(t);
                if (code instanceof Integer value && value >= 100) {
                    return value;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not an exception that carries a status: read its message
            }
            String name = t.getClass().getSimpleName();
            if (t.getMessage() != null) {
                Matcher matcher = STATUS.matcher(t.getMessage());
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
            if (name.equals("AuthenticationException")) {
                return 401; // Wagon's, when no status is said
            }
            if (name.equals("AuthorizationException")) {
                return 403;
            }
        }
        return 0;
    }

    private static Throwable causedBy(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static String deepestMessage(Throwable exception) {
        Throwable deepest = exception;
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                deepest = t;
            }
        }
        return message(deepest);
    }
}
