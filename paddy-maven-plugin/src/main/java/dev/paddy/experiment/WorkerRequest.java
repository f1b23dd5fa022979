package dev.paddy.experiment;

import java.util.List;

/**
 * What a worker JVM reads from its request file: the experiment to open (manifest, output
 * folder, machine cache or null, the probes' JVM options, so that it resolves members as the
 * build did) and the job to do in it.
 */
record WorkerRequest(String manifest, String outputDir, String cacheRoot, List<String> probeJvmArgs, WorkerJob job) {}
