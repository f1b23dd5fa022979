package dev.paddy.maven;

import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.StageId;
import dev.paddy.experiment.UploadMode;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleProxy;
import dev.paddy.submit.KaggleCredential;
import dev.paddy.submit.KaggleCredentials;
import dev.paddy.submit.SubmissionException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.repository.AuthenticationContext;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * Submits the submission CSV to the manifest's {@code submission.competition} on Kaggle. The
 * credential is the {@code settings.xml} server {@code kaggle} (user name, API key as password,
 * encrypted or not), else the kaggle CLI's environment variables or {@code kaggle.json}. Under
 * {@code -o} it sends nothing and fails; in batch mode ({@code -B}) missing credentials fail the
 * build; {@code -Dpaddy.dryRun} allows both. Skips, saying how to enable it, when the manifest
 * names no competition, and when {@code -Dpaddy.members} selects some members only.
 */
@Mojo(name = "upload", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class UploadMojo extends AbstractPaddyMojo {
    static final String SERVER_ID = "kaggle";
    static final String SERVER_NAME = "settings.xml server '" + SERVER_ID + "'";

    /** The Kaggle API's address (tests and proxies set another). */
    @Parameter(property = "paddy.kaggle.url", defaultValue = KaggleClient.DEFAULT_URL)
    protected String kaggleUrl;

    /**
     * Logs what would be sent (address, competition, file, size, SHA-256, message, where the
     * credential comes from) and sends nothing; also what happens when no credential is found in an
     * interactive build.
     */
    @Parameter(property = "paddy.dryRun", defaultValue = "false")
    protected boolean dryRun;

    /**
     * How many times, after submitting, Kaggle's list of submissions is looked at for the new
     * submission's status and public score ({@code 0}: not at all).
     */
    @Parameter(property = "paddy.kaggle.pollTries", defaultValue = "10")
    protected int pollTries;

    /** Seconds between those looks (the first comes after one interval). */
    @Parameter(property = "paddy.kaggle.pollSeconds", defaultValue = "3")
    protected double pollSeconds;

    @Parameter(defaultValue = "${settings}", readonly = true)
    protected Settings settings;

    @Component
    protected SettingsDecrypter decrypter;

    @Override
    protected String goal() {
        return StageId.UPLOAD.id();
    }

    @Override
    protected void run(Experiment experiment) throws ExperimentException, IOException {
        if (skippedForMemberSelection()) {
            return;
        }
        boolean offline = session != null && session.isOffline();
        boolean batch = session != null && !session.getRequest().isInteractiveMode();
        if (pollTries < 0 || !(pollSeconds >= 0)) {
            throw new ExperimentException("paddy.kaggle.pollTries and paddy.kaggle.pollSeconds must be 0 or more, not "
                    + pollTries + " and " + pollSeconds);
        }
        KaggleClient.Connection kaggle = new KaggleClient.Connection(kaggleUrl, mavenProxy(), System.getenv(),
                new KaggleClient.Polling(pollTries, Duration.ofMillis(Math.round(pollSeconds * 1000))));
        experiment.upload(kaggle, new KaggleCredentials(this::fromSettings, SERVER_NAME, System.getenv(),
                Path.of(System.getProperty("user.home"))), new UploadMode(dryRun, offline, batch));
    }

    /**
     * The proxy Maven uses for the Kaggle address: settings.xml's active proxy unless its
     * nonProxyHosts exempts the host, with its credentials (decrypted by Maven); empty without one.
     */
    Optional<KaggleProxy> mavenProxy() {
        if (repositorySession == null || repositorySession.getProxySelector() == null) {
            return Optional.empty();
        }
        RemoteRepository kaggle;
        try {
            kaggle = new RemoteRepository.Builder(SERVER_ID, "default", kaggleUrl.trim()).build();
        } catch (RuntimeException e) {
            return Optional.empty(); // a bad address: KaggleClient says what is wrong with it
        }
        org.eclipse.aether.repository.Proxy proxy = repositorySession.getProxySelector().getProxy(kaggle);
        if (proxy == null) {
            return Optional.empty();
        }
        String user = null;
        char[] password = null;
        try (AuthenticationContext context = AuthenticationContext.forProxy(repositorySession,
                new RemoteRepository.Builder(kaggle).setProxy(proxy).build())) {
            if (context != null) {
                user = context.get(AuthenticationContext.USERNAME);
                String secret = context.get(AuthenticationContext.PASSWORD);
                password = secret == null ? null : secret.toCharArray();
            }
        }
        String id = settings == null ? null : settings.getProxies().stream()
                .filter(p -> p.isActive() && proxy.getHost().equals(p.getHost()) && proxy.getPort() == p.getPort())
                .map(org.apache.maven.settings.Proxy::getId).findFirst().orElse(null);
        return Optional.of(new KaggleProxy(proxy.getHost(), proxy.getPort(), user, password,
                "settings.xml proxy" + (id == null ? "" : " '" + id + "'")));
    }

    /** The {@code kaggle} server of settings.xml, its password decrypted; empty when there is none. */
    Optional<KaggleCredential> fromSettings() throws SubmissionException {
        Server server = settings == null ? null : settings.getServer(SERVER_ID);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new SubmissionException(SERVER_NAME + ": its password cannot be decrypted (" + problem.getMessage()
                        + "); check ~/.m2/settings-security.xml, see 'mvn --encrypt-password'");
            }
        }
        Server plain = result.getServer();
        if (plain.getUsername() == null || plain.getUsername().isBlank() || plain.getPassword() == null
                || plain.getPassword().isBlank()) {
            throw new SubmissionException(SERVER_NAME + " needs <username> (your Kaggle user name) and <password>"
                    + " (your API key, from https://www.kaggle.com/settings); or remove it to use the environment");
        }
        return Optional.of(KaggleCredential.apiKey(plain.getUsername(), plain.getPassword(), SERVER_NAME));
    }
}
