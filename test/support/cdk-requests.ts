import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CdkTarget } from '../../src/cdk-engine';
import { loadCatalog } from '../../src/catalog/catalog';
import type { HandlerOperation } from '../../src/catalog/schemas';
import { HANDLER_OPERATIONS } from '../../src/requirements/phases';
import { grantRequests, TEST_ACCOUNT } from './concrete-arns';
import { REPO_ROOT } from './paths';
import type { SimulatedRequest } from './simulate';

/** The committed assemblies of real CDK apps and Amplify Gen 2 backends (test/fixtures/cdk/<name>). */
export const CDK_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cdk');

export interface CdkFixture {
  readonly name: string;
  /** The fixture's folder (holds PROVENANCE.json; its `files` are relative to it). */
  readonly root: string;
  /** The assembly folder (holds manifest.json). */
  readonly assemblyDir: string;
  readonly provenance: Record<string, unknown>;
}

export function cdkFixtures(): CdkFixture[] {
  if (!fs.existsSync(CDK_FIXTURES)) return [];
  return fs
    .readdirSync(CDK_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(CDK_FIXTURES, entry.name);
      const provenance = JSON.parse(fs.readFileSync(path.join(dir, 'PROVENANCE.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const manifest = (provenance.files as string[]).find((file) => file.endsWith('manifest.json'))!;
      return { name: entry.name, root: dir, assemblyDir: path.join(dir, path.dirname(manifest)), provenance };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export { TEST_ACCOUNT };

/**
 * Every requirement of a target on a concrete ARN, with the request context its principal
 * sends: the execution role's calls carry no aws:CalledVia (CloudFormation calls as the role);
 * a direct deployer's handler calls come through CloudFormation.
 */
export function targetRequests(target: CdkTarget): SimulatedRequest[] {
  return grantRequests(target.result, (grant) => {
    const reason = grant.origins[0]?.[0]?.reason;
    return reason ? `${reason.resource}: ${reason.detail}` : 'no origin';
  });
}

/**
 * Each handler action of every resource type in the target's stacks, on the ARN the resource
 * really gets: its template name, or the name CloudFormation gives it
 * (`<stack name cut to 25>-<logical id>-<random>`), or a sample id for ids assigned at
 * creation; only the actions IAM authorizes on that resource's own type, and only those the
 * engine did not trim (trimming is tested on its own). The context has no aws:CalledVia.
 */
export function realArnRequests(target: CdkTarget, phases: readonly string[]): SimulatedRequest[] {
  const catalog = loadCatalog();
  const { iam } = target.result;
  const region = target.result.context.region ?? 'us-east-1';
  const account = target.result.context.accountId ?? TEST_ACCOUNT;
  const trimmed = new Set(target.result.trimmed.map((t) => `${t.resourceType} ${t.action.toLowerCase()}`));
  const requests: SimulatedRequest[] = [];
  const seen = new Set<string>();
  for (const resource of target.result.inventory.resources)
    for (const cfn of resource.cfnResources) {
      const rule = catalog.resourceNames.types[cfn.type];
      const handlers = catalog.resourceTypes.get(cfn.type)?.handlers;
      if (!rule || !handlers || cfn.names.length === 0) continue;
      const name = realName(cfn.names[0], cfn.logicalId, rule.lowercase === true);
      const operations = new Set<HandlerOperation>(
        phases.flatMap((phase) => HANDLER_OPERATIONS[phase as keyof typeof HANDLER_OPERATIONS]),
      );
      // Deletes of resources holding data come only with the delete phase.
      const stateful = catalog.statefulTypes.types[cfn.type]?.stateful ?? true;
      if (!phases.includes('delete') && (stateful || cfn.retainedOnDelete)) operations.delete('delete');
      for (const operation of operations)
        for (const listed of handlers[operation] ?? []) {
          const info = iam.action(listed);
          if (!info || trimmed.has(`${cfn.type} ${listed.toLowerCase()}`)) continue;
          const own = info.resourceTypes.find(
            (type) => `${listed.split(':')[0]}:${type.key}`.toLowerCase() === rule.arnType.toLowerCase(),
          );
          if (!own) continue;
          for (const format of own.formats.slice(0, 1)) {
            const arn = arnOf(format, name, region, account, target.result.context.region);
            const key = `${info.name} ${arn}`;
            if (seen.has(key)) continue;
            seen.add(key);
            requests.push({
              action: info.name,
              resource: arn,
              why: `${resource.name}: ${cfn.logicalId} (${cfn.type}) ${operation} handler on its real name ${name}`,
            });
          }
        }
    }
  return requests;
}

/** A name the pattern stands for, as CloudFormation or the service would give it. */
function realName(pattern: string, logicalId: string, lowercase: boolean): string {
  const filled =
    pattern === '*' ? 'a1b2c3d4e5' : pattern.replace(/\*/g, `-${logicalId.slice(0, 20)}-1A2B3C4D5E6F`);
  return lowercase ? filled.toLowerCase() : filled;
}

/** An ARN of the format with the name in its first variable and samples in the others. */
function arnOf(
  format: string,
  name: string,
  region: string,
  account: string,
  known: string | undefined,
): string {
  let first = true;
  return format
    .replace(/\$\{Partition\}/g, known?.startsWith('cn-') ? 'aws-cn' : 'aws')
    .replace(/\$\{Region\}/g, region)
    .replace(/\$\{Account\}/g, account)
    .replace(/\$\{([^}]+)\}/g, (_, variable: string) => {
      if (!first) return 'sample1';
      first = false;
      return variable.endsWith('WithoutLeadingSlash') ? name.replace(/^\//, '') : name;
    });
}
