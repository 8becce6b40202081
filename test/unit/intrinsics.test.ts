import * as assert from 'node:assert/strict';
import {
  evaluateCondition,
  resolveExplained,
  resolvePatterns,
  unknownBecause,
  type ResolveScope,
} from '../../src/inventory/intrinsics';

const scope = (overrides: Partial<ResolveScope> = {}): ResolveScope => ({
  parameters: { env: 'dev', bucketName: 'photos' },
  conditions: {
    ShouldNotCreateEnvResources: { 'Fn::Equals': [{ Ref: 'env' }, 'NONE'] },
    Unknown: { 'Fn::Equals': [{ Ref: 'notGiven' }, 'x'] },
    NotUnknown: { 'Fn::Not': [{ Condition: 'Unknown' }] },
  },
  region: 'eu-west-1',
  accountId: '123456789012',
  partition: 'aws',
  stackName: 'amplify-app-dev-12345-functionfn-*',
  ...overrides,
});

describe('intrinsics: resolvePatterns', () => {
  it('resolves the function-name shape the CLI writes (Fn::If on env, Fn::Join)', () => {
    const name = {
      'Fn::If': ['ShouldNotCreateEnvResources', 'fn', { 'Fn::Join': ['', ['fn', '-', { Ref: 'env' }]] }],
    };
    assert.deepEqual(resolvePatterns(name, scope()), ['fn-dev']);
  });

  it('keeps both branches of an Fn::If whose condition is unknown', () => {
    const name = { 'Fn::If': ['Unknown', 'a', 'b'] };
    assert.deepEqual(resolvePatterns(name, scope()), ['a', 'b']);
  });

  it('turns unknown parameters and attributes into *', () => {
    assert.deepEqual(resolvePatterns({ 'Fn::Join': ['-', [{ Ref: 'missing' }, { Ref: 'env' }]] }, scope()), [
      '*-dev',
    ]);
    assert.deepEqual(resolvePatterns({ 'Fn::GetAtt': ['Role', 'Arn'] }, scope()), ['*']);
  });

  it('substitutes Fn::Sub variables, pseudo parameters and escapes', () => {
    const value = {
      'Fn::Sub': ['arn:${AWS::Partition}:s3:::${b}-${env}/${!literal}', { b: { Ref: 'bucketName' } }],
    };
    assert.deepEqual(resolvePatterns(value, scope()), ['arn:aws:s3:::photos-dev/${literal}']);
    assert.deepEqual(resolvePatterns({ 'Fn::Sub': '${AWS::StackName}-x' }, scope()), [
      'amplify-app-dev-12345-functionfn-*-x',
    ]);
    assert.deepEqual(resolvePatterns({ 'Fn::Sub': '${Role.Arn}' }, scope()), ['*']);
  });

  it('selects from Fn::Split of a known value', () => {
    const value = { 'Fn::Select': [1, { 'Fn::Split': ['-', 'a-b-c'] }] };
    assert.deepEqual(resolvePatterns(value, scope()), ['b']);
    assert.deepEqual(resolvePatterns({ 'Fn::Select': [0, { Ref: 'list' }] }, scope()), ['*']);
  });

  it('drops AWS::NoValue and collapses repeated wildcards', () => {
    assert.deepEqual(resolvePatterns({ Ref: 'AWS::NoValue' }, scope()), []);
    assert.deepEqual(resolvePatterns({ 'Fn::Join': ['', [{ Ref: 'a' }, { Ref: 'b' }]] }, scope()), ['*']);
  });

  it('uses * for region and account when the project does not record them', () => {
    const unknown = scope({ region: undefined, accountId: undefined });
    assert.deepEqual(resolvePatterns({ 'Fn::Sub': '${AWS::Region}:${AWS::AccountId}' }, unknown), ['*:*']);
  });
});

describe('intrinsics: attributes, causes and partly known lists', () => {
  const attribute = (logicalId: string, name: string): string | undefined =>
    logicalId === 'Api' && name === 'ApiId'
      ? 'abc123'
      : logicalId === 'Pool' && name === 'Ref'
        ? unknownBecause('pool id assigned at creation')
        : undefined;

  it('asks the scope for Fn::GetAtt, ${X.Y} in Fn::Sub and Ref of a resource', () => {
    assert.deepEqual(resolvePatterns({ 'Fn::GetAtt': ['Api', 'ApiId'] }, scope({ attribute })), ['abc123']);
    assert.deepEqual(resolvePatterns({ 'Fn::GetAtt': 'Api.ApiId' }, scope({ attribute })), ['abc123']);
    assert.deepEqual(resolvePatterns({ 'Fn::Sub': 'T-${Api.ApiId}-${env}' }, scope({ attribute })), [
      'T-abc123-dev',
    ]);
    assert.deepEqual(resolvePatterns({ 'Fn::GetAtt': ['Other', 'Arn'] }, scope({ attribute })), ['*']);
  });

  it('keeps the cause of an unknown part through joins, and never lets it into a pattern', () => {
    const value = { 'Fn::Join': ['-', [{ Ref: 'Pool' }, 'group', { Ref: 'env' }]] };
    assert.deepEqual(resolvePatterns(value, scope({ attribute })), ['*-group-dev']);
    assert.deepEqual(resolveExplained(value, scope({ attribute })), [
      { pattern: '*-group-dev', causes: ['pool id assigned at creation'] },
    ]);
    // A caused unknown is unknown to conditions too.
    const conditions = { IsX: { 'Fn::Equals': [{ Ref: 'Pool' }, 'x'] } };
    assert.equal(evaluateCondition('IsX', scope({ attribute, conditions })), undefined);
  });

  it('selects a known part of a stack name split on -, before its first unknown part', () => {
    const suffix = { 'Fn::Select': [3, { 'Fn::Split': ['-', { Ref: 'AWS::StackName' }] }] };
    assert.deepEqual(resolvePatterns(suffix, scope()), ['12345']);
    const past = { 'Fn::Select': [5, { 'Fn::Split': ['-', { Ref: 'AWS::StackName' }] }] };
    assert.deepEqual(resolvePatterns(past, scope()), ['*']);
    assert.deepEqual(resolvePatterns(suffix, scope({ stackName: 'amplify-app-*' })), ['*']);
  });
});

describe('intrinsics: evaluateCondition', () => {
  it('evaluates Equals, Not and Condition references over known values only', () => {
    assert.equal(evaluateCondition('ShouldNotCreateEnvResources', scope()), false);
    assert.equal(evaluateCondition('ShouldNotCreateEnvResources', scope({ parameters: {} })), undefined);
    assert.equal(evaluateCondition('Unknown', scope()), undefined);
    assert.equal(evaluateCondition('NotUnknown', scope()), undefined);
  });

  it('short-circuits And/Or on a decisive known operand', () => {
    const conditions = {
      Known: { 'Fn::Equals': ['a', 'a'] },
      Unknown: { 'Fn::Equals': [{ Ref: 'x' }, 'a'] },
      Any: { 'Fn::Or': [{ Condition: 'Known' }, { Condition: 'Unknown' }] },
      All: { 'Fn::And': [{ 'Fn::Not': [{ Condition: 'Known' }] }, { Condition: 'Unknown' }] },
    };
    assert.equal(evaluateCondition('Any', scope({ conditions })), true);
    assert.equal(evaluateCondition('All', scope({ conditions })), false);
  });
});
