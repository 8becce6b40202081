"""A tiny stand-in for the few read-only AWS calls that some `amplify add` walkthroughs make
(Lambda layer versions, Polly voices, Amplify branches), and the SSM writes of function secrets.

The real CLI is pointed at it with AWS_ENDPOINT_URL (AWS SDK v3 honours it), so nothing leaves
the machine. It answers as an AWS account with nothing deployed yet; any other call gets an
error, and every request is logged to stderr.
usage: python3 fake-aws.py PORTFILE   (binds 127.0.0.1 on a free port, writes it to PORTFILE)
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/'


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        sys.stderr.write('fake-aws: ' + (fmt % args) + '\n')

    def reply(self, code, body, ctype):
        data = body.encode()
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.send_header('x-amzn-RequestId', '00000000-0000-0000-0000-000000000000')
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n).decode('utf-8', 'replace') if n else ''
        target = self.headers.get('X-Amz-Target', '')
        sys.stderr.write('fake-aws: %s %s target=%s body=%s\n' % (self.command, self.path, target, body[:300]))
        # Lambda (REST JSON): ListLayerVersions
        if self.command == 'GET' and '/layers/' in self.path and self.path.split('?')[0].endswith('/versions'):
            return self.reply(200, json.dumps({'LayerVersions': []}), 'application/json')
        # SSM (JSON protocol): function secrets are written when a function is added; accept and forget them
        if target.startswith('AmazonSSM.'):
            op = target.split('.', 1)[1]
            answers = {'PutParameter': {'Version': 1, 'Tier': 'Standard'}, 'GetParametersByPath': {'Parameters': []},
                       'GetParameters': {'Parameters': [], 'InvalidParameters': []}, 'DeleteParameter': {},
                       'DeleteParameters': {'DeletedParameters': [], 'InvalidParameters': []}}
            if op in answers:
                return self.reply(200, json.dumps(answers[op]), 'application/x-amz-json-1.1')
        # Amplify: ListBranches (`amplify add hosting` with the Amplify Console checks the app has no branch yet)
        if self.command == 'GET' and self.path.split('?')[0].endswith('/branches') and self.path.startswith('/apps/'):
            return self.reply(200, json.dumps({'branches': []}), 'application/json')
        # Polly: DescribeVoices (the speech walkthrough lists languages and voices)
        if self.command == 'GET' and self.path.split('?')[0] == '/v1/voices':
            voices = [{'Id': 'Joanna', 'Name': 'Joanna', 'Gender': 'Female', 'LanguageCode': 'en-US',
                       'LanguageName': 'US English', 'SupportedEngines': ['neural', 'standard']},
                      {'Id': 'Matthew', 'Name': 'Matthew', 'Gender': 'Male', 'LanguageCode': 'en-US',
                       'LanguageName': 'US English', 'SupportedEngines': ['neural', 'standard']},
                      {'Id': 'Celine', 'Name': 'Celine', 'Gender': 'Female', 'LanguageCode': 'fr-FR',
                       'LanguageName': 'French', 'SupportedEngines': ['standard']}]
            return self.reply(200, json.dumps({'Voices': voices}), 'application/json')
        # CloudFormation (query protocol)
        form = parse_qs(body)
        action = (form.get('Action') or [''])[0]
        if action == 'ListStackResources':
            xml = ('<ListStackResourcesResponse xmlns="%s"><ListStackResourcesResult><StackResourceSummaries/>'
                   '</ListStackResourcesResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata>'
                   '</ListStackResourcesResponse>') % CFN_NS
            return self.reply(200, xml, 'text/xml')
        if target.endswith('.GetBots') or self.path.startswith('/bots/?') or self.path == '/bots/':
            return self.reply(200, json.dumps({'bots': []}), 'application/json')
        if action:
            xml = ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>InvalidAction</Code>'
                   '<Message>fake-aws does not serve %s</Message></Error><RequestId>0</RequestId></ErrorResponse>') % (CFN_NS, action)
            return self.reply(400, xml, 'text/xml')
        return self.reply(400, json.dumps({'__type': 'InvalidAction', 'message': 'fake-aws does not serve this call'}),
                          'application/json')

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


if __name__ == '__main__':
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    with open(sys.argv[1], 'w') as f:
        f.write(str(srv.server_address[1]))
    srv.serve_forever()
