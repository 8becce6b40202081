#!/usr/bin/env node
// Checks the AWS calls in a trace (trace.sh's OUT_DIR/trace.jsonl) against IAM policies, with @cloud-copilot/iam-simulate.
//
// usage: node check-trace.cjs --trace TRACE.jsonl [--trace MORE.jsonl ...] --policy-json POLICY.json
//                             [--region R] [--account A] [--verbose]
//   POLICY.json  the output of `generate --json` ({policies: [{name, document}], trimmed}), one policy document, or an
//                array of documents.
//   --region R   evaluate every call in region R: ARNs are rewritten to R and aws:RequestedRegion is R
//                (default: each call's own region, as recorded)
//   --account A  rewrite the account of every ARN to A (default: as recorded)
//   --verbose    also print the allowed calls and the statement that allowed each
// Prints one line per denied call, then one JSON line last: {calls, actions, checked, denied: ["action resource", ...]}.
// Exit 0 when nothing is denied, 1 when something is, 2 on usage or input errors.
//
// The calls are direct calls of the CLI: the request carries aws:RequestedRegion and no aws:CalledVia, so statements
// conditioned on aws:CalledVia (meant for CloudFormation's own calls) do not apply to them.
//
// This file also exports iamOf(), the map from an SDK call to its IAM action(s) and resource ARN(s); hook.js uses it
// at call time, when the whole request input is still at hand, and writes the result into each trace record.
'use strict';
const fs = require('fs');

// ---------------------------------------------------------------- SDK call -> IAM action + resource
// SDK v3 serviceId -> IAM service prefix (fallback: lower case, spaces removed)
const PREFIX = {
  S3: 's3', CloudFormation: 'cloudformation', SSM: 'ssm', 'Cognito Identity Provider': 'cognito-idp',
  'Cognito Identity': 'cognito-identity', AppSync: 'appsync', Amplify: 'amplify', AmplifyUIBuilder: 'amplifyuibuilder',
  AmplifyBackend: 'amplifybackend', Lambda: 'lambda', IAM: 'iam', STS: 'sts', DynamoDB: 'dynamodb', 'DynamoDB Streams': 'dynamodb',
  Location: 'geo', Pinpoint: 'mobiletargeting', 'API Gateway': 'apigateway', Kinesis: 'kinesis', Firehose: 'firehose',
  CloudFront: 'cloudfront', 'CloudWatch Logs': 'logs', 'CloudWatch Events': 'events', EventBridge: 'events',
  'Secrets Manager': 'secretsmanager', 'Lex Model Building Service': 'lex', 'Lex Models V2': 'lex', 'RDS Data': 'rds-data',
  'Elasticsearch Service': 'es', OpenSearch: 'es', 'Route 53': 'route53', 'Service Quotas': 'servicequotas',
};
// SDK operation -> IAM action, where the names differ
const S3_ACTION = {
  HeadObject: 'GetObject', HeadBucket: 'ListBucket', ListObjects: 'ListBucket', ListObjectsV2: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions', ListBuckets: 'ListAllMyBuckets', CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject', UploadPartCopy: 'PutObject', CompleteMultipartUpload: 'PutObject',
  ListMultipartUploads: 'ListBucketMultipartUploads', ListParts: 'ListMultipartUploadParts',
  PutBucketNotificationConfiguration: 'PutBucketNotification', GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketEncryption: 'PutEncryptionConfiguration', GetBucketEncryption: 'GetEncryptionConfiguration',
  DeleteBucketEncryption: 'PutEncryptionConfiguration', PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock', DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
  PutBucketCors: 'PutBucketCORS', GetBucketCors: 'GetBucketCORS', DeleteBucketCors: 'PutBucketCORS',
  PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration', GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
  DeleteBucketLifecycle: 'PutLifecycleConfiguration', DeleteBucketTagging: 'PutBucketTagging',
  DeleteBucketWebsite: 'DeleteBucketWebsite', DeleteObjects: 'DeleteObject',
};
const LAMBDA_ACTION = { Invoke: 'InvokeFunction', InvokeAsync: 'InvokeFunction', InvokeWithResponseStream: 'InvokeFunction' };

