package dev.paddy.maven;

import dev.paddy.experiment.SharedPredictions;
import dev.paddy.experiment.SharedPredictions.NotAskedException;
import dev.paddy.io.AtomicFiles;
import dev.paddy.io.OutputLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.resolution.ResolutionErrorPolicyRequest;

/**
 * A member's TTA predictions as an artifact of the experiment's project:
 * {@code groupId:artifactId:probs:<member>-<tta key, 16 hex>:version}. {@code paddy:tta} attaches
 * them, so {@code mvn deploy} pushes them to the team's repository manager; before a member is
 * trained or predicted, they are resolved through Maven's own resolver: the local repository,
 * then the project's repositories.
 *
 * <p>Maven Central (the repository with id {@code central}) is never asked. A miss is not
 * remembered (a runner may deploy the member a minute later) and snapshot metadata is always checked: the classifier carries the key, so a found file is never stale.
 *
 * <p>A repository that does not hold the member is a quiet miss: the member is computed here. One
 * that could not be asked (Maven offline, credentials refused, unreachable, a checksum failing:
 * {@link RepositoryTrouble}) is said, once per repository and build, as a warning; with
 * {@code required} it fails the build instead, before anything is trained.
 */
final class RepositoryPredictions implements SharedPredictions {
    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;
    private final MavenProject project;
    private final boolean required;
    private final Consumer<String> warn;

    /** The key of the project's context value that holds the ids of the repositories already warned about. */
    private static final String WARNED = "paddy.sharedPredictionsWarned";

    /**
     * @param required true to fail (with {@link NotAskedException}) when a repository could not be
     *                 asked, rather than warn and compute the member here
     * @param warn     where a repository that could not be asked is said
     */
    RepositoryPredictions(RepositorySystem system, RepositorySystemSession session, MavenProject project, boolean required,
                          Consumer<String> warn) {
        this.required = required;
        this.warn = warn;
        this.system = system;
        DefaultRepositorySystemSession fresh = new DefaultRepositorySystemSession(session);
        fresh.setUpdatePolicy(RepositoryPolicy.UPDATE_POLICY_ALWAYS);
        fresh.setResolutionErrorPolicy(new ResolutionErrorPolicy() {
            @Override
            public int getArtifactPolicy(RepositorySystemSession s, ResolutionErrorPolicyRequest<Artifact> request) {
                return ResolutionErrorPolicy.CACHE_DISABLED;
            }

            @Override
            public int getMetadataPolicy(RepositorySystemSession s,
                                         ResolutionErrorPolicyRequest<org.eclipse.aether.metadata.Metadata> request) {
                return ResolutionErrorPolicy.CACHE_DISABLED;
            }
        });
        this.session = fresh;
        // Maven Central never holds an experiment's predictions: no lookup there for every member.
        this.repositories = project.getRemoteProjectRepositories().stream()
                .filter(repository -> !"central".equals(repository.getId())).toList();
        this.project = project;
    }

    /** Why each repository that could not be asked was not; empty when every one said it does not hold the artifact. */
    private List<RepositoryTrouble> troubles(ArtifactResolutionException e) {
        Map<String, RepositoryTrouble> byRepository = new LinkedHashMap<>();
        for (ArtifactResult result : e.getResults()) {
            for (Exception exception : result.getExceptions()) {
                RepositoryTrouble.of(exception, session.isOffline())
                        .ifPresent(trouble -> byRepository.putIfAbsent(trouble.repository().getId(), trouble));
            }
        }
        return List.copyOf(byRepository.values());
    }

    /** The ids of the repositories said to be unavailable in this build of the project (every goal shares them). */
    @SuppressWarnings("unchecked")
    private Set<String> warned() {
        Object said = project.getContextValue(WARNED);
        if (said == null) {
            said = ConcurrentHashMap.newKeySet();
            project.setContextValue(WARNED, said);
        }
        return (Set<String>) said;
    }

    static String classifier(String member, String key) {
        return member + "-" + OutputLayout.keyInName(key);
    }

    /** The member's predictions for {@code key} as an artifact of {@code project}. */
    static Artifact artifact(MavenProject project, String member, String key, Kind kind) {
        return new DefaultArtifact(project.getGroupId(), project.getArtifactId(), classifier(member, key), kind.extension(),
                project.getVersion());
    }

    @Override
    public Optional<String> fetch(String member, String key, Kind kind, Path target) throws IOException {
        Artifact wanted = artifact(project, member, key, kind);
        ArtifactResult result;
        try {
            result = system.resolveArtifact(session, new ArtifactRequest(wanted, repositories, "paddy"));
        } catch (ArtifactResolutionException e) {
            List<RepositoryTrouble> troubles = troubles(e);
            if (troubles.isEmpty()) {
                return Optional.empty(); // nobody has published this member for this configuration
            }
            if (required) {
                throw new NotAskedException("shared predictions: " + troubles.stream()
                        .map(trouble -> trouble.describe() + "; " + trouble.fix()).collect(Collectors.joining("; "))
                        + ". paddy.shared.required is set, so the build stops before " + member + " is trained here;"
                        + " run without -Dpaddy.shared.required to train it here instead");
            }
            for (RepositoryTrouble trouble : troubles) {
                if (warned().add(trouble.repository().getId())) {
                    warn.accept("shared predictions: " + trouble.describe() + ": members it may hold are computed here"
                            + " instead (first: " + member + "); " + trouble.fix()
                            + ", or -Dpaddy.shared.required to fail instead");
                }
            }
            return Optional.empty();
        }
        Path file = result.getArtifact().getFile().toPath();
        AtomicFiles.write(target, out -> Files.copy(file, out));
        String where = result.getRepository() == null ? "the local repository" : result.getRepository().getId()
                + (result.getRepository() instanceof RemoteRepository remote ? " (" + remote.getUrl() + ")" : "");
        return Optional.of(wanted + " in " + where);
    }
}
