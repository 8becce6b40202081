import { generatePolicies } from '../src/engine';
import { booleanOption, checkOptions, generateOptions, type Command } from '../src/invocation';
import { usageError } from '../src/errors';
import { explainExclusions, explainStatements, formatExplanation } from '../src/outputs/explain';

export const explain: Command = {
  name: 'explain',
  summary: 'say why each statement, action or resource is in the policy',
  usage: 'explain [TERM] [--phases LIST] [--env NAME] [--json]',
  options: {
    phases: 'LIST  as for generate',
    env: 'NAME  as for generate',
    'permissions-boundary': 'ARN  as for generate',
    json: 'print the explanation as JSON',
  },
  async run(invocation, { io, cwd }) {
    checkOptions(invocation, explain);
    if (invocation.args.length > 1)
      throw usageError('explain takes at most one TERM.', 'Quote a term with spaces.');
    const result = await generatePolicies(generateOptions(invocation, cwd));
    const statements = explainStatements(result, invocation.args[0]);
    const excluded = explainExclusions(result, invocation.args[0]);
    io.out(
      booleanOption(invocation, 'json')
        ? `${JSON.stringify({ statements, excluded })}\n`
        : formatExplanation(statements, excluded),
    );
    return 0;
  },
};
