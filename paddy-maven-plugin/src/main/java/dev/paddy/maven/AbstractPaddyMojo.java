package dev.paddy.maven;

import dev.paddy.io.Printable;
import dev.paddy.data.DataException;
import dev.paddy.experiment.Experiment;
import dev.paddy.experiment.ExperimentException;
import dev.paddy.experiment.ExperimentLock;
import dev.paddy.experiment.ExperimentLog;
import dev.paddy.experiment.SharedPredictions;
import dev.paddy.io.DiskFullException;
import dev.paddy.io.MachineCache;
import dev.paddy.manifest.ManifestException;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;

/**
 * What every paddy goal shares: the manifest and output folder, the skip switch, the member
 * filter, and the translation of the experiment's exceptions into Maven's. A goal only says
 * which stage of the {@link Experiment} it runs.
 */
public abstract class AbstractPaddyMojo extends AbstractMojo {

    /** The experiment manifest: its data, members, TTA, ensemble and submission (every key: docs/manifest.md). */
    @Parameter(property = "paddy.manifest", defaultValue = "${project.basedir}/paddy.yaml", required = true)
    protected File manifest;

    /**
     * The output folder: trained weights, checkpoints, predictions, the item cache, the memory plan,
     * the ensemble, the submission and the report. One build at a time holds its lock.
     */
    @Parameter(property = "paddy.outputDirectory", defaultValue = "${project.build.directory}/paddy", required = true)
    protected File outputDirectory;

    /**
     * The members to work on, by name, comma-separated (e.g. {@code resnet18,convnext}); empty means
     * every member. With a selection, {@code ensemble}, {@code submit} and {@code upload} skip: they
     * need every member (a CI matrix runner builds one member each).
     */
    @Parameter(property = "paddy.members", defaultValue = "")
    protected String members;

    /**
     * The machine cache, where trained weights, predictions, lr finder curves, memory plans and
     * decoded items are kept by key beyond {@code target/} (so {@code mvn clean} loses nothing, and
     * every experiment and branch on the machine shares them): empty for the user's cache folder
     * ({@code ~/.cache/paddy}, {@code $XDG_CACHE_HOME/paddy}, {@code ~/Library/Caches/paddy} on macOS,
     * {@code %LOCALAPPDATA%\paddy\cache} on Windows), {@code off} for none, or a folder.
     */
    @Parameter(property = "paddy.cache", defaultValue = "")
    protected String cache;

    /**
     * Extra options for the memory probes' child JVMs, space-separated (e.g. {@code -Xmx2g}). The
     * children take this JVM's heap options ({@code -Xms}, {@code -Xmx}, pre-touch) unless these set
     * an {@code -Xmx} of their own.
     */
    @Parameter(property = "paddy.probe.jvmArgs", defaultValue = "")
    protected String probeJvmArgs;

    /**
     * Extra options for the members' worker JVMs (the lr finder, training and TTA of each member run
     * in one of their own), space-separated (e.g. {@code -Xmx6g}). The workers take this JVM's heap
     * options unless these set an {@code -Xmx} of their own.
     */
    @Parameter(property = "paddy.worker.jvmArgs", defaultValue = "")
    protected String workerJvmArgs;

    /**
     * {@code false} runs the members' lr finder, training and TTA in Maven's own JVM instead of a
     * worker JVM each: for a debugger, or to measure what the workers cost. Without workers there is
     * no isolation (a crash in native code ends the build), {@code numerics: portable} cannot pin
     * libtorch (a warning says so) and {@code parallel:} is ignored.
     */
    @Parameter(property = "paddy.workers", defaultValue = "true")
    protected boolean workers;

    /** The experiment's project: its coordinates name the shared predictions. */
    @Parameter(defaultValue = "${project}", readonly = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true)
    protected RepositorySystemSession repositorySession;

    @Component
    protected RepositorySystem repositorySystem;

    /** The build: the output folder's lock is held from its first paddy goal to its end. */
    @Parameter(defaultValue = "${session}", readonly = true)
    protected MavenSession session;

    /**
     * Fails the build, before anything is trained, when a repository of the project could not be
     * asked for a member's shared predictions (Maven offline, credentials refused, the host
     * unreachable, a checksum failing) rather than warn and train the member here. A repository that
     * simply does not hold the member is never a failure.
     */
    @Parameter(property = "paddy.shared.required", defaultValue = "false")
    protected boolean sharedRequired;

