import * as assert from 'node:assert/strict';
import { parseTemplate } from '../../src/inventory/parse-template';

describe('parseTemplate', () => {
  it('reads CloudFormation YAML short forms as their JSON long forms', () => {
    const yaml = [
      'Resources:',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      FunctionName: !Join ["", [!Ref name, "-", !Ref env]]',
      '      Role: !GetAtt Role.Arn',
      '      Description: !Sub',
      '        - "${a}"',
      '        - a: !Ref AWS::Region',
    ].join('\n');
    const parsed = parseTemplate(yaml, 'fn-cloudformation-template.yml');
    const properties = (parsed?.template.Resources.Fn as { Properties: Record<string, unknown> }).Properties;
    assert.deepEqual(properties.FunctionName, { 'Fn::Join': ['', [{ Ref: 'name' }, '-', { Ref: 'env' }]] });
    assert.deepEqual(properties.Role, { 'Fn::GetAtt': ['Role', 'Arn'] });
    assert.deepEqual(properties.Description, { 'Fn::Sub': ['${a}', { a: { Ref: 'AWS::Region' } }] });
  });

  it('returns undefined for JSON files that are not templates', () => {
    assert.equal(parseTemplate('{"bucketName": "x"}', 'parameters.json'), undefined);
  });

  it('reads a .json template with a trailing comma leniently and flags it', () => {
    const parsed = parseTemplate('{"Resources": {"A": {"Type": "AWS::SNS::Topic"},}}', 't.json');
    assert.ok(parsed);
    assert.ok(parsed.notStrictJson);
    assert.deepEqual(Object.keys(parsed.template.Resources), ['A']);
  });

  it('throws on text that is neither JSON nor YAML', () => {
    assert.throws(() => parseTemplate('{"Resources": [', 't.json'));
  });
});
