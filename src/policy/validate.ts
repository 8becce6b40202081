import type { PolicyDocument } from '../model';
import { covers, formatPattern, literalService, sampleArn, sameServiceField } from './arn-patterns';
import type { IamReference } from './iam-reference';
import { documentSize } from './render';
import { MANAGED_POLICY_MAX_CHARACTERS } from './split';
import type { FindingKind } from '../results';

/** A problem of the documents themselves (see src/results.ts FINDING_KINDS: each is a bug). */
export interface Finding {
  readonly kind: Exclude<FindingKind, 'escalation'>;
  readonly message: string;
}

/**
 * Checks documents against IAM's rules and the Service Authorization Reference: every action
 * exists, every ARN pattern fits a resource type of its action (actions without resource
 * types need `*`, each resource fits an action of its statement), every document fits the managed-policy size, Sids are unique. Returns
 * findings; an empty list means valid.
 */
export function validateDocuments(documents: readonly PolicyDocument[], iam: IamReference): Finding[] {
  const findings: Finding[] = [];
  // Statements share formats and resources: each (format, resource) is tested once.
  const fitted = new Map<string, boolean>();
  const fitsFormat = (format: string, resource: string): boolean => {
    const key = `${format}\n${resource}`;
    let fits = fitted.get(key);
    if (fits === undefined) {
      fits = formatPattern(format).test(resource) || covers(resource, sampleArn(format, resource));
      fitted.set(key, fits);
    }
    return fits;
  };
  documents.forEach((document, index) => {
    const label = `policy ${index + 1}`;
    if (document.Statement.length === 0)
      findings.push({ kind: 'empty', message: `${label} has no statement` });
    const size = documentSize(document);
    if (size > MANAGED_POLICY_MAX_CHARACTERS) {
      findings.push({
        kind: 'too-large',
        message: `${label} has ${size} characters (limit ${MANAGED_POLICY_MAX_CHARACTERS})`,
      });
    }
    const sids = document.Statement.map((s) => s.Sid).filter((sid): sid is string => sid !== undefined);
    for (const sid of new Set(sids.filter((sid, i) => sids.indexOf(sid) !== i))) {
      findings.push({ kind: 'duplicate-sid', message: `${label} repeats Sid ${sid}` });
    }
    for (const statement of document.Statement) {
      const anyResource = statement.Resource.includes('*');
      const formatsOf = (action: string): readonly string[] =>
        iam.action(action)?.resourceTypes.flatMap((type) => type.formats) ?? [];
      for (const action of statement.Action) {
        if (!iam.action(action)) {
          findings.push({ kind: 'unknown-action', message: `${action} is not an IAM action` });
        } else if (formatsOf(action).length === 0 && !anyResource) {
          findings.push({
            kind: 'resource-mismatch',
            message: `${action} supports no resource type but is granted on ${statement.Resource.join(', ')}`,
          });
        }
      }
      // Each resource must be an ARN that some action of its statement authorizes on.
      const formats = anyResource ? [] : [...new Set(statement.Action.flatMap(formatsOf))];
      for (const resource of anyResource ? [] : statement.Resource) {
        const service = literalService(resource);
        const fits = formats.some(
          (format) => sameServiceField(service, format) && fitsFormat(format, resource),
        );
        if (!fits) {
          findings.push({
            kind: 'resource-mismatch',
            message: `${resource} is not an ARN any of ${statement.Action.join(', ')} authorizes on`,
          });
        }
      }
    }
  });
  return findings;
}