    /** Skips the goal, saying so in the log; {@code -Dpaddy.skip} skips every paddy goal of the build. */
    @Parameter(property = "paddy.skip", defaultValue = "false")
    protected boolean skip;

    private static final String CACHE_SAID = "paddy.machineCacheSaid";

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping paddy:" + goal() + ": paddy.skip is true");
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // DJL finds its engine through the context class loader: make it the plugin's own.
        thread.setContextClassLoader(getClass().getClassLoader());
        long start = System.nanoTime();
        try {
            // Held until the build ends, not the goal: no other build writes between this one's goals.
            ExperimentLock.holdForBuild(session != null ? session : this, outputDirectory.toPath(), log());
            SharedPredictions shared = project != null && repositorySystem != null && repositorySession != null
                    ? new RepositoryPredictions(repositorySystem, repositorySession, project, sharedRequired,
                    message -> getLog().warn(Printable.lines(message))) : SharedPredictions.NONE;
            run(Experiment.open(manifest.toPath(), outputDirectory.toPath(), log(),
                    new Experiment.Options(probeJvmArgs(), shared, machineCache(),
                            workers ? Experiment.Workers.of(words(workerJvmArgs)) : Experiment.Workers.NONE)));
            getLog().info(String.format(Locale.ROOT, "paddy:%s took %.2f s", goal(),
                    (System.nanoTime() - start) / 1e9));
        } catch (ManifestException e) {
            throw new MojoFailureException(e.getMessage() + "\nFix the manifest and run the build again.", e);
        } catch (DataException e) {
            throw new MojoFailureException("paddy:" + goal() + ": problems with the data:\n  " + e.getMessage(), e);
        } catch (ExperimentException e) {
            throw new MojoFailureException("paddy:" + goal() + ": " + e.getMessage(), e);
        } catch (SharedPredictions.NotAskedException e) {
            // Asked for with paddy.shared.required: the message names the repository, why, and what to do.
            throw new MojoFailureException("paddy:" + goal() + ": " + e.getMessage(), e);
        } catch (DiskFullException e) {
            // The user's to fix, and nothing is lost: the message says which file, what it needs and what is free.
            throw new MojoFailureException("paddy:" + goal() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("paddy:" + goal() + ": I/O error: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Not the user's doing (a bug, the engine failing): the cause is kept for 'mvn -e'.
            throw new MojoExecutionException("paddy:" + goal() + " failed unexpectedly: " + e
                    + "\nRun with -e for the stack trace and report it with the manifest.", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The goal's name, for messages. */
    protected abstract String goal();

    /** Runs this goal's stage on an opened experiment. */
    protected abstract void run(Experiment experiment) throws ExperimentException, IOException;

    protected Set<String> selectedMembers() {
        Set<String> names = new LinkedHashSet<>();
        if (members != null) {
            Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        }
        return names;
    }

    /**
     * For goals that combine every member: true (and logged) when {@code paddy.members} selects
     * some only, as a runner of a CI matrix does.
     */
    protected boolean skippedForMemberSelection() {
        if (selectedMembers().isEmpty()) {
            return false;
        }
        getLog().info("paddy:" + goal() + ": skipped, paddy.members selects " + String.join(", ", selectedMembers())
                + " only; run it without paddy.members to combine every member");
        return true;
    }

    /** The machine cache {@code paddy.cache} names, said once per build of the project. */
    private MachineCache machineCache() {
        MachineCache machine = CacheLocation.of(cache, project != null ? project.getBasedir() : new File("."), getLog()::warn);
        if (machine.isOn() && (project == null || project.getContextValue(CACHE_SAID) == null)) {
            getLog().info("paddy: machine cache " + machine + " (weights, predictions, lr finder curves, memory plans and"
                    + " decoded items by key: they survive 'mvn clean'; 'paddy:cache' shows and prunes it)");
            if (project != null) {
                project.setContextValue(CACHE_SAID, Boolean.TRUE);
            }
        }
        return machine;
    }

    protected List<String> probeJvmArgs() {
        return words(probeJvmArgs);
    }

    private static List<String> words(String options) {
        return options == null || options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    protected ExperimentLog log() {
        return new ExperimentLog() {
            @Override
            public void info(String message) {
                getLog().info(Printable.lines(message)); // no ESC or CR from a file name reaches the terminal
            }

            @Override
            public void warn(String message) {
                getLog().warn(Printable.lines(message));
            }
        };
    }
}
