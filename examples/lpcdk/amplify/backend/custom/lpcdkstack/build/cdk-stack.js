"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || function (mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
    __setModuleDefault(result, mod);
    return result;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.cdkStack = void 0;
// examples/lpcdk: amplify/backend/custom/lpcdkstack/cdk-stack.ts, as a user writes it after
// `amplify add custom` (AWS CDK) made the skeleton (scripts/make-examples.sh copies this file over
// the CLI's sample; the CLI compiles it with tsc and synthesizes it into build/ at build and push).
// Resource types Amplify's own categories never make: SQS, SNS subscriptions, a CloudFront
// Function with a KeyValueStore, a Step Functions state machine with its log group, and an
// EventBridge schedule; the state machine invokes the project's function lpcdkfn, referenced with
// AmplifyHelpers.addResourceDependency (its Arn output becomes a stack parameter).
const cdk = __importStar(require("aws-cdk-lib"));
const AmplifyHelpers = __importStar(require("@aws-amplify/cli-extensibility-helper"));
const cloudfront = __importStar(require("aws-cdk-lib/aws-cloudfront"));
const events = __importStar(require("aws-cdk-lib/aws-events"));
const targets = __importStar(require("aws-cdk-lib/aws-events-targets"));
const lambda = __importStar(require("aws-cdk-lib/aws-lambda"));
const logs = __importStar(require("aws-cdk-lib/aws-logs"));
const sns = __importStar(require("aws-cdk-lib/aws-sns"));
const subs = __importStar(require("aws-cdk-lib/aws-sns-subscriptions"));
const sqs = __importStar(require("aws-cdk-lib/aws-sqs"));
const sfn = __importStar(require("aws-cdk-lib/aws-stepfunctions"));
const tasks = __importStar(require("aws-cdk-lib/aws-stepfunctions-tasks"));
class cdkStack extends cdk.Stack {
    constructor(scope, id, props, amplifyResourceProps) {
        super(scope, id, props);
        /* Do not remove - Amplify CLI automatically injects the current deployment environment in this input parameter */
        new cdk.CfnParameter(this, 'env', {
            type: 'String',
            description: 'Current Amplify CLI env name',
        });
        const env = cdk.Fn.ref('env');
        const project = AmplifyHelpers.getProjectInfo().projectName;
        // The project's function lpcdkfn: its outputs become parameters of this stack.
        const dependencies = AmplifyHelpers.addResourceDependency(this, amplifyResourceProps.category, amplifyResourceProps.resourceName, [{ category: 'function', resourceName: 'lpcdkfn' }]);
        const worker = lambda.Function.fromFunctionArn(this, 'worker', cdk.Fn.ref(dependencies.function.lpcdkfn.Arn));
        // A job queue with a dead-letter queue, fed by an SNS topic.
        const deadLetters = new sqs.Queue(this, 'deadletters', {
            queueName: `${project}-deadletters-${env}`,
            retentionPeriod: cdk.Duration.days(14),
        });
        const jobs = new sqs.Queue(this, 'jobs', {
            queueName: `${project}-jobs-${env}`,
            visibilityTimeout: cdk.Duration.seconds(60),
            deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
        });
        const topic = new sns.Topic(this, 'events', { topicName: `${project}-events-${env}` });
        topic.addSubscription(new subs.SqsSubscription(jobs));
        // A CloudFront Function (viewer request) that reads redirects from a KeyValueStore.
        const redirects = new cloudfront.KeyValueStore(this, 'redirects', {
            keyValueStoreName: `${project}-redirects-${env}`,
        });
        new cloudfront.Function(this, 'rewrite', {
            functionName: `${project}-rewrite-${env}`,
            comment: 'Adds index.html to directory requests',
            runtime: cloudfront.FunctionRuntime.JS_2_0,
            keyValueStore: redirects,
            code: cloudfront.FunctionCode.fromInline([
                'function handler(event) {',
                '  var request = event.request;',
                "  if (request.uri.endsWith('/')) request.uri += 'index.html';",
                '  return request;',
                '}',
            ].join('\n')),
        });
        // A state machine: run lpcdkfn, then publish its result to the topic; logged, and started nightly.
        const flowLogs = new logs.LogGroup(this, 'flowlogs', {
            logGroupName: `/aws/vendedlogs/states/${project}-flow-${env}`,
            retention: logs.RetentionDays.ONE_MONTH,
            removalPolicy: cdk.RemovalPolicy.DESTROY,
        });
        const processJob = new tasks.LambdaInvoke(this, 'Process', { lambdaFunction: worker, outputPath: '$.Payload' });
        const notify = new tasks.SnsPublish(this, 'Notify', { topic, message: sfn.TaskInput.fromJsonPathAt('$') });
        const flow = new sfn.StateMachine(this, 'flow', {
            stateMachineName: `${project}-flow-${env}`,
            definitionBody: sfn.DefinitionBody.fromChainable(processJob.next(notify)),
            timeout: cdk.Duration.minutes(5),
            logs: { destination: flowLogs, level: sfn.LogLevel.ERROR },
        });
        new events.Rule(this, 'nightly', {
            ruleName: `${project}-nightly-${env}`,
            schedule: events.Schedule.cron({ minute: '0', hour: '4' }),
            targets: [new targets.SfnStateMachine(flow)],
        });
        new cdk.CfnOutput(this, 'jobsQueueUrl', { value: jobs.queueUrl });
        new cdk.CfnOutput(this, 'eventsTopicArn', { value: topic.topicArn });
        new cdk.CfnOutput(this, 'flowArn', { value: flow.stateMachineArn });
    }
}
exports.cdkStack = cdkStack;
