package dev.paddy.train;

/** How the learning rate and momentum move over a member's training. */
public enum Schedule {
    /** fastai's fit_one_cycle: warm up to lr over 25% of the steps, cosine down, momentum cycled. */
    ONE_CYCLE,
    /** fastai's fine_tune: one-cycle with the body frozen for freeze_epochs, then all layers. */
    FINE_TUNE
}
