package dev.autogaze.model.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks tests that need a CUDA device: where none is usable each test is reported skipped with the reason (the only
 * reason a test of this project may skip), e.g. "no CUDA device here: CUDA driver version is insufficient…".
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresGpu.Condition.class)
@interface RequiresGpu {

    /** Disables the test, naming why, when {@link Cuda#unavailableReason()} says no device is usable. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = Cuda.unavailableReason();
            return why == null ? ConditionEvaluationResult.enabled("a CUDA device is usable")
                    : ConditionEvaluationResult.disabled("no CUDA device here, GPU test skipped: " + why);
        }
    }
}
