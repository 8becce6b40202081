// Node preload for the Amplify CLI process (and its node children): traces every AWS SDK v3 call it makes.
//   NODE_OPTIONS="--require /path/to/hook.js"     (trace.sh sets all of this up)
// Each call is sent on to the local moto server (AWS_ENDPOINT_URL) or answered here: the `amplify` service from canned
// data below, anything in TRACE_OVERRIDES (cfnfake.js: CloudFormation and AppSync introspection) from that module.
// Environment:
//   TRACE_FILE       where the call records go, one JSON line per call (default: $TMPDIR/amplify-trace.jsonl)
//   TRACE_LOG        where the hook's own notes go (process start, patched clients, errors); unset: nowhere
//   TRACE_STEP       a label written into each record (trace.sh: the amplify command, e.g. "push")
//   TRACE_ACCOUNT    the account in ARNs and canned answers (default 123456789012)
//   TRACE_APP_ID     the Amplify app id of the canned `amplify` service (default d1234567890abc)
//   TRACE_ENVS_FILE  JSON file remembering environments created through CreateBackendEnvironment
//   TRACE_OVERRIDES  module exporting {"Service:Operation" | "Service:*": (input, {svc, op}) => output | Error}
//   TRACE_GRAPHQL_DIR make every require('graphql') resolve from this folder (one copy of graphql: see README)
'use strict';
const Module = require('module');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { iamOf } = require('./check-trace.cjs');

const TRACE_FILE = process.env.TRACE_FILE || path.join(os.tmpdir(), 'amplify-trace.jsonl');
const TRACE_LOG = process.env.TRACE_LOG || '';
const STEP = process.env.TRACE_STEP || '';
const ACCOUNT = process.env.TRACE_ACCOUNT || '123456789012';
const APP_ID = process.env.TRACE_APP_ID || 'd1234567890abc';
const ENVS_FILE = process.env.TRACE_ENVS_FILE || path.join(os.tmpdir(), 'amplify-trace-envs.json');
const PATCHED = Symbol.for('amplify-trace.patched');
const HERE = __dirname;
let seq = 0;

// a readable, bounded copy of a request input (bodies and templates are replaced by their size)
function short(v, depth = 0) {
  if (v === null || v === undefined) return v;
  if (typeof v === 'string') return v.length > 160 ? v.slice(0, 160) + '…' : v;
  if (typeof v !== 'object') return v;
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `<bytes ${v.length}>`;
  if (typeof v.pipe === 'function' || typeof v.read === 'function') return '<stream>';
  if (v instanceof Date) return v.toISOString();
  if (depth > 3) return '<…>';
  if (Array.isArray(v)) return v.slice(0, 8).map((x) => short(x, depth + 1));
  const o = {};
  for (const k of Object.keys(v)) {
    if (/^(TemplateBody|Body|ZipFile|Definition|PolicyDocument|Value|SecretString)$/.test(k)) { o[k] = typeof v[k] === 'string' ? `<${v[k].length} chars>` : '<body>'; continue; }
    o[k] = short(v[k], depth + 1);
  }
  return o;
}

// the first frames of the caller outside the SDK and this harness: "function@package/file.js:line"
function callerFrames() {
  const st = (new Error().stack || '').split('\n').slice(2);
  const out = [];
  for (const l of st) {
    if (l.includes(HERE) || /node_modules\/@smithy|node_modules\/@aws-sdk|node:internal|<anonymous>/.test(l)) continue;
    const m = l.match(/at (?:async )?(.*?) ?\(?([^()]*node_modules\/)?([^()]*?):(\d+):\d+\)?$/);
    if (m) out.push(`${m[1] || '?'}@${m[3].replace(/^.*node_modules\//, '')}:${m[4]}`);
    if (out.length >= 4) break;
  }
  return out;
}

function append(file, rec) { try { fs.appendFileSync(file, JSON.stringify(rec) + '\n'); } catch (e) { /* never break the CLI */ } }
function note(rec) { if (TRACE_LOG) append(TRACE_LOG, Object.assign({ t: Date.now(), pid: process.pid }, rec)); }

