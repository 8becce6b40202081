import { generatePolicies } from '../src/engine';
import {
  booleanOption,
  CDK_OPTIONS,
  cdkOptions,
  checkOptions,
  generateOptions,
  type Command,
} from '../src/invocation';
import { usageError } from '../src/errors';
import { explainExclusions, explainStatements, formatExplanation } from '../src/outputs/explain';

export const explain: Command = {
  name: 'explain',
  summary: 'say why each statement, action or resource is in the policy',
  usage:
    'explain [TERM] [--phases LIST] [--env NAME] [--json]  (or with --cdk-out DIR | --template FILE, as for generate)',
  options: {
    phases: 'LIST  as for generate',
    env: 'NAME  as for generate',
    'permissions-boundary': 'ARN  as for generate',
    json: 'print the explanation as JSON',
    ...CDK_OPTIONS,
  },
  async run(invocation, { io, cwd }) {
    checkOptions(invocation, explain);
    if (invocation.args.length > 1)
      throw usageError('explain takes at most one TERM.', 'Quote a term with spaces.');
    const cdk = cdkOptions(invocation, cwd);
    // A CDK app: the execution role's and the deployer's documents, explained alike.
    const results = cdk
      ? (await loadCdkEngine().generateForAssembly(cdk)).targets.map((target) => target.result)
      : [await generatePolicies(generateOptions(invocation, cwd))];
    const statements = results.flatMap((result) => explainStatements(result, invocation.args[0]));
    const excluded = results.flatMap((result) => explainExclusions(result, invocation.args[0]));
    io.out(
      booleanOption(invocation, 'json')
        ? `${JSON.stringify({ statements, excluded })}\n`
        : formatExplanation(statements, excluded),
    );
    return 0;
  },
};

/** The CDK engine loads only for --cdk-out and --template. */
function loadCdkEngine(): typeof import('../src/cdk-engine') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return require('../src/cdk-engine') as typeof import('../src/cdk-engine');
}
