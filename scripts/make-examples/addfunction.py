"""usage: python3 addfunction.py PROJECT_DIR SPEC_JSON
Adds a Lambda function or layer with the real CLI's `amplify add function` prompts.

SPEC (JSON): {"name": "fn", "template": "Hello World",
              "access": {"storage": {"lptable": ["read", "update"]}, "auth": {"lpauth": ["read"]}},
              "schedule": "0 3 * * ? *", "layers": ["lpfulllplayer"], "env": {"KEY": "value"},
              "secrets": {"NAME": "value"}}   (secrets are stored in SSM at once: needs moto)
or a layer: {"layer": "lplayer", "runtime": "NodeJS", "accounts": "210987654321"}
Extra template prompts (e.g. the DynamoDB table of a CRUD template) go in "template_answers":
a list of [kind, pattern, answer] with kind one of pick/text/confirm/multi.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drive import Cli  # noqa: E402


def answer(cli, kind, pattern, value):
    if kind == 'pick':
        cli.pick(pattern, value)
    elif kind == 'text':
        cli.text(pattern, value)
    elif kind == 'confirm':
        cli.confirm(pattern, value)
    elif kind == 'multi':
        cli.multi(pattern, value)
    elif kind == 'enter':
        cli.enter(pattern)
    else:
        raise ValueError(kind)


def add_layer(cli, spec):
    cli.pick('Select which capability', 'Lambda layer')
    cli.text('Provide a name for your Lambda layer', spec['layer'])
    cli.pick('Choose the runtime', spec.get('runtime', 'NodeJS'))
    if spec.get('accounts'):
        cli.multi('configure who else can access this layer', ['Specific AWS accounts'])
        cli.text('comma-separated AWS account IDs', spec['accounts'])
    else:
        cli.multi('configure who else can access this layer', [])


def add_function(cli, spec):
    cli.pick('Select which capability', 'Lambda function')
    cli.text('Provide an AWS Lambda function name', spec['name'])
    cli.pick('Choose the runtime', spec.get('runtime', 'NodeJS'))
    cli.pick('Choose the function template', spec.get('template', 'Hello World'))
    for kind, pattern, value in spec.get('template_answers', []):
        answer(cli, kind, pattern, value)
    advanced = any(k in spec for k in ('access', 'schedule', 'layers', 'env', 'secrets'))
    cli.confirm('configure advanced settings', advanced)
    if advanced:
        access = spec.get('access') or {}
        cli.confirm('access other resources in this project', bool(access))
        if access:
            cli.multi('Select the categories you want this function to have access to', list(access))
            pending = {r: ops for cat in access.values() for r, ops in cat.items()}
            while pending:
                i = cli.c.expect([r'(\w+) has \d+ resources in this project. Select the one you would like your Lambda to access \(Press',
                                  r'Select the operations you want to permit on (\S+) \(Press'])
                if i == 0:
                    cat = cli.c.match.group(1).lower()
                    cli.multi('', list(access[cat]))
                else:
                    res = cli.c.match.group(1)
                    ops = pending.pop(res)
                    cli.multi('', ops)
        sched = spec.get('schedule')
        cli.confirm('invoke this function on a recurring schedule', bool(sched))
        if sched:
            cli.pick('At which interval should the function be invoked', 'Custom AWS cron expression')
            cli.text('Custom Schedule expression', sched)
        layers = spec.get('layers')
        cli.confirm('enable Lambda layers for this function', bool(layers))
        if layers:
            cli.multi('select layers in this project', layers)
            # a version prompt appears only for layers that the (fake, empty) cloud knows
            while cli.c.expect(['Select a version for', 'configure environment variables']) == 0:
                cli.pick('', 'Always choose latest version')
            cli.c.buffer = cli.c.after + cli.c.buffer
        env = spec.get('env') or {}
        cli.confirm('configure environment variables for this function', bool(env))
        items = list(env.items())
        for i, (k, v) in enumerate(items):
            if i:
                cli.pick('Select what you want to do with environment variables', 'Add new environment variable')
            cli.text('Enter the environment variable name', k)
            cli.text('Enter the environment variable value', v)
        if items:
            cli.pick('Select what you want to do with environment variables', "I'm done")
        secrets = list((spec.get('secrets') or {}).items())
        cli.confirm('configure secret values', bool(secrets))
        for i, (k, v) in enumerate(secrets):
            if i:
                cli.pick('What do you want to do', 'Add a secret')
            cli.text('Enter a secret name', k)
            cli.text('Enter the value for %s' % k, v)
        if secrets:
            cli.pick('What do you want to do', "I'm done")
        cli.pick('Choose the package manager', 'NPM')
    cli.confirm('edit the local', False)


def main():
    project, spec = sys.argv[1], json.loads(sys.argv[2])
    cli = Cli(['add', 'function'], cwd=project)
    if 'layer' in spec:
        add_layer(cli, spec)
    else:
        add_function(cli, spec)
    cli.done()


if __name__ == '__main__':
    main()