// ---------- the `amplify` service, canned ----------
function readTpi() {
  try { return JSON.parse(fs.readFileSync(path.join(process.cwd(), 'amplify', 'team-provider-info.json'), 'utf8')); } catch (e) { return {}; }
}
function createdEnvs() { try { return JSON.parse(fs.readFileSync(ENVS_FILE, 'utf8')); } catch (e) { return {}; } }
const region = () => process.env.AWS_REGION || 'us-east-1';
function envObj(env) {
  const p = (readTpi()[env] || {}).awscloudformation || {};
  return {
    backendEnvironmentArn: `arn:aws:amplify:${region()}:${ACCOUNT}:apps/${APP_ID}/backendenvironments/${env}`,
    environmentName: env, stackName: p.StackName || `amplify-x-${env}-12345`,
    deploymentArtifacts: p.DeploymentBucketName || `amplify-x-${env}-12345-deployment`,
    createTime: new Date(), updateTime: new Date(),
  };
}
function app() {
  return { appId: APP_ID, appArn: `arn:aws:amplify:${region()}:${ACCOUNT}:apps/${APP_ID}`, name: 'amplify-trace', platform: 'WEB',
    defaultDomain: `${APP_ID}.amplifyapp.com`, createTime: new Date(), updateTime: new Date(), environmentVariables: {},
    enableBranchAutoBuild: false, enableBasicAuth: false, repository: '' };
}
function notFound(msg) { const e = new Error(msg); e.name = 'NotFoundException'; e.$metadata = { httpStatusCode: 404 }; return e; }
const amplifyAnswers = {
  GetApp: () => ({ app: app() }),
  ListApps: () => ({ apps: [app()] }),
  CreateApp: () => ({ app: app() }),
  UpdateApp: () => ({ app: app() }),
  DeleteApp: () => ({ app: app() }),
  ListBackendEnvironments: (i) => {
    // the envs of team-provider-info and those created in the run, without those deleted in the run
    const c = createdEnvs();
    const names = [...new Set([...Object.keys(readTpi()), ...Object.keys(c)])].filter((n) => !(c[n] && c[n].deleted));
    const envs = names.map(envObj);
    return { backendEnvironments: i && i.environmentName ? envs.filter((e) => e.environmentName === i.environmentName) : envs };
  },
  GetBackendEnvironment: (i) => {
    const made = createdEnvs()[i.environmentName];
    if ((!readTpi()[i.environmentName] && !made) || (made && made.deleted)) return notFound(`Backend environment ${i.environmentName} not found`);
    return { backendEnvironment: Object.assign(envObj(i.environmentName), made || {}) };
  },
  CreateBackendEnvironment: (i) => {
    const c = createdEnvs();
    c[i.environmentName] = { environmentName: i.environmentName, stackName: i.stackName, deploymentArtifacts: i.deploymentArtifacts };
    fs.writeFileSync(ENVS_FILE, JSON.stringify(c));
    return { backendEnvironment: Object.assign(envObj(i.environmentName), c[i.environmentName]) };
  },
  DeleteBackendEnvironment: (i) => {
    const c = createdEnvs();
    c[i.environmentName] = Object.assign(c[i.environmentName] || {}, { deleted: true });
    fs.writeFileSync(ENVS_FILE, JSON.stringify(c));
    return { backendEnvironment: envObj(i.environmentName) };
  },
  ListBranches: () => ({ branches: [] }),
  // Amplify Hosting manual deploys (amplify publish with hosting amplifyhosting): the zip goes to zipUploadUrl with a
  // plain HTTP PUT (moto answers it; the CLI does not check the status), then the job succeeds at once.
  ListJobs: () => ({ jobSummaries: [] }),
  CreateDeployment: (i) => ({ jobId: '1', zipUploadUrl: `${process.env.AWS_ENDPOINT_URL || 'http://127.0.0.1:9'}/amplify-trace-deployments/${i.appId}-${i.branchName}.zip` }),
  StartDeployment: (i) => ({ jobSummary: { jobId: i.jobId, status: 'PENDING' } }),
  GetJob: (i) => ({ job: { summary: { jobId: i.jobId, status: 'SUCCEED' }, steps: [] } }),
  StopJob: (i) => ({ jobSummary: { jobId: i.jobId, status: 'CANCELLING' } }),
  ListDomainAssociations: () => ({ domainAssociations: [] }),
  ListWebhooks: () => ({ webhooks: [] }),
  TagResource: () => ({}),
};

let overrides = null;
function loadOverrides() {
  if (overrides) return overrides;
  overrides = {};
  if (process.env.TRACE_OVERRIDES) {
    try { overrides = require(path.resolve(process.env.TRACE_OVERRIDES)); } catch (e) { note({ hookError: `TRACE_OVERRIDES: ${e}` }); }
  }
  return overrides;
}

