import { describe, expect, it } from 'vitest';
import { Scalar } from 'yaml';
import { loadYaml } from '../../yaml/load.js';
import { scriptLocation } from '../../shell/location.js';
import { commandWords, shellCommands } from '../../shell/words.js';
import { conditionGate } from './gates.js';
import { executionOf } from './workspace-execution.js';
import { normalizeWorkspacePath, OUTSIDE } from './workspace.js';
import { scriptEvents } from './script-events.js';
import { untrustedRefIn, type RefScope } from './untrusted-refs.js';

const words = (s: string): string[][] => shellCommands(s).map((c) => c.words);
const execs = (s: string, cwd = ''): string[] =>
  shellCommands(s).flatMap((c) => {
    const e = executionOf(c, cwd);
    return e ? [`${e.what} @${e.targets.join(',')}`] : [];
  });
const scope = (triggers: string[], env: Record<string, string> = {}): RefScope => ({
  steps: [],
  env: [Object.entries(env).map(([key, text]) => ({ key, text, keyNode: new Scalar(key), value: new Scalar(text) }))],
  triggers: new Set(triggers),
});
const gate = (cond: string, events = ['pull_request_target']): string => conditionGate(new Scalar(cond), new Set(events)).kind;

describe('shellCommands', () => {
  it('splits on separators, keeps quoted words and templates whole, skips comments and heredocs', () => {
    expect(words('a "b c" && d | e; f # npm ci\ncat <<EOF\nnpm ci\nEOF\ng ${{ x.y }} \'h i\'')).toEqual([
      ['a', 'b c'], ['d'], ['e'], ['f'], ['cat'], ['g', '${{ x.y }}', 'h i'],
    ]);
  });
  it('treats $( ) and backticks as commands of their own, joins continued lines', () => {
    expect(words('echo $(make build) `npm test`\nfoo \\\n  bar')).toEqual([['echo'], ['make', 'build'], ['npm', 'test'], ['foo', 'bar']]);
  });
  it('does not take text inside quotes for commands', () => {
    expect(execs('echo "run npm install then make"')).toEqual([]);
  });
  it('strips wrappers and assignments', () => {
    expect(commandWords(['CI=1', 'sudo', '-E', 'make'])).toEqual(['-E', 'make']);
    expect(commandWords(['env', 'A=1', 'timeout', '5', 'npm', 'ci'])).toEqual(['npm', 'ci']);
  });
});

describe('executionOf', () => {
  it('recognises build tools, package managers and workspace scripts', () => {
    expect(execs('npm ci\nyarn\npnpm -C web install\nmake -C sub\n./build.sh\nbash scripts/t.sh\npython setup.py install\npip install -e .\ngo test ./...\ndocker build -t x sub')).toEqual([
      'npm ci @', 'yarn @', 'pnpm install @web', 'make @sub', './build.sh @build.sh', 'bash scripts/t.sh @scripts/t.sh', 'python setup.py @setup.py',
      'pip install @', 'go test @', 'docker build @sub',
    ]);
  });
  it('ignores registry installs and tools that do not run project code', () => {
    expect(execs('npm i -g yarn\npip install requests==2.0 pytest\ngo install golang.org/x/tools/cmd/goimports@latest\ncargo fmt --check\nyarn --version\necho make\ngit status\nbash -c "echo hi"')).toEqual([]);
  });
  it('sees `| sh` only when it reads a pipe', () => {
    expect(execs('cat x | sh')).toEqual(['| sh @']);
    expect(execs('sh')).toEqual([]);
  });
});

describe('scriptEvents', () => {
  it('tracks cd and run-based PR checkouts', () => {
    const ev = scriptEvents('gh pr checkout 12\ncd web && npm ci', '', scope(['issue_comment']));
    expect(ev.map((e) => (e.kind === 'exec' ? `exec ${e.exec.what} @${e.cwd}` : `co ${e.what} @${e.path}`))).toEqual(['co gh pr checkout @', 'exec npm ci @web']);
  });
  it('needs a checkout after fetching a pull ref', () => {
    const s = scope(['pull_request_target']);
    expect(scriptEvents('git fetch origin pull/1/head:pr', '', s)).toEqual([]);
    expect(scriptEvents('git fetch origin pull/1/head:pr\ngit checkout pr', '', s).map((e) => e.kind)).toEqual(['checkout-untrusted']);
    expect(scriptEvents('git checkout "$HEAD"', '', scope(['pull_request_target'], { HEAD: '${{ github.event.pull_request.head.sha }}' })).map((e) => e.kind)).toEqual(['checkout-untrusted']);
  });
});

