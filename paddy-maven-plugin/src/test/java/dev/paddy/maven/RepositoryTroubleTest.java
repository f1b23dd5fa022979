package dev.paddy.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.junit.jupiter.api.Test;

/**
 * How a resolver's exception for one repository is read: the exceptions are the resolver's own,
 * wrapping what the transports throw (Maven 3.8's Wagon says "status: 401", 3.9's native transport
 * "status code: 401"; src-it/shared-unreachable checks both against a real server).
 */
class RepositoryTroubleTest {
    static final RemoteRepository TEAM = new RemoteRepository.Builder("team", "default", "https://repo.example.com/team").build();
    static final RemoteRepository WITH_CREDENTIALS = new RemoteRepository.Builder(TEAM)
            .setAuthentication(new AuthenticationBuilder().addUsername("u").addPassword("p").build()).build();
    static final DefaultArtifact ARTIFACT = new DefaultArtifact("g:a:probs:m1-0123456789abcdef:1.0");

    static String reason(Exception exception) {
        return RepositoryTrouble.of(exception, false).map(RepositoryTrouble::reason).orElse("not found");
    }

    static ArtifactTransferException transfer(RemoteRepository repository, Throwable cause) {
        return new ArtifactTransferException(ARTIFACT, repository, "Could not transfer artifact " + ARTIFACT + " from/to "
                + repository.getId() + " (" + repository.getUrl() + "): " + cause.getMessage(), cause);
    }

    /** An exception of the transport's own kind, which a plugin cannot see, by name and message. */
    static final class AuthorizationException extends Exception {
        AuthorizationException(String message) {
            super(message);
        }
    }

    static final class HttpResponseException extends IOException {
        private final int status;

        HttpResponseException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int getStatusCode() {
            return status;
        }
    }

    @Test
    void notFoundIsNoTrouble() {
        assertEquals(Optional.empty(), RepositoryTrouble.of(new ArtifactNotFoundException(ARTIFACT, TEAM), false));
        assertEquals(Optional.empty(), RepositoryTrouble.of(new IOException("no repository named"), false));
    }

    @Test
    void eachReasonIsSaid() {
        assertEquals("refused the credentials (HTTP 401)", reason(transfer(WITH_CREDENTIALS,
                new AuthorizationException("authentication failed for https://repo.example.com/team/x.probs, status: 401 Unauthorized"))));
        assertEquals("asks for credentials (HTTP 401) and settings.xml has no <server> with id 'team'", reason(transfer(TEAM,
                new HttpResponseException(401, "status code: 401, reason phrase: Unauthorized (401)"))));
        assertEquals("refused access (HTTP 403)", reason(transfer(TEAM,
                new HttpResponseException(403, "status code: 403, reason phrase: Forbidden (403)"))));
        assertEquals("answered HTTP 502", reason(transfer(TEAM, new HttpResponseException(502, "Bad Gateway"))));
        assertEquals("could not be reached (connection refused)", reason(transfer(TEAM, new ConnectException("Connection refused"))));
        assertEquals("could not be reached: unknown host repo.example.com", reason(transfer(TEAM,
                new IOException("wrapped", new UnknownHostException("repo.example.com")))));
        assertEquals("did not answer in time", reason(transfer(TEAM, new SocketTimeoutException("Read timed out"))));
        assertEquals("failed the TLS handshake (PKIX path building failed)", reason(transfer(TEAM,
                new SSLHandshakeException("PKIX path building failed"))));
        assertEquals("sent a file whose checksum does not match (Checksum validation failed, expected abc but is def)",
                reason(transfer(TEAM, new ChecksumFailureException("Checksum validation failed, expected abc but is def"))));
        assertEquals("could not be asked (something else)", reason(transfer(TEAM, new IOException("something else"))));
    }

    @Test
    void offlineIsSaidAsSuch() {
        ArtifactNotFoundException offline = new ArtifactNotFoundException(ARTIFACT, TEAM, "Cannot access team in offline mode",
                new RepositoryOfflineException(TEAM));
        RepositoryTrouble trouble = RepositoryTrouble.of(offline, false).orElseThrow();
        assertEquals("Maven runs offline (-o): repository 'team' (https://repo.example.com/team) was not asked",
                trouble.describe());
        assertEquals("run without -o to ask it", trouble.fix());
        assertTrue(RepositoryTrouble.of(new ArtifactNotFoundException(ARTIFACT, TEAM), true).orElseThrow().offline());
    }

    @Test
    void theFixFitsTheReason() {
        assertEquals("fix the <server> with id 'team' (username and password or token) in settings.xml",
                RepositoryTrouble.of(transfer(TEAM, new HttpResponseException(401, "x")), false).orElseThrow().fix());
        assertEquals("check the repository's URL, the network, and any proxy in settings.xml",
                RepositoryTrouble.of(transfer(TEAM, new ConnectException("x")), false).orElseThrow().fix());
    }
}
