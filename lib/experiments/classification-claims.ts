/**
 * The claims of SPEC 5.3 on the classification and memorisation runs, each a paired comparison decided
 * by its 95 % interval (claims.ts, README "How a claim is decided"). Claims about K_I average the
 * per-recording difference over the training K of a setting; claims about training K compare its
 * smallest and largest K at the largest K_I.
 */
import { DecisionRule } from '../infer/decision';
import { eceClaim, exampleDiffClaim, MARGINS, seedDiffClaim } from './claims';
import type { ClassificationRun } from './runs-classification';
import { ClassificationSetting, diff, exampleDecisions, exampleLoglik, meanOf } from './settings';
import type { SuiteParams } from './profiles';
import type { ClaimCheck } from './types';

type ByK = Map<number, ClassificationRun[]>;

function perSeed(p: SuiteParams, Ks: number[], f: (K: number, si: number) => Float64Array): Float64Array[] {
  return p.seeds.map((_, si) => meanOf(Ks.map((K) => f(K, si))));
}

/** Test log-likelihood increases with training K and with K_I (main setting; nats per example). */
export function loglikClaims(p: SuiteParams, byK: ByK, Ks: number[], T: number): ClaimCheck[] {
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const margin = MARGINS.loglikPerStep * T;
  const claims: ClaimCheck[] = [];
  const lo = Ks[0];
  const hi = Ks[Ks.length - 1];
  if (Ks.length > 1) {
    claims.push(
      exampleDiffClaim(
        { id: 'loglik-K', claim: 'Test log-likelihood increases with training K', kind: 'increase', margin, arms: `K=${hi} − K=${lo} at K_I=${KImax}`, unit: 'nats/example', digits: 2 },
        p.seeds.map((_, si) => diff(exampleLoglik(byK.get(lo)![si], KImax), exampleLoglik(byK.get(hi)![si], KImax))),
      ),
    );
  }
  if (KIs.length > 1) {
    claims.push(
      exampleDiffClaim(
        { id: 'loglik-KI', claim: 'Test log-likelihood increases with K_I', kind: 'increase', margin, arms: `K_I=${KImax} − K_I=${KIs[0]}, mean over training K`, unit: 'nats/example', digits: 2 },
        perSeed(p, Ks, (K, si) => diff(exampleLoglik(byK.get(K)![si], KIs[0]), exampleLoglik(byK.get(K)![si], KImax))),
      ),
    );
  }
  return claims;
}

/** Accuracy does not decrease with K_I (per rule); larger training K is at least as accurate. */
export function accuracyClaims(p: SuiteParams, s: ClassificationSetting, byK: ByK, rules: readonly DecisionRule[]): ClaimCheck[] {
  const KIs = p.eval.KIs;
  const KImax = Math.max(...KIs);
  const claims: ClaimCheck[] = [];
  const suffix = s.key === 'main' ? '' : `-${s.key}`;
  if (KIs.length > 1) {
    for (const rule of rules) {
      claims.push(
        exampleDiffClaim(
          { id: `accuracy-KI-${rule}${suffix}`, claim: `Test accuracy does not decrease with K_I (${rule} rule, ${s.label})`, kind: 'non-inferior', margin: MARGINS.accuracy, arms: `accuracy K_I=${KImax} − K_I=${KIs[0]}, mean over training K`, setting: s.label },
          perSeed(p, s.Ks, (K, si) => diff(exampleDecisions(byK.get(K)![si], KIs[0], rule).correct, exampleDecisions(byK.get(K)![si], KImax, rule).correct)),
        ),
      );
    }
  }
  const lo = s.Ks[0];
  const hi = s.Ks[s.Ks.length - 1];
  if (s.Ks.length > 1) {
    claims.push(
      exampleDiffClaim(
        { id: `accuracy-K${suffix}`, claim: `Training with larger K is at least as accurate (${s.label})`, kind: 'non-inferior', margin: MARGINS.accuracy, arms: `accuracy K=${hi} − K=${lo} (K_I=${KImax}, majority)`, setting: s.label },
        p.seeds.map((_, si) => diff(exampleDecisions(byK.get(lo)![si], KImax, 'majority').correct, exampleDecisions(byK.get(hi)![si], KImax, 'majority').correct)),
      ),
    );
  }
  return claims;
}

/** ECE decreases with K_I, per rule (mean over training K). */
export function calibrationClaims(p: SuiteParams, s: ClassificationSetting, byK: ByK, rules: readonly DecisionRule[]): ClaimCheck[] {
  const KIs = p.eval.KIs;
  if (KIs.length < 2) return [];
  const KImax = Math.max(...KIs);
  const suffix = s.key === 'main' ? '' : `-${s.key}`;
  return rules.map((rule) =>
    eceClaim(
      { id: `ece-KI-${rule}${suffix}`, claim: `ECE decreases with K_I (${rule} rule, ${s.label})`, kind: 'increase', margin: MARGINS.ece, arms: `ECE K_I=${KIs[0]} − K_I=${KImax}, mean over training K`, setting: s.label },
      p.seeds.map((_, si) => s.Ks.map((K) => ({ a: exampleDecisions(byK.get(K)![si], KIs[0], rule), b: exampleDecisions(byK.get(K)![si], KImax, rule) }))),
      p.eval.bins,
    ),
  );
}

/** In memorisation, larger K reaches a higher log-likelihood: t interval over seeds (nats per step). */
export function memorizationClaim(Ks: number[], finals: number[][], extra: string): ClaimCheck {
  const lo = finals[0];
  const hi = finals[finals.length - 1];
  return seedDiffClaim(
    { id: 'memorization-K', claim: 'In memorisation, larger K reaches a higher log-likelihood', kind: 'increase', margin: MARGINS.loglikPerStep, arms: `final log-likelihood K=${Ks[Ks.length - 1]} − K=${Ks[0]}`, unit: 'nats/step' },
    lo.map((v, i) => hi[i] - v),
    extra,
  );
}