function prefixOf(service) { return PREFIX[service] || String(service).toLowerCase().replace(/\s+/g, ''); }

// Returns [{action, resource}]: usually one pair; several when one request names several resources (DeleteObjects,
// SSM Names, CopyObject). resource is an ARN built from the request's own parameters, or "*" when it names none.
function iamOf(service, operation, input, region, account) {
  const i = input || {};
  const R = region || 'us-east-1';
  const A = account || '123456789012';
  const pfx = prefixOf(service);
  const one = (action, resource) => [{ action, resource }];
  const isArn = (v) => typeof v === 'string' && v.startsWith('arn:');
  if (pfx === 's3') {
    const b = i.Bucket;
    const obj = (k) => `arn:aws:s3:::${b}/${k}`;
    if (operation === 'DeleteObjects') {
      const objs = ((i.Delete || {}).Objects || []);
      if (!objs.length) return one('s3:DeleteObject', `arn:aws:s3:::${b}/*`);
      return objs.map((o) => ({ action: o.VersionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: obj(o.Key) }));
    }
    if (operation === 'CopyObject') {
      const src = decodeURIComponent(String(i.CopySource || '').replace(/^\//, '').split('?')[0]);
      return [{ action: 's3:PutObject', resource: obj(i.Key) }, { action: 's3:GetObject', resource: `arn:aws:s3:::${src}` }];
    }
    let op = S3_ACTION[operation] || operation;
    if (i.VersionId && /^(GetObject|HeadObject|DeleteObject)$/.test(operation)) op = operation === 'DeleteObject' ? 'DeleteObjectVersion' : 'GetObjectVersion';
    if (!b) return one(`s3:${op}`, '*');
    return one(`s3:${op}`, i.Key !== undefined ? obj(i.Key) : `arn:aws:s3:::${b}`);
  }
  if (pfx === 'apigateway') {
    const verb = /^(Get|List)/.test(operation) ? 'GET' : /^Create/.test(operation) ? 'POST' : /^Update/.test(operation) ? 'PATCH'
      : /^Delete/.test(operation) ? 'DELETE' : /^(Put|Import)/.test(operation) ? 'PUT' : 'POST';
    return one(`apigateway:${verb}`, i.restApiId ? `arn:aws:apigateway:${R}::/restapis/${i.restApiId}` : '*');
  }
  const action = `${pfx}:${(pfx === 'lambda' && LAMBDA_ACTION[operation]) || operation}`;
  const arn = (svc, rest) => `arn:aws:${svc}:${R}:${A}:${rest}`;
  switch (pfx) {
    case 'cloudformation': {
      const n = i.StackName;
      if (!n) return one(action, '*');
      // a stack named by name: its id is not in the request; "*" stands for it (check-trace makes it concrete)
      return one(action, isArn(n) ? n : arn('cloudformation', `stack/${n}/*`));
    }
    case 'ssm': {
      const names = i.Names || (i.Name !== undefined ? [i.Name] : i.Path !== undefined ? [i.Path] : []);
      if (!names.length) return one(action, '*');
      return names.map((n) => ({ action, resource: isArn(n) ? n : arn('ssm', `parameter/${String(n).replace(/^\//, '')}`) }));
    }
    case 'cognito-idp': return one(action, i.UserPoolId ? arn('cognito-idp', `userpool/${i.UserPoolId}`) : '*');
    case 'cognito-identity': return one(action, i.IdentityPoolId ? arn('cognito-identity', `identitypool/${i.IdentityPoolId}`) : '*');
    case 'appsync': return one(action, i.apiId ? arn('appsync', `apis/${i.apiId}`) : isArn(i.resourceArn) ? i.resourceArn : '*');
    case 'amplify':
      if (isArn(i.resourceArn)) return one(action, i.resourceArn);
      if (!i.appId) return one(action, '*');
      if (i.branchName && i.jobId !== undefined && /^(GetJob|StopJob|DeleteJob)$/.test(operation)) return one(action, arn('amplify', `apps/${i.appId}/branches/${i.branchName}/jobs/${i.jobId}`));
      return one(action, arn('amplify', `apps/${i.appId}` + (i.branchName ? `/branches/${i.branchName}` : i.domainName ? `/domains/${i.domainName}` : '')));
    case 'lambda':
      if (i.FunctionName) return one(action, isArn(i.FunctionName) ? i.FunctionName : arn('lambda', `function:${i.FunctionName}`));
      if (i.LayerName) {
        const l = isArn(i.LayerName) ? i.LayerName : arn('lambda', `layer:${i.LayerName}`);
        return one(action, i.VersionNumber !== undefined ? `${l}:${i.VersionNumber}` : l);
      }
      break;
    case 'iam':
      if (i.RoleName) return one(action, `arn:aws:iam::${A}:role/${i.RoleName}`);
      if (isArn(i.PolicyArn)) return one(action, i.PolicyArn);
      if (i.UserName) return one(action, `arn:aws:iam::${A}:user/${i.UserName}`);
      if (i.InstanceProfileName) return one(action, `arn:aws:iam::${A}:instance-profile/${i.InstanceProfileName}`);
      break;
    case 'dynamodb':
      if (i.TableName) return one(action, isArn(i.TableName) ? i.TableName : arn('dynamodb', `table/${i.TableName}`));
      break;
    case 'kinesis':
      if (i.StreamName) return one(action, arn('kinesis', `stream/${i.StreamName}`));
      break;
    case 'geo': {
      const k = [['MapName', 'map'], ['IndexName', 'place-index'], ['CollectionName', 'geofence-collection'],
        ['TrackerName', 'tracker'], ['CalculatorName', 'route-calculator']].find(([f]) => i[f]);
      if (k) return one(action, arn('geo', `${k[1]}/${i[k[0]]}`));
      break;
    }
    case 'cloudfront':
      if (i.DistributionId) return one(action, `arn:aws:cloudfront::${A}:distribution/${i.DistributionId}`);
      if (/OriginAccessIdentity/.test(operation) && i.Id) return one(action, `arn:aws:cloudfront::${A}:origin-access-identity/${i.Id}`);
      if (i.Id) return one(action, `arn:aws:cloudfront::${A}:distribution/${i.Id}`);
      break;
    case 'mobiletargeting':
      if (i.ApplicationId) return one(action, arn('mobiletargeting', `apps/${i.ApplicationId}`));
      break;
    default: break;
  }
  // any other request that names an ARN
  for (const [k, v] of Object.entries(i)) if (/(Arn|ARN)$/.test(k) && isArn(v)) return one(action, v);
  return one(action, '*');
}

module.exports = { iamOf, prefixOf };

// ---------------------------------------------------------------- the check

function usage(msg) {
  if (msg) console.error(`check-trace: ${msg}`);
  console.error('usage: node check-trace.cjs --trace TRACE.jsonl [--trace ...] --policy-json POLICY.json [--region R] [--account A] [--verbose]');
  process.exit(2);
}

const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
// A "*" inside a resource the request named is literal (an S3 key, an unknown stack id): it is replaced by a character no
// policy names, so only a policy "*" reaches it, as in IAM. A stack named by name gets a fixed id instead.
const LITERAL_STAR = '\u00a7';
const UNVALIDATED = new Set(['invalid.action', 'no.resource.types', 'multiple.resource.types']);
const globRe = (g) => new RegExp('^' + g.split('*').map((p) => p.split('?').map((x) => x.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*') + '$');

function loadPolicies(file) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (Array.isArray(j)) return { docs: j.map((d) => d.document || d), trimmed: [] };
  if (j.policies) return { docs: j.policies.map((p) => p.document || p), trimmed: j.trimmed || [] };
  if (j.Statement) return { docs: [j], trimmed: [] };
  throw new Error(`${file}: neither generate --json output nor a policy document`);
}

function readTrace(file) {
  const out = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((l, n) => {
    if (!l.trim()) return;
    let r;
    try { r = JSON.parse(l); } catch (e) { throw new Error(`${file}:${n + 1}: not JSON`); }
    if (r.service && r.operation) out.push(r);
  });
  return out;
}

function rewriteArn(arn, region, account) {
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(arn);
  if (!m) return arn;
  const r = region && m[3] ? region : m[3];
  const a = account && m[4] && m[4] !== 'aws' ? account : m[4];
  return `arn:${m[1]}:${m[2]}:${r}:${a}:${m[5]}`;
}

function concrete(resource) {
  if (resource === '*') return resource;
  let r = resource.replace(/^(arn:[^:]*:cloudformation:[^:]*:[^:]*:stack\/[^/]+)\/\*$/, '$1/00000000-0000-0000-0000-000000000000');
  return r.split('*').join(LITERAL_STAR);
}

// Why a request was not allowed: statements that name the action, and what of theirs did not match.
function whyDenied(analyses, action, trimmed) {
  const notes = new Set();
  for (const a of analyses) {
    const id = a && a.identityAnalysis;
    if (!id) continue;
    for (const s of id.denyStatements || []) notes.add(`${s.explain.identifier || s.policyId}: explicit deny`);
    for (const s of id.unmatchedStatements || []) {
      if (!s.actionMatch) continue;
      const what = [];
      if (!s.resourceMatch) what.push('resource');
      if (!s.explain.conditionMatch) {
        const keys = list(s.explain.conditions).filter((c) => c && c.matches === false).map((c) => c.conditionKeyValue);
        what.push(`condition ${[...new Set(keys)].join(',') || '?'}`);
      }
      notes.add(`${s.explain.identifier || s.policyId}: ${what.join(' + ') || 'no match'}`);
    }
  }
  return withTrimmed(notes.size ? [...notes].join('; ') : 'action not in any statement', action, trimmed);
}
function withTrimmed(why, action, trimmed) {
  const t = trimmed.filter((x) => String(x.action).toLowerCase() === action.toLowerCase());
  return t.length ? `${why}; the generator trimmed it for ${t.map((x) => x.resourceType).join(',')}` : why;
}
// A static look at the statements, for requests evaluated without validation (no analysis comes back from that path).
function hint(docs, action, resource, trimmed) {
  const notes = [];
  for (const doc of docs) for (const s of list(doc.Statement)) {
    if (s.Effect !== 'Allow' || !list(s.Action).some((a) => globRe(a.toLowerCase()).test(action.toLowerCase()))) continue;
    const res = list(s.Resource).some((r) => globRe(r).test(resource));
    notes.push(`${s.Sid || '?'}: ${res ? `condition ${Object.values(s.Condition || {}).flatMap(Object.keys).join(',')}` : 'resource'}`);
  }
  return withTrimmed(notes.length ? notes.join('; ') : 'action not in any statement', action, trimmed);
}
function allowedBy(analysis) {
  const id = analysis && analysis.identityAnalysis;
  return id ? (id.allowStatements || []).map((s) => (s.explain && s.explain.identifier) || s.policyId).join(',') : '';
}

async function evaluate(sim, docs, action, resource, trimmed, ctx) {
  const { runSimulation, runUnsafeSimulation } = sim;
  const base = (res) => ({
    identityPolicies: docs.map((policy, n) => ({ name: `p${n}`, policy })),
    serviceControlPolicies: [], resourceControlPolicies: [],
    request: { principal: `arn:aws:iam::${ctx.account}:user/amplify-deployer`, action,
      resource: { accountId: ctx.account, resource: res }, contextVariables: { 'aws:RequestedRegion': ctx.region } },
  });
  const single = (r, note) => ({ allowed: r.overallResult === 'Allowed', note, by: allowedBy(r.result.analysis),
    why: r.overallResult === 'Allowed' ? '' : whyDenied([r.result.analysis], action, trimmed) });
  const unsafe = (res, note) => {
    const result = runUnsafeSimulation(base(res), {});
    return { allowed: result === 'Allowed', note, why: result === 'Allowed' ? '' : hint(docs, action, res, trimmed) };
  };
  let r = await runSimulation(base(resource), {});
  if (r.errors && r.errors.message === 'must.use.wildcard') {
    // the action has no resource-level permissions: IAM evaluates it against "*"
    r = await runSimulation(base('*'), {});
    if (r.resultType === 'single') return single(r, 'checked as *: no resource-level permissions');
  }
  if (r.resultType === 'single') return single(r);
  // the request named no resource, on an action that has resource types: only a statement with Resource "*" allows it
  if (r.resultType === 'wildcard') return unsafe(LITERAL_STAR, 'no resource named: needs Resource *');
  if (r.errors && UNVALIDATED.has(r.errors.message)) return unsafe(resource, `unvalidated: ${r.errors.message}`);
  return { allowed: false, error: true, why: `simulate: ${JSON.stringify(r.errors).slice(0, 200)}` };
}

async function main() {
  process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  const args = process.argv.slice(2);
  const traces = []; let policyFile; let region; let account; let verbose = false;
  for (let n = 0; n < args.length; n++) {
    const a = args[n];
    const val = () => { if (n + 1 >= args.length) usage(`${a} needs a value`); return args[++n]; };
    if (a === '--trace') traces.push(val());
    else if (a === '--policy-json') policyFile = val();
    else if (a === '--region') region = val();
    else if (a === '--account') account = val();
    else if (a === '--verbose') verbose = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!traces.length || !policyFile) usage('--trace and --policy-json are required');
  let sim;
  try { sim = require('@cloud-copilot/iam-simulate'); } catch (e) {
    console.error('check-trace: cannot load @cloud-copilot/iam-simulate; install it (a dev dependency) or point NODE_PATH at a node_modules that has it');
    process.exit(2);
  }
  let pol;
  const records = [];
  try {
    pol = loadPolicies(policyFile);
    for (const t of traces) records.push(...readTrace(t));
  } catch (e) { console.error(`check-trace: ${e.message}`); process.exit(2); }

  // one check per (action, resource, region); a call's pairs come from the trace (computed at call time)
  const checks = new Map();
  for (const r of records) {
    const pairs = r.iam || (r.action ? [{ action: r.action, resource: r.resource }] : iamOf(r.service, r.operation, r.input, r.region, r.account));
    const reg = region || r.region || 'us-east-1';
    for (const p of pairs) {
      const res = rewriteArn(p.resource, region, account);
      const key = `${p.action}\u0000${res}\u0000${reg}`;
      if (!checks.has(key)) checks.set(key, { action: p.action, resource: res, region: reg, account: account || r.account, calls: 0, ops: new Set(), steps: new Set() });
      const c = checks.get(key);
      c.calls++; c.ops.add(`${r.service}:${r.operation}`); if (r.step) c.steps.add(r.step);
    }
  }
  const denied = [];
  for (const c of checks.values()) {
    const acct = c.account || (/^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(c.resource) || [])[1] || '123456789012';
    const res = await evaluate(sim, pol.docs, c.action, concrete(c.resource), pol.trimmed, { region: c.region, account: acct });
    const where = `${[...c.ops].join(',')}; ${c.calls} call${c.calls > 1 ? 's' : ''}${c.steps.size ? `; ${[...c.steps].join(',')}` : ''}; ${c.region}`;
    if (!res.allowed) {
      denied.push(`${c.action} ${c.resource}${res.error ? ' (error)' : ''}`);
      console.log(`DENIED  ${c.action}  ${c.resource}  (${where})${res.note ? ` [${res.note}]` : ''}  -- ${res.why}`);
    } else if (verbose) {
      console.log(`allowed ${c.action}  ${c.resource}  (${where})${res.note ? ` [${res.note}]` : ''}${res.by ? `  by ${res.by}` : ''}`);
    }
  }
  const actions = new Set([...checks.values()].map((c) => c.action.toLowerCase()));
  console.log(JSON.stringify({ calls: records.length, actions: actions.size, checked: checks.size, denied }));
  process.exit(denied.length ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => { console.error(e && e.stack || e); process.exit(2); });
}
