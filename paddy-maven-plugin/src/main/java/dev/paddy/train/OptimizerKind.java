package dev.paddy.train;

/** The optimizers a member may use; both follow fastai's defaults. */
public enum OptimizerKind {
    /** Adam with decoupled weight decay, fastai's defaults (betas 0.9/0.99, eps 1e-5). */
    ADAMW,
    /** SGD with momentum 0.9, cycled like fastai. */
    SGD
}