async function clientRegion(config) {
  try {
    const r = config && config.region;
    return (typeof r === 'function' ? await r() : r) || region();
  } catch (e) { return region(); }
}

function patchClient(Client, where) {
  if (!Client || !Client.prototype || typeof Client.prototype.send !== 'function' || Client.prototype[PATCHED]) return;
  const orig = Client.prototype.send;
  Client.prototype[PATCHED] = true;
  Client.prototype.send = function (command, optionsOrCb, cb) {
    const svc = (this.config && this.config.serviceId) || this.constructor.name.replace(/Client$/, '');
    const op = ((command && command.constructor && command.constructor.name) || '?').replace(/Command$/, '');
    const input = (command && command.input) || {};
    const rec = { service: svc, operation: op };
    let iam;
    try { iam = iamOf(svc, op, input, region(), ACCOUNT); } catch (e) { iam = [{ action: `${svc}:${op}`, resource: '*' }]; rec.mapError = String(e); }
    const from = callerFrames();
    const callback = typeof optionsOrCb === 'function' ? optionsOrCb : cb;
    const ov = loadOverrides();
    let canned = ov[`${svc}:${op}`] || ov[`${svc}:*`];
    if (!canned && /^amplify$/i.test(svc)) canned = amplifyAnswers[op] || (() => ({}));
    const regionP = clientRegion(this.config);
    let p;
    if (canned) {
      rec.answered = 'hook';
      p = Promise.resolve().then(() => canned(input, { svc, op })).then((out) => {
        if (out instanceof Error) throw out;
        return Object.assign({ $metadata: { httpStatusCode: 200 } }, out);
      });
    } else {
      rec.answered = 'moto';
      p = orig.call(this, command, optionsOrCb && typeof optionsOrCb !== 'function' ? optionsOrCb : undefined);
    }
    const done = async (ok, err) => {
      const reg = await regionP;
      // ARNs carry the region the request went to
      const pairs = reg === region() ? iam : (() => { try { return iamOf(svc, op, input, reg, ACCOUNT); } catch (e) { return iam; } })();
      const r = Object.assign({ seq: ++seq, t: Date.now(), pid: process.pid, step: STEP }, rec, {
        region: reg, account: ACCOUNT, action: pairs[0].action, resource: pairs[0].resource,
      });
      if (pairs.length > 1) { r.iam = pairs.slice(0, 200); if (pairs.length > 200) r.iamLeftOut = pairs.length - 200; }
      Object.assign(r, { ok }, err ? { err } : {}, { input: short(input), from });
      append(TRACE_FILE, r);
    };
    p = p.then(async (res) => { await done(true); return res; },
      async (e) => { await done(false, `${(e && (e.name || e.Code))}: ${String(e && e.message).slice(0, 200)}`); throw e; });
    if (callback) { p.then((r) => callback(null, r), (e) => callback(e)); return undefined; }
    return p;
  };
  note({ patched: where });
}

// every `graphql` import from one copy (the install holds dozens of graphql copies; the post-push codegen and modelgen
// otherwise fail with "Cannot use GraphQLSchema ... from another module or realm")
if (process.env.TRACE_GRAPHQL_DIR) {
  const origResolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    if (request === 'graphql' || request.startsWith('graphql/')) {
      try { return origResolve.call(this, request, parent, isMain, { paths: [process.env.TRACE_GRAPHQL_DIR] }); } catch (e) { /* fall through */ }
    }
    return origResolve.apply(this, arguments);
  };
}
// patch each SDK v3 Client base class as it is loaded (smithy-client and its copies)
const origLoad = Module._load;
Module._load = function (request, parent, isMain) {
  const exp = origLoad.apply(this, arguments);
  try {
    if (exp && typeof exp === 'object' && Object.prototype.hasOwnProperty.call(exp, 'Client') && typeof exp.Client === 'function'
      && exp.Client.prototype && typeof exp.Client.prototype.send === 'function' && exp.Command) {
      patchClient(exp.Client, request + ' from ' + (parent && parent.filename ? parent.filename.replace(/^.*node_modules\//, '') : '?'));
    }
  } catch (e) { /* ignore */ }
  return exp;
};
note({ start: process.argv.slice(1).join(' ').slice(0, 300), cwd: process.cwd() });
