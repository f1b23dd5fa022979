package dev.paddy.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stages' order and prerequisites, declared once in {@link StageId}. */
class StageIdTest {

    @Test
    void theStagesAreInRecipeOrderWithTheirGoalsNames() {
        assertEquals(List.of("probe-memory", "lr-find", "train", "tta", "ensemble", "submit", "export", "report",
                        "upload", "predict"),
                Arrays.stream(StageId.values()).map(StageId::id).toList());
    }

    @Test
    void everyPrerequisiteComesBeforeTheStageThatNeedsIt() {
        for (StageId stage : StageId.values()) {
            for (StageId needed : stage.requires()) {
                assertTrue(needed.ordinal() < stage.ordinal(), stage + " needs " + needed);
            }
        }
        assertTrue(StageId.ENSEMBLE.needs(StageId.LR_FIND), "through tta and train");
        assertFalse(StageId.LR_FIND.needs(StageId.TRAIN));
        assertFalse(StageId.REPORT.needs(StageId.TRAIN), "the report reads what is there, it needs nothing");
    }

    @Test
    void aMissingResultNamesTheMemberWhatIsMissingAndTheGoalThatMakesIt() {
        assertEquals("member 'res' has no lr finder curve (lr: find) for its current configuration, which paddy:tta"
                + " needs; run 'mvn paddy:lr-find' (or 'mvn package') first",
                StageId.TTA.missing(StageId.LR_FIND, "res", "lr finder curve (lr: find)").getMessage());
    }

    @Test
    void readingTheResultOfAStageNotDeclaredIsABugSaidLoudly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StageId.LR_FIND.missing(StageId.TRAIN, "res", "trained weights"));
        assertEquals("stage lr-find reads train's result but does not declare it", e.getMessage());
    }
}
