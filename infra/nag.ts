/**
 * cdk-nag suppressions, in one place and always with a reason.
 *
 * Every suppression goes through `suppress`, which refuses a reason shorter than
 * `MIN_SUPPRESSION_REASON_LENGTH`: a suppression is a decision someone has to be able to review, so it has to
 * say why the finding does not apply here, not merely that it was silenced. The infra tests check the same
 * rule on the synthesized metadata, so a suppression added around this helper is caught too.
 */
import { type NagPackSuppressionAppliesTo, NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Shortest acceptable reason, in characters. */
export const MIN_SUPPRESSION_REASON_LENGTH = 20;

/** One suppressed rule. */
export interface Suppression {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  id: `AwsSolutions-${string}`;
  /** Why the finding does not apply; at least `MIN_SUPPRESSION_REASON_LENGTH` characters. */
  reason: string;
  /**
   * For granular rules (IAM4, IAM5): the exact findings suppressed, e.g. `Resource::*`, or a `{ regex }`
   * where the finding names a token cdk-nag renders differently by context (a cross-stack ARN).
   */
  appliesTo?: NagPackSuppressionAppliesTo[];
}

/**
 * Suppresses cdk-nag findings on a construct and, when `applyToChildren`, on everything under it.
 * @throws Error when a reason is too short to explain anything.
 */
export function suppress(construct: IConstruct, suppressions: Suppression[], applyToChildren = false): void {
  for (const { id, reason } of suppressions) {
    if (reason.trim().length < MIN_SUPPRESSION_REASON_LENGTH) {
      throw new Error(`cdk-nag suppression ${id} on ${construct.node.path} needs a reason that says why`);
    }
  }
  NagSuppressions.addResourceSuppressions(construct, suppressions, applyToChildren);
}
