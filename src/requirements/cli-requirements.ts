import type { Phase, Requirement } from '../model';
import { fillTemplate, type DeploymentNames } from '../discovery/deployment-names';
import { matches, type PredicateSubject } from '../inventory/predicate';
import type { CliCall } from './catalog';

/** The Amplify CLI's own calls (data/cli-calls.json) that apply to this project and these phases. */
export function cliRequirements(
  calls: readonly CliCall[],
  phases: readonly Phase[],
  subject: PredicateSubject,
  names: DeploymentNames,
): Requirement[] {
  const requirements: Requirement[] = [];
  for (const call of calls) {
    if (!matches(call.when, subject)) continue;
    const resources =
      call.resource === undefined ? [undefined] : [call.resource].flat().map((r) => fillTemplate(r, names));
    for (const phase of phases.filter((p) => call.phases.includes(p))) {
      for (const action of call.actions) {
        for (const resource of resources) {
          requirements.push({
            action,
            resource,
            phase,
            reason: {
              via: 'cli',
              resource: 'project',
              detail: `${call.because} (${call.where})`,
              source: `data/cli-calls.json#${call.id}`,
            },
          });
        }
      }
    }
  }
  return requirements;
}