describe('untrustedRefIn', () => {
  it('knows PR head references per trigger', () => {
    expect(untrustedRefIn('${{ github.event.pull_request.head.sha }}', scope(['pull_request_target']))?.what).toBe('github.event.pull_request.head.sha');
    expect(untrustedRefIn('${{ github.event.pull_request.head.sha }}', scope(['workflow_run']))).toBeUndefined();
    expect(untrustedRefIn('refs/pull/${{ github.event.issue.number }}/merge', scope(['issue_comment']))?.what).toBe('refs/pull/<number>');
    expect(untrustedRefIn('${{ github.event.pull_request.base.sha }}', scope(['pull_request_target']))).toBeUndefined();
    expect(untrustedRefIn("${{ github.event.pull_request.head.sha == 'x' }}", scope(['pull_request_target']))).toBeUndefined();
  });
});

describe('conditionGate', () => {
  it('recognises conditions outsiders cannot meet', () => {
    expect(gate('github.event.pull_request.head.repo.full_name == github.repository')).toBe('trusted');
    expect(gate('${{ github.repository == github.event.pull_request.head.repo.full_name }}')).toBe('trusted');
    expect(gate('!github.event.pull_request.head.repo.fork')).toBe('trusted');
    expect(gate("github.event.pull_request.author_association == 'MEMBER' || github.event.pull_request.author_association == 'OWNER'")).toBe('trusted');
    expect(gate("github.event_name == 'pull_request'", ['pull_request_target'])).toBe('trusted');
    expect(gate("github.event.workflow_run.event == 'push'", ['workflow_run'])).toBe('trusted');
    expect(gate('github.event.pull_request.merged')).toBe('trusted');
  });
  it('recognises maintainer actions as a weaker gate', () => {
    expect(gate("contains(github.event.pull_request.labels.*.name, 'safe to test')")).toBe('maintainer');
    expect(gate("github.actor == 'dependabot[bot]'")).toBe('maintainer');
    expect(gate("contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.comment.author_association)", ['issue_comment'])).toBe('maintainer');
  });
  it('does not mistake anyone-can-satisfy conditions for gates', () => {
    expect(gate("github.event.issue.pull_request && contains(github.event.comment.body, '/test')", ['issue_comment'])).toBe('none');
    expect(gate('github.event.pull_request.head.repo.full_name != github.repository')).toBe('none');
    expect(gate("github.repository_owner == 'acme'")).toBe('none');
    expect(gate("github.event.pull_request.head.repo.full_name == github.repository || contains(github.event.comment.body, 'x')")).toBe('none');
    expect(gate("github.event_name == 'pull_request_target'")).toBe('none');
  });
});

describe('normalizeWorkspacePath', () => {
  it('maps workspace spellings to relative paths and the rest outside', () => {
    expect(normalizeWorkspacePath('./a/b/')).toBe('a/b');
    expect(normalizeWorkspacePath('${{ github.workspace }}/pr')).toBe('pr');
    expect(normalizeWorkspacePath('$GITHUB_WORKSPACE')).toBe('');
    expect(normalizeWorkspacePath('${{ runner.temp }}/x')).toBe(OUTSIDE);
    expect(normalizeWorkspacePath('../x', 'a')).toBe('x');
  });
});

describe('scriptLocation', () => {
  it('maps script offsets to file columns through quote escapes and block indentation', () => {
    const text = 'a: "echo \\"x\\"; make"\nb: |\n  one\n  two make\n';
    const loaded = loadYaml('f.yml', text);
    const map = loaded.doc!.contents as unknown as { items: Array<{ value: Scalar }> };
    const [a, b] = [map.items[0]!.value, map.items[1]!.value];
    const at = (sc: Scalar, needle: string) => {
      const l = scriptLocation(loaded.source, sc, String(sc.value).indexOf(needle));
      return `${l.startLine}:${l.startColumn}`;
    };
    expect(at(a, 'make')).toBe(`1:${text.indexOf('make') + 1}`);
    expect(at(b, 'two')).toBe('4:3');
  });
});
