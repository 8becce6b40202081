import * as assert from 'node:assert/strict';
import type { PolicyDocument, Statement } from '../../src/model';
import { documentSize } from '../../src/policy/render';
import {
  packDocuments as packDrafts,
  splitOversized as splitDrafts,
  type Fitted,
} from '../../src/policy/split';
import { statement, type DraftStatement } from '../../src/policy/statements';

const fits = <T>(fitted: Fitted<T>): T => {
  if ('problem' in fitted) throw new Error(fitted.problem.message);
  return fitted.fits;
};
const drafts = (statements: readonly Statement[]): DraftStatement[] =>
  statements.map((s) => ({ statement: s, grants: [] }));
const splitOversized = (statements: readonly Statement[]): Statement[] =>
  fits(splitDrafts(drafts(statements))).map((d) => d.statement);
const packDocuments = (statements: readonly Statement[]): PolicyDocument[] =>
  fits(packDrafts(drafts(statements))).map((bin) => ({
    Version: '2012-10-17',
    Statement: bin.map((d) => d.statement),
  }));

const bigStatement = (service: string, actions: number, resources: number) =>
  statement(
    Array.from({ length: actions }, (_, i) => `${service}:Action${String(i).padStart(3, '0')}`),
    Array.from(
      { length: resources },
      (_, i) => `arn:aws:${service}:us-east-1:123456789012:thing/${'n'.repeat(40)}${i}`,
    ),
  );

describe('split: documents under the managed-policy size', () => {
  it('packs statements into as few documents of at most 6,144 characters as fit', () => {
    const statements = Array.from({ length: 12 }, (_, i) => bigStatement(`svc${i}`, 10, 6));
    const documents = packDocuments(splitOversized(statements));
    for (const document of documents)
      assert.ok(documentSize(document) <= 6144, String(documentSize(document)));
    const total = statements.reduce((n, s) => n + JSON.stringify(s).length, 0);
    assert.equal(documents.length, Math.ceil(total / 6000));
    assert.equal(documents.flatMap((d) => d.Statement).length, statements.length);
  });

  it('splits a statement too big for one document by actions, then by resources, keeping every pair', () => {
    const huge = bigStatement('svc', 400, 60);
    const pieces = splitOversized([huge]);
    assert.ok(pieces.length > 1);
    const pairs = (s: typeof huge) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${r}`));
    assert.deepEqual(pieces.flatMap(pairs).sort(), pairs(huge).sort());
    for (const document of packDocuments(pieces)) assert.ok(documentSize(document) <= 6144);
  });

  it('says clearly, without throwing, when more than 10 documents would be needed', () => {
    const statements = Array.from({ length: 120 }, (_, i) => bigStatement(`svc${i}`, 10, 6));
    const packed = packDrafts(drafts(splitOversized(statements)));
    assert.ok('problem' in packed);
    assert.match(packed.problem.message, /one identity can have 10 attached/);
  });
});
