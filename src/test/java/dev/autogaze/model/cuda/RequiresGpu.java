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
 * Marks tests that need a CUDA device, or {@link #devices()} of them: where fewer are usable each test is reported
 * skipped with the reason (a missing GPU is the only reason a test of this project may skip), e.g. "no CUDA device
 * here: CUDA driver version is insufficient…" or "needs 2 CUDA devices, this machine has 1".
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresGpu.Condition.class)
public @interface RequiresGpu {

    /** How many CUDA devices the test needs. */
    int devices() default 1;

    /** Disables the test, naming why, when no device is usable ({@link Cuda#unavailableReason()}) or too few are. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = Cuda.unavailableReason();
            if (why != null) {
                return ConditionEvaluationResult.disabled("no CUDA device here, GPU test skipped: " + why);
            }
            int needed = context.getElement().map(e -> e.getAnnotation(RequiresGpu.class)).map(RequiresGpu::devices)
                    .orElse(1);
            needed = Math.max(needed, context.getTestClass().map(c -> c.getAnnotation(RequiresGpu.class))
                    .map(RequiresGpu::devices).orElse(1));
            int present = CudaDevice.all().size();
            return present >= needed ? ConditionEvaluationResult.enabled(present + " CUDA device(s) usable")
                    : ConditionEvaluationResult.disabled("needs " + needed + " CUDA devices, this machine has "
                    + present + ": GPU test skipped");
        }
    }
}
