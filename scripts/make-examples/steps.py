"""usage: python3 steps.py PROJECT_DIR STEP
Answers the real Amplify CLI's interactive prompts for one `amplify add|import ...` walkthrough that
has no headless mode. Each step below is one CLI command; see make-examples.sh for the order.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drive import Cli  # noqa: E402

CRUD = ['create', 'read', 'update', 'delete']


def dynamodb(cli):
    """storage: DynamoDB table lptable (pk string, sk number, GSI byOwner on owner)."""
    cli.pick('Select from one of the below mentioned services', 'NoSQL Database')
    cli.text('Provide a friendly name', 'lptable')
    cli.text('Provide table name', 'lptable')
    cols = [('pk', 'string'), ('sk', 'number'), ('owner', 'string')]
    for i, (name, typ) in enumerate(cols):
        cli.text('name this column ‣', name)
        cli.pick('Choose the data type …', typ)
        cli.confirm(r'add another column\? \(Y/n\) ‣', i < len(cols) - 1)
    cli.pick('Choose partition key for the table', 'pk')
    cli.confirm('add a sort key to your table', True)
    cli.pick('Choose sort key for the table', 'sk')
    cli.confirm(r'add global secondary indexes to your table\? \(Y/n\) ‣', True)
    cli.text('Provide the GSI name', 'byOwner')
    cli.pick('Choose partition key for the GSI', 'owner')
    cli.confirm('add a sort key to your global secondary index', False)
    cli.confirm('add more global secondary indexes', False)
    cli.confirm('add a Lambda Trigger for your Table', False)


def rest(cli):
    """api: REST API lprest. /items -> new CRUD-for-DynamoDB function lpitems (auth, guest and
    group permissions); /reports/{id} -> existing function lpworker (authenticated read)."""
    cli.pick('Select from one of the below mentioned services', 'REST')
    cli.confirm('add a new path to an existing REST API', False)  # AdminQueries exists
    cli.text('Provide a friendly name for your resource to be used as a label', 'lprest')
    cli.text('Provide a path', '/items')
    cli.pick('Choose a Lambda source', 'Create a new Lambda function')
    cli.text('Provide an AWS Lambda function name', 'lpitems')
    cli.pick('Choose the runtime', 'NodeJS')
    cli.pick('Choose the function template', 'CRUD function for DynamoDB')
    cli.pick('Choose a DynamoDB data source option', 'Use DynamoDB table configured')
    cli.pick('Choose from one of the already configured DynamoDB tables', 'lptable')
    cli.confirm('configure advanced settings', False)
    cli.confirm('edit the local lambda function now', False)
    cli.confirm('Restrict API access', True)
    cli.pick('Restrict access by', 'Both')
    cli.pick('Who should have access', 'Authenticated and Guest users')
    cli.multi('grant to Authenticated users', CRUD)
    cli.multi('grant to Guest users', ['read'])
    cli.multi('Select groups', ['admins', 'editors'])
    cli.multi('grant to admins users', CRUD)
    cli.multi('grant to editors users', ['read', 'update'])
    cli.confirm(r'add another path\? \(y/N\) ‣', True)
    cli.text(r'Provide a path \(e.g., /book/\{isbn\}\): ‣', '/reports/{id}')
    cli.pick('Choose a Lambda source', 'Use a Lambda function already added')
    cli.pick('Choose the Lambda function to invoke by this path', 'lpworker')
    cli.confirm('Restrict API access', True)
    cli.pick('Restrict access by', 'Auth/Guest Users')
    cli.pick('Who should have access', 'Authenticated users only')
    cli.multi('grant to Authenticated users', ['read'])
    cli.confirm(r'add another path\? \(y/N\) ‣', False)


def pinpoint(cli):
    cli.pick('Select an Analytics provider', 'Amazon Pinpoint')
    cli.text('Provide your pinpoint resource name', 'lppinpoint')


def kinesis(cli):
    cli.pick('Select an Analytics provider', 'Amazon Kinesis Streams')
    cli.text('Enter a Stream name', 'lpkinesis')
    cli.text('Enter number of shards', '1')


def hosting(cli):
    cli.pick('Select the plugin module to execute', 'Amazon CloudFront and S3')
    cli.text('hosting bucket name', 'lpfull-hosting-example')


def hosting_site(cli):
    cli.pick('Select the plugin module to execute', 'Amazon CloudFront and S3')
    cli.text('hosting bucket name', 'lphosting-site-example')


def amplifyhosting(cli):
    # checks with Amplify ListBranches that the app has no branch yet (fake-aws.py answers)
    cli.pick('Select the plugin module to execute', 'Hosting with Amplify Console')
    cli.pick('Choose a type', 'Manual deployment')


def import_dynamodb(cli):
    # lists and describes the account's tables (moto, with the tables of preload.py)
    cli.pick('Select from one of the below mentioned services', 'DynamoDB')
    # lpimporttable is the account's only table: the CLI picks it without asking


def predictions_labels(cli):
    cli.pick('select from one of the categories below', 'Identify')
    cli.pick('What would you like to identify', 'Identify Labels')
    cli.text('Provide a friendly name for your resource', 'lplabels')
    cli.pick('use the default configuration', 'Default Configuration')
    cli.pick('Who should have access', 'Auth and Guest users')


def predictions_translate(cli):
    cli.pick('select from one of the categories below', 'Convert')
    cli.pick('What would you like to convert', 'Translate text')
    cli.text('Provide a friendly name for your resource', 'lptranslate')
    cli.pick('What is the source language', 'English')
    cli.pick('What is the target language', 'French')
    cli.pick('Who should have access', 'Auth users only')


def predictions_speech(cli):
    # lists Polly voices: needs the fake AWS endpoint (fake-aws.py)
    cli.pick('select from one of the categories below', 'Convert')
    cli.pick('What would you like to convert', 'Generate speech audio')
    cli.text('Provide a friendly name for your resource', 'lpspeech')
    cli.pick('What is the source language', 'US English')
    cli.pick('Select a speaker', 'Joanna')
    cli.pick('Who should have access', 'Auth and Guest users')


def predictions_interpret(cli):
    cli.pick('select from one of the categories below', 'Interpret')
    cli.text('Provide a friendly name for your resource', 'lpinterpret')
    cli.pick('What kind of interpretation would you like', 'All')
    cli.pick('Who should have access', 'Auth users only')


def custom_cfn(cli):
    cli.pick('How do you want to define this custom resource', 'AWS CloudFormation')
    cli.text('Provide a name for your custom resource', 'lpcustomcfn')
    cli.confirm('access Amplify generated resources in your custom CloudFormation file', True)
    cli.multi('Select the categories you want this custom resource to have access to', ['storage'])
    cli.multi('Storage has 2 resources in this project', ['lptable'])
    cli.confirm('edit the CloudFormation stack now', False)


def custom_cdk(cli):
    cli.pick('How do you want to define this custom resource', 'AWS CDK')
    cli.text('Provide a name for your custom resource', 'lpcdkstack')
    # the CLI builds the skeleton at once: npm install (aws-cdk-lib, from the npm registry or its
    # cache), tsc, synth into build/; minutes with an empty npm cache
    cli.c.timeout = int(os.environ.get('DRIVE_BUILD_TIMEOUT', '900'))
    cli.confirm('edit the CDK stack now', False)


def geo_place(cli):
    cli.pick('Select which capability you want to add', 'Location search')
    cli.text('Provide a name for the location search index', 'lpplaces')
    cli.pick('Restrict access by', 'Both')
    cli.pick('Who can access this search index', 'Authorized and Guest users')
    cli.multi('Select one or more cognito groups', ['admins'])
    cli.confirm('configure advanced settings', False)


def geo_fence(cli):
    cli.pick('Select which capability you want to add', 'Geofencing')
    cli.text('Provide a name for the Geofence Collection', 'lpfences')
    cli.multi('Select one or more cognito groups', ['admins', 'editors'])
    cli.multi('access do you want for admins users',
              ['Read geofence', 'Create/Update geofence', 'Delete geofence', 'List geofences'])
    cli.multi('access do you want for editors users', ['Read geofence', 'List geofences'])


STEPS = {
    'dynamodb': (['add', 'storage'], dynamodb),
    'rest': (['add', 'api'], rest),
    'pinpoint': (['add', 'analytics'], pinpoint),
    'kinesis': (['add', 'analytics'], kinesis),
    'hosting': (['add', 'hosting'], hosting),
    'hosting-site': (['add', 'hosting'], hosting_site),
    'amplifyhosting': (['add', 'hosting'], amplifyhosting),
    'import-dynamodb': (['import', 'storage'], import_dynamodb),
    'predictions-labels': (['add', 'predictions'], predictions_labels),
    'predictions-translate': (['add', 'predictions'], predictions_translate),
    'predictions-speech': (['add', 'predictions'], predictions_speech),
    'predictions-interpret': (['add', 'predictions'], predictions_interpret),
    'custom-cfn': (['add', 'custom'], custom_cfn),
    'custom-cdk': (['add', 'custom'], custom_cdk),
    'geo-place': (['add', 'geo'], geo_place),
    'geo-fence': (['add', 'geo'], geo_fence),
}


def main():
    project, step = sys.argv[1], sys.argv[2]
    args, fn = STEPS[step]
    cli = Cli(args, cwd=project)
    fn(cli)
    cli.done()


if __name__ == '__main__':
    main()
