import { describe, expect, it } from 'vitest';
import { isScalar, type Scalar } from 'yaml';
import { loadYaml } from '../yaml/load.js';
import { YamlView } from '../yaml/nodes.js';
import { commandName, downloadExecs, parseScript, ScalarText, splitCode, statementsOf } from './script.js';
import { fileCommandWrites } from '../platforms/github/file-commands.js';
import { readCondition } from '../platforms/github/conditions.js';

function scalarAt(text: string, key: string): { text: ScalarText; scalar: Scalar } {
  const loaded = loadYaml('x.yml', text);
  const y = new YamlView(loaded.doc!);
  const node = y.get(loaded.doc!.contents, key);
  if (!isScalar(node)) throw new Error('not a scalar');
  return { text: new ScalarText(loaded.source, node), scalar: node };
}

/** `line:col` of value offset i. */
function pos(t: ScalarText, i: number): string {
  const l = t.location(i, i + 1);
  return `${l.startLine}:${l.startColumn}`;
}

describe('ScalarText', () => {
  it('maps literal block lines exactly, blank and more-indented lines included', () => {
    const { text } = scalarAt('run: |\n  echo a\n\n    echo b\n  echo c\n', 'run');
    expect(text.value).toBe('echo a\n\n  echo b\necho c\n');
    expect(pos(text, 0)).toBe('2:3');
    expect(pos(text, text.value.indexOf('echo b'))).toBe('4:5');
    expect(pos(text, text.value.indexOf('echo c'))).toBe('5:3');
  });

  it('aligns plain, quoted and folded scalars', () => {
    expect(pos(scalarAt('run: echo hi', 'run').text, 5)).toBe('1:11');
    const dq = scalarAt('run: "a \\"b\\" c"', 'run').text;
    expect(dq.value).toBe('a "b" c');
    expect(pos(dq, 6)).toBe('1:15');
    const folded = scalarAt('run: >-\n  echo a\n  && echo b\n', 'run').text;
    expect(folded.value).toBe('echo a && echo b');
    expect(pos(folded, folded.value.indexOf('&&'))).toBe('3:3');
  });
});

describe('parseScript', () => {
  it('joins continuations, blanks comments and templates, and marks here-documents', () => {
    const s = parseScript('echo a \\\n  b # note\ncat <<EOF >> f\n# data\nEOF\necho "#not" ${{ x }}', 'bash');
    expect(s.lines.map((l) => [l.code.trim().replace(/\s+/g, ' '), l.heredoc?.terminator])).toEqual([
      ['echo a b', undefined],
      ['cat <<EOF >> f', undefined],
      ['# data', false],
      ['EOF', true],
      ['echo "#not" ________', undefined],
    ]);
  });

  it('splits statements and pipelines outside quotes, substitutions and templates', () => {
    expect(splitCode('a "x;y" && b $(c; d) || e; f & g', 'statements').length).toBe(5);
    expect(splitCode('curl x | sh || true', 'pipeline').length).toBe(2);
    const s = parseScript('echo "${{ a || b }}" && echo c', 'bash');
    expect(statementsOf(s).map((st) => st.text)).toEqual(['echo "${{ a || b }}"', 'echo c']);
  });
});

describe('fileCommandWrites', () => {
  it('finds redirects, tee and cmdlets but not reads', () => {
    const bash = parseScript('echo A=1 >> "$GITHUB_ENV"\necho x | tee -a ${GITHUB_PATH}\ncat $GITHUB_ENV\ngrep A "$GITHUB_ENV"', 'bash');
    expect(fileCommandWrites(bash).map((w) => `${w.file}:${w.via}`)).toEqual(['GITHUB_ENV:redirect', 'GITHUB_PATH:tee']);
    const pwsh = parseScript('"A=1" | Out-File -FilePath $env:GITHUB_ENV -Append\nGet-Content $env:GITHUB_ENV', 'pwsh');
    expect(fileCommandWrites(pwsh).map((w) => `${w.file}:${w.via}`)).toEqual(['GITHUB_ENV:cmdlet']);
  });

  it('collects group and here-document payloads', () => {
    const s = parseScript('{\n  echo a\n  echo b\n} >> "$GITHUB_ENV"\ncat <<EOF >> $GITHUB_ENV\nX=1\nEOF', 'bash');
    expect(fileCommandWrites(s).map((w) => w.payload.map((p) => p.text.trim()))).toEqual([
      ['} >> "$GITHUB_ENV"', 'echo a', 'echo b'],
      ['cat <<EOF >> $GITHUB_ENV', 'X=1'],
    ]);
  });
});

describe('downloadExecs', () => {
  it('does not mistake an interpreter that does not read the download for execution', () => {
    expect(downloadExecs(parseScript('curl -s https://x | python3 -m json.tool', 'bash'))).toEqual([]);
    expect(downloadExecs(parseScript('curl -s https://x | tee out.sh', 'bash'))).toEqual([]);
  });
});

describe('readCondition', () => {
  it('evaluates a value that is exactly one template, and treats anything else with templates as a string', () => {
    expect(readCondition('${{ a }}').kind).toBe('expression');
    expect(readCondition('a == b').kind).toBe('expression');
    expect(readCondition('${{ a }}\n').kind).toBe('interpolated');
    expect(readCondition(' ${{ a }}').kind).toBe('interpolated');
    expect(readCondition('${{ a }} && ${{ b }}').kind).toBe('interpolated');
    expect(readCondition('a ==').kind).toBe('invalid');
    expect(readCondition('').kind).toBe('empty');
  });
});

describe('commandName', () => {
  it('skips sudo, env, assignments and their flags, and drops a path and a leading backslash', () => {
    expect(commandName('  curl -fsSL https://x.example/a.sh')).toBe('curl');
    expect(commandName('sudo -E env FOO=1 BAR=2 /usr/local/bin/bash -s')).toBe('bash');
    expect(commandName('sudo -u root -H python3 x.py')).toBe('root');
    expect(commandName('env -i -- node x.js')).toBe('node');
    expect(commandName('time nohup exec command \\wget -q')).toBe('wget');
    expect(commandName('-x sudo')).toBe('-x');
    expect(commandName('A=1')).toBe('');
    expect(commandName(' \t ')).toBe('');
  });
});
