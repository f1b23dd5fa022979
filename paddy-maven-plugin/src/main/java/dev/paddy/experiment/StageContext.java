package dev.paddy.experiment;

import dev.paddy.data.PaddyData;
import dev.paddy.io.OutputLayout;
import dev.paddy.manifest.Manifest;

/**
 * What every stage of one opened experiment reads: the validated manifest, the scanned data, the
 * output folder's layout, the members' keys, the decoded items, the log and the worker count.
 */
record StageContext(Manifest manifest, PaddyData data, OutputLayout layout, Keys keys, ItemCache items,
                    ExperimentLog log, int threads) {}
