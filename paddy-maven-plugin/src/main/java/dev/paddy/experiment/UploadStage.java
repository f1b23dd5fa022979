package dev.paddy.experiment;

import dev.paddy.manifest.SubmissionSpec;
import dev.paddy.submit.KaggleClient;
import dev.paddy.submit.KaggleCredential;
import dev.paddy.submit.KaggleCredentials;
import dev.paddy.submit.SubmissionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends the submission CSV to the manifest's competition: the file {@code paddy:submit} wrote,
 * with the manifest's message or one that says which experiment it is (the manifest's hash) and
 * how its members did (their validation error rates from {@code training.json}).
 */
final class UploadStage {
    private final StageContext context;
    private final TrainedModels models;
    private final MemberResolver resolver;

    UploadStage(StageContext context, TrainedModels models, MemberResolver resolver) {
        this.context = context;
        this.models = models;
        this.resolver = resolver;
    }

    /** Kaggle's receipt; empty when skipped (no competition) or on a dry run. */
    Optional<KaggleClient.Receipt> run(KaggleClient.Connection kaggle, KaggleCredentials credentials, UploadMode mode)
            throws ExperimentException, IOException {
        ExperimentLog log = context.log();
        SubmissionSpec spec = context.manifest().submission();
        if (spec.competition().isEmpty()) {
            log.info("paddy:upload: skipped, " + context.manifest().file() + " names no competition; to submit the CSV"
                    + " with 'mvn deploy', add 'competition: <slug>' (e.g. paddy-disease-classification) under 'submission:'");
            return Optional.empty();
        }
        Path file = context.layout().submission(spec.file());
        if (!Files.isRegularFile(file)) {
            throw new ExperimentException("no submission to upload: " + file + " does not exist; run 'mvn package'"
                    + " (paddy:submit writes it) before paddy:upload");
        }
        if (mode.offline() && !mode.dryRun()) {
            throw new ExperimentException("paddy:upload: Maven runs offline (-o), so nothing is sent to Kaggle; run the"
                    + " build without -o to submit " + file.getFileName() + ", or add -Dpaddy.dryRun to see what would be sent");
        }
        KaggleClient.Submission submission = new KaggleClient.Submission(spec.competition().get(), file,
                spec.message().isPresent() ? spec.message().get() : defaultMessage());
        try {
            KaggleClient client = KaggleClient.at(kaggle, step -> log.info("paddy:upload: " + step));
            Optional<KaggleCredential> credential = credentials.find(log::warn);
            if (credential.isEmpty()) {
                String none = "paddy:upload: no Kaggle credentials found (looked in " + credentials.searched() + ")";
                if (mode.batch() && !mode.dryRun()) {
                    throw new ExperimentException(none + "; in batch mode (-B, as on CI) that fails the build instead of"
                            + " passing as a dry run. Put them where the README's 'Submitting to the competition' says,"
                            + " or add -Dpaddy.dryRun to send nothing on purpose");
                }
                log.warn(none + ": a dry run instead; see the README's 'Submitting to the competition' for where to"
                        + " put them");
            }
            if (mode.dryRun() || credential.isEmpty()) {
                String from = credential.map(KaggleCredential::describe).orElse("none found");
                client.dryRun(submission, from).forEach(line -> log.info("paddy:upload: " + line));
                return Optional.empty();
            }
            log.info("paddy:upload: submitting " + file.getFileName() + " to '" + submission.competition() + "' as "
                    + credential.get().describe() + ": " + submission.message());
            KaggleClient.Receipt receipt = client.submit(submission, credential.get());
            // Kaggle's message is all the API says; it has said "Successfully submitted" past the daily
            // limit (kaggle-cli #148), so it is reported as said, with the page that shows the truth.
            String said = "paddy:upload: Kaggle says \"" + receipt.message() + "\""
                    + (receipt.ref() == 0 ? "" : " (submission " + receipt.ref() + ")")
                    + "; its score and status: " + KaggleClient.submissionsPage(submission);
            if (receipt.message().startsWith("Successfully")) {
                log.info(said);
            } else {
                log.warn(said);
            }
            if (receipt.ref() != 0 && kaggle.polling().tries() > 0) {
                reportScore(client, submission, receipt.ref(), credential.get(), kaggle.polling());
            }
            return Optional.of(receipt);
        } catch (SubmissionException e) {
            throw new ExperimentException(e.getMessage(), e);
        }
    }

    /**
     * Waits (bounded) for Kaggle to score the submission and says its status and public score, or
     * that it is still pending and where to look. The submission exists whatever this finds: a
     * failure to look is a warning, not a failed build.
     */
    private void reportScore(KaggleClient client, KaggleClient.Submission submission, long ref, KaggleCredential credential,
                             KaggleClient.Polling polling) {
        ExperimentLog log = context.log();
        String page = KaggleClient.submissionsPage(submission);
        String waited = String.format(Locale.ROOT, "%d look(s) %.1f s apart", polling.tries(),
                polling.interval().toMillis() / 1000.0);
        try {
            Optional<KaggleClient.Status> status = client.awaitStatus(submission, ref, credential, polling);
            if (status.isEmpty()) {
                log.warn("paddy:upload: submission " + ref + " is not among the competition's latest submissions after "
                        + waited + "; look at " + page);
            } else if (status.get().complete()) {
                log.info("paddy:upload: submission " + ref + " is complete: public score " + (status.get().publicScore()
                        .isEmpty() ? "not shown (the competition hides it)" : status.get().publicScore()));
            } else if (status.get().pending()) {
                log.info("paddy:upload: submission " + ref + " is still pending after " + waited + "; its score will be at "
                        + page + " (or: kaggle competitions submissions -c " + submission.competition()
                        + "; -Dpaddy.kaggle.pollTries waits longer)");
            } else {
                log.warn("paddy:upload: Kaggle could not score submission " + ref + " (status " + status.get().status()
                        + (status.get().errorDescription().isEmpty() ? "" : ": " + status.get().errorDescription())
                        + "); see " + page);
            }
        } catch (SubmissionException | IOException e) {
            log.warn("paddy:upload: submission " + ref + " was made, but its status could not be read (" + e.getMessage()
                    + "); look at " + page);
        }
    }

    /**
     * "paddy 3f2a9c1b77de: a 0.2050, b 0.1850 (valid error)": the manifest's hash and the ensemble's
     * members, each with the valid error of its current configuration's training ("?" without one).
     */
    String defaultMessage() throws ExperimentException, IOException {
        String members = resolver.resolve(context.manifest().ensembleMembers(), StageId.UPLOAD).stream()
                .map(member -> member.name() + " " + models.currentRecord(member)
                        .map(r -> String.format(Locale.ROOT, "%.4f", r.errorRate())).orElse("?"))
                .collect(Collectors.joining(", "));
        return "paddy " + context.keys().manifestShown() + ": " + members + " (valid error)";
    }
}
