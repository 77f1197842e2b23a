/** Metrics of one finished run record: decisions and log-likelihood of a classification run, final score of a memorisation run. */
import { decide, DecisionRule } from '../infer/decision';
import { logMeanExp } from '../util/math';
import type { ClassificationRun } from './runs-classification';
import type { MemorizationRun } from './runs-memorization';

/** Accuracy and confidences of a run's test set with the first KI compartments under `rule`. */
export function runDecisions(run: ClassificationRun, KI: number, rule: DecisionRule): { accuracy: number; confidence: number[]; correct: number[] } {
  const confidence: number[] = [];
  const correct: number[] = [];
  run.counts.forEach((c, i) => {
    const d = decide(c, run.KI, run.classes, rule, KI);
    confidence.push(d.confidence);
    correct.push(d.label === run.labels[i] ? 1 : 0);
  });
  return { accuracy: correct.reduce((a, b) => a + b, 0) / Math.max(1, correct.length), confidence, correct };
}

/** Mean test log-likelihood per example of a run with the first KI compartments (nats). */
export function runLoglik(run: ClassificationRun, KI: number): number {
  let s = 0;
  for (const row of run.loglik) s += logMeanExp(row, KI);
  return s / Math.max(1, run.loglik.length);
}

/** Final score of a memorisation run: mean of its last three evaluations (log-likelihood per step). */
export function memFinal(r: MemorizationRun): number {
  const tail = r.curve.slice(-3);
  return tail.reduce((a, c) => a + c.loglikPerStep, 0) / tail.length;
}
