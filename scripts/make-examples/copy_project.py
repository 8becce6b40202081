"""usage: python3 copy_project.py PROJECT_DIR DEST_DIR
Copies PROJECT_DIR/amplify to DEST_DIR/amplify for a committed example:
- skips node_modules anywhere, amplify/#current-cloud-backend, .temp, mock-data, logs, and
  *.zip bundles (the @searchable streaming Lambda zip is 14 MB; templates only name its S3 key);
- rewrites the project's absolute path to "." (local-env-info.json projectPath) and fails if
  any absolute machine path is left (MACHINE_PATH below);
- sets every "lastPushTimeStamp" in amplify-meta.json to a fixed time, so reruns differ less.
"""
import json
import os
import re
import shutil
import sys

SKIP_DIRS = {'node_modules', '#current-cloud-backend', '.temp', 'mock-data', 'logs'}
SKIP_SUFFIXES = ('.zip',)
FIXED_TIME = '2000-01-01T00:00:00.000Z'
# an absolute path starts a string or word ("node_modules/tmp/" in a lockfile is not one)
MACHINE_PATH = re.compile(r'(?<![\w.@~-])/(tmp|work|root|home)/')


def main():
    src_project, dest = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    src = os.path.join(src_project, 'amplify')
    out = os.path.join(dest, 'amplify')
    if os.path.exists(out):
        shutil.rmtree(out)
    real = os.path.realpath(src_project)
    bad = []
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(out, rel), exist_ok=True)
        for fn in sorted(files):
            if fn.endswith(SKIP_SUFFIXES):
                continue
            sp, dp = os.path.join(root, fn), os.path.join(out, rel, fn)
            with open(sp, 'rb') as f:
                data = f.read()
            try:
                text = data.decode('utf-8')
            except UnicodeDecodeError:
                shutil.copyfile(sp, dp)
                continue
            if fn == 'local-env-info.json':
                d = json.loads(text)
                d['projectPath'] = '.'
                text = json.dumps(d, indent=2) + '\n'
            for p in {src_project, real}:
                text = text.replace(p + '/', '').replace(p, '.')
            if fn == 'amplify-meta.json':
                text = re.sub(r'("lastPushTimeStamp":\s*)"[^"]*"', r'\1"%s"' % FIXED_TIME, text)
            if MACHINE_PATH.search(text):
                bad.append(os.path.relpath(dp, dest))
            with open(dp, 'w', encoding='utf-8') as f:
                f.write(text)
    if bad:
        sys.exit('absolute machine paths left in: %s' % ', '.join(bad))


if __name__ == '__main__':
    main()
