"""Small pexpect helpers to answer the real Amplify CLI's interactive prompts.

Both prompt libraries the CLI uses (inquirer and enquirer, via amplify-prompts) draw the
highlighted choice of a list with a '❯' pointer, so `pick` and `multi` move the cursor with
arrow keys until the pointer line shows the wanted text, instead of counting positions.
"""
import os
import re
import sys
import time

import pexpect

ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\x07')
DOWN = '\x1b[B'
CTRL_U = '\x15'
GAP = r'(?:\s|\x1b\[[0-9;?]*[A-Za-z])+'
SELECTED_MARKS = ('◉', '●', '✔', '☑', '[x]')  # inquirer ◉/◯, enquirer ●/○


def clean(s):
    return ANSI.sub('', s or '')


class StepError(RuntimeError):
    pass


class Cli:
    def __init__(self, args, cwd, timeout=int(os.environ.get('DRIVE_TIMEOUT', '60')), amplify='amplify'):
        self.args = args
        self.c = pexpect.spawn(amplify, args, cwd=cwd, encoding='utf-8', timeout=timeout,
                               dimensions=(60, 250), env=os.environ.copy())
        log = os.environ.get('DRIVE_LOG')
        self.c.logfile_read = open(log, 'a') if log else None
        self.debug = bool(os.environ.get('DRIVE_DEBUG'))

    # -- low level -------------------------------------------------------------------------
    def _fail(self, what):
        tail = clean(self.c.before if isinstance(self.c.before, str) else '')[-3000:]
        raise StepError('amplify %s: %s\n--- last output ---\n%s' % (' '.join(self.args), what, tail))

    @staticmethod
    def _tolerant(pattern):
        # a space in a pattern also matches the colour/cursor escapes drawn between words
        return pattern.replace(' ', GAP) if isinstance(pattern, str) else pattern

    def wait(self, pattern, timeout=-1):
        try:
            self.c.expect(self._tolerant(pattern), timeout=timeout)
        except pexpect.TIMEOUT:
            err = 'timed out waiting for %r' % (pattern,)
        except pexpect.EOF:
            err = 'exited while waiting for %r' % (pattern,)
        else:
            err = None
        if err:
            self._fail(err)
        if self.debug:
            sys.stderr.write('[drive] matched %r\n' % (pattern,))

    def drain(self, quiet=0.35, limit=5.0):
        """Read what the CLI prints until it is quiet for `quiet` seconds (pexpect's unread
        buffer included)."""
        out = self.c.buffer
        self.c.buffer = ''
        end = time.time() + limit
        while time.time() < end:
            try:
                out += self.c.read_nonblocking(65536, timeout=quiet)
            except pexpect.TIMEOUT:
                break
            except pexpect.EOF:
                break
        return clean(out)

    def send(self, keys):
        self.c.send(keys)

    # -- prompt answers --------------------------------------------------------------------
    def text(self, pattern, value):
        """Free-text prompt: clear the default and type value."""
        self.wait(pattern)
        self.drain(0.3)
        self.send(CTRL_U + value + '\r')

    def enter(self, pattern):
        """Accept the default answer."""
        self.wait(pattern)
        self.drain(0.3)
        self.send('\r')

    def confirm(self, pattern, yes):
        self.wait(pattern)
        self.drain(0.3)
        self.send(('y' if yes else 'n') + '\r')

    @staticmethod
    def _pointer_line(screen):
        lines = [l for l in screen.split('\n') if '❯' in l and not l.lstrip().startswith('?')]
        return lines[-1].strip() if lines else None

    @staticmethod
    def _label(line):
        return re.sub('[❯◉◯●○✔☑☐]|\\[x\\]|\\[ \\]', '', line or '').strip()

    def _first_pointer(self, pattern):
        self.wait(pattern)
        screen = (self.c.after if isinstance(self.c.after, str) else '') + self.drain()
        current = self._pointer_line(clean(screen))
        for _ in range(10):
            if current is not None:
                return current
            current = self._pointer_line(self.drain(0.5))
        self._fail('no list shown after %r' % (pattern,))

    def _move(self, current):
        self.send(DOWN)
        return self._pointer_line(self.drain(0.25)) or current

    def pick(self, pattern, choice, max_moves=60):
        """List prompt: move down until the highlighted line contains `choice`, press enter."""
        current = self._first_pointer(pattern)
        seen = []
        for _ in range(max_moves):
            if self.debug:
                sys.stderr.write('[drive] pointer at %r\n' % (current,))
            if choice in current:
                self.send('\r')
                return
            if self._label(current) in seen:
                break
            seen.append(self._label(current))
            current = self._move(current)
        self._fail('choice %r not found in list (saw %r)' % (choice, seen))

    def multi(self, pattern, choices, max_moves=80):
        """Checkbox prompt: end with exactly `choices` selected (substring match), press enter."""
        current = self._first_pointer(pattern)
        visited = []
        for _ in range(max_moves):
            if self.debug:
                sys.stderr.write('[drive] pointer at %r\n' % (current,))
            key = self._label(current)
            if key in visited:
                break
            visited.append(key)
            want = any(ch in key for ch in choices)
            have = any(m in current for m in SELECTED_MARKS)
            if want != have:
                self.send(' ')
                self.drain(0.25)
            nxt = self._move(current)
            if self._label(nxt) == key:
                break  # the list does not wrap: at its end
            current = nxt
        missing = [c for c in choices if not any(c in v for v in visited)]
        if missing:
            self._fail('choices %r not found in checkbox list (saw %r)' % (missing, visited))
        self.send('\r')

    def done(self, timeout=300):
        try:
            self.c.expect(pexpect.EOF, timeout=timeout)
        except pexpect.TIMEOUT:
            self._fail('did not exit')
        self.c.close()
        if self.c.exitstatus:
            raise StepError('amplify %s exited with %s\n%s' % (' '.join(self.args), self.c.exitstatus,
                                                              clean(self.c.before)[-3000:]))
