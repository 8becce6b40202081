"""usage: python3 summary.py EXAMPLE_DIR...
Prints, per example, the category/resource service entries of backend-config.json and every
CloudFormation template (JSON or YAML file with a top-level Resources key) under amplify/backend,
with its resource types and counts."""
import collections
import json
import os
import re
import sys


def load(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if path.endswith('.json'):
        try:
            return json.loads(text)
        except ValueError:
            return None
    if path.endswith(('.yml', '.yaml')) and re.search(r'^Resources:', text, re.M):
        # no YAML library needed: count "Type: AWS::..." lines under Resources
        types = re.findall(r'^\s+Type:\s*["\']?([A-Za-z0-9:]+)', text.split('\nResources:', 1)[1], re.M)
        return {'Resources': {str(i): {'Type': t} for i, t in enumerate(types)}}
    return None


def main():
    for ex in sys.argv[1:]:
        backend = os.path.join(ex, 'amplify', 'backend')
        print('## %s' % ex)
        cfg = json.load(open(os.path.join(backend, 'backend-config.json')))
        for cat in sorted(cfg):
            for res in sorted(cfg[cat]):
                v = cfg[cat][res]
                if isinstance(v, dict) and 'service' in v:
                    print('  %s/%s %s' % (cat, res, v['service']))
        print('  templates:')
        for root, dirs, files in os.walk(backend):
            dirs[:] = sorted(d for d in dirs if d != 'node_modules')
            for fn in sorted(files):
                p = os.path.join(root, fn)
                doc = load(p) if fn.endswith(('.json', '.yml', '.yaml')) else None
                if isinstance(doc, dict) and isinstance(doc.get('Resources'), dict):
                    c = collections.Counter(r.get('Type', '?') for r in doc['Resources'].values() if isinstance(r, dict))
                    print('    %s -> %s' % (os.path.relpath(p, backend),
                                            ', '.join('%s x%d' % (t, n) for t, n in sorted(c.items())) or '(no resources)'))
        print()


if __name__ == '__main__':
    main()
