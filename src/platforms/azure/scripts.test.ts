import { describe, expect, it } from 'vitest';
import { memoryReader } from '../../audits/azure/testing.js';
import type { AzureModel } from './model.js';
import { buildAzureModel } from './parse.js';
import { envNamesIn, loggingCommands, poolOf, scriptSinks } from './scripts.js';

/* Where Azure runs text as code, and in which shell: every task of the table, inline and file modes. */

function load(text: string): AzureModel {
  const { model, problems } = buildAzureModel([{ path: 'azure-pipelines.yml', repoPath: 'azure-pipelines.yml', text }], memoryReader({}));
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return model;
}

/** `dialect what key value` of each sink of each step of the first job. */
function sinks(text: string, withJob = true): string[] {
  const p = load(text).pipelines[0]!;
  const job = p.stages[0]!.jobs[0]!;
  return job.steps.flatMap((s) => scriptSinks(s, withJob ? job : undefined, withJob ? p : undefined).map((k) => `${k.dialect} ${k.what} ${k.key} ${String(k.scalar.value)}`));
}

const task = (name: string, inputs: Record<string, string>, pool = 'ubuntu-latest') =>
  `pool:\n  vmImage: ${pool}\nsteps:\n  - task: ${name}\n    inputs:\n${Object.entries(inputs)
    .map(([k, v]) => `      ${k}: ${v}\n`)
    .join('')}`;

describe('scriptSinks', () => {
  const TASKS: Array<{ task: string; input: string; mode?: [key: string, inline: string, file: string]; dialect: string }> = [
    { task: 'Bash@3', input: 'script', mode: ['targetType', 'inline', 'filePath'], dialect: 'bash' },
    { task: 'CmdLine@2', input: 'script', dialect: 'bash' },
    { task: 'PowerShell@2', input: 'script', mode: ['targetType', 'inline', 'filePath'], dialect: 'pwsh' },
    { task: 'AzurePowerShell@5', input: 'Inline', mode: ['ScriptType', 'InlineScript', 'FilePath'], dialect: 'pwsh' },
    { task: 'AzureCLI@2', input: 'inlineScript', mode: ['scriptLocation', 'inlineScript', 'scriptPath'], dialect: 'bash' },
    { task: 'PythonScript@0', input: 'script', mode: ['scriptSource', 'inline', 'filePath'], dialect: 'other' },
    { task: 'SSH@0', input: 'inline', mode: ['runOptions', 'inline', 'commands'], dialect: 'bash' },
  ];

  for (const t of TASKS) {
    it(`runs the "${t.input}" input of ${t.task} inline, and not in file mode`, () => {
      const sink = `${t.dialect} "${t.input}" input of ${t.task} inputs.${t.input} run it`;
      expect(sinks(task(t.task, { [t.input]: 'run it' }))).toEqual([sink]);
      expect(sinks(task(t.task.toLowerCase(), { [t.input.toUpperCase()]: 'run it' }))).toEqual([`${t.dialect} "${t.input.toUpperCase()}" input of ${t.task.toLowerCase()} inputs.${t.input.toUpperCase()} run it`]);
      if (!t.mode) return;
      const [key, inline, file] = t.mode;
      expect(sinks(task(t.task, { [key]: inline, [t.input]: 'run it' }))).toEqual([sink]);
      expect(sinks(task(t.task, { [key.toLowerCase()]: `' ${inline.toUpperCase()} '`, [t.input]: 'run it' }))).toEqual([sink]);
      expect(sinks(task(t.task, { [key]: '$(mode)', [t.input]: 'run it' }))).toEqual([sink]);
      expect(sinks(task(t.task, { [key]: '${{ parameters.mode }}', [t.input]: 'run it' }))).toEqual([sink]);
      for (const mode of [file, `${inline}x`, `x${inline}`]) expect({ mode, s: sinks(task(t.task, { [key]: mode, [t.input]: 'run it' })) }).toEqual({ mode, s: [] });
    });
  }

  it('has a row for every task that runs inline text', () => {
    expect(TASKS.map((t) => t.task.split('@')[0]!.toLowerCase()).sort()).toEqual(['azurecli', 'azurepowershell', 'bash', 'cmdline', 'powershell', 'pythonscript', 'ssh']);
  });

  it('reads the AzureCLI script type, and the pool of CmdLine', () => {
    const cli = (type: string) => sinks(task('AzureCLI@2', { scriptType: type, inlineScript: 'az x' }))[0]!.split(' ')[0];
    expect(['bash', 'ps', 'pscore', 'batch', "' PSCore '", 'zsh'].map(cli)).toEqual(['bash', 'pwsh', 'pwsh', 'cmd', 'pwsh', 'bash']);
    expect(sinks(task('AzureCLI@2', { inlineScript: 'az x' }))).toEqual(['bash "inlineScript" input of AzureCLI@2 inputs.inlineScript az x']);
    expect(sinks(task('CmdLine@2', { script: 'dir' }, 'windows-2022'))).toEqual(['cmd "script" input of CmdLine@2 inputs.script dir']);
    expect(sinks(task('Bash@3', { script: 'ls' }, 'windows-2022'))).toEqual(['bash "script" input of Bash@3 inputs.script ls']);
  });

  it('finds nothing in unknown tasks, missing inputs and non-text inputs', () => {
    expect(sinks(task('Npm@1', { script: 'x' }))).toEqual([]);
    expect(sinks(task('Bash@3', { filePath: 'x.sh' }))).toEqual([]);
    expect(sinks(task('Bash@3', { script: '[a, b]' }))).toEqual([]);
    expect(sinks(task('Bash@3', { script: '' }))).toEqual([]);
    expect(sinks('steps:\n  - checkout: self\n  - publish: out\n')).toEqual([]);
  });

  it('runs script steps in their shell; script: in cmd on Windows pools', () => {
    const steps = 'steps:\n  - script: a\n  - bash: b\n  - pwsh: c\n  - powershell: d\n';
    expect(sinks(steps)).toEqual(['bash script script a', 'bash script bash b', 'pwsh script pwsh c', 'pwsh script powershell d']);
    expect(sinks(`pool:\n  vmImage: Windows-latest\n${steps}`)).toEqual(['cmd script script a', 'bash script bash b', 'pwsh script pwsh c', 'pwsh script powershell d']);
    // Without the job and pipeline the pool is unknown: bash.
    expect(sinks(`pool:\n  vmImage: windows-latest\n${steps}`, false)[0]).toBe('bash script script a');
    expect(sinks(`pool: my-agents\n${steps}`)[0]).toBe('bash script script a');
  });

  it('takes the pool of the job, then its stage, then the pipeline', () => {
    const p = load(`pool:\n  vmImage: windows-latest\nstages:\n  - stage: a\n    pool:\n      vmImage: ubuntu-latest\n    jobs:\n      - job: own\n        pool:\n          vmImage: windows-2019\n        steps: [{ script: x }]\n      - job: staged\n        steps: [{ script: x }]\n  - stage: b\n    jobs:\n      - job: top\n        steps: [{ script: x }]\n`).pipelines[0]!;
    const jobs = p.stages.flatMap((s) => s.jobs);
    expect(jobs.map((j) => `${j.id}:${poolOf(j, p)?.vmImage}:${scriptSinks(j.steps[0]!, j, p)[0]!.dialect}`)).toEqual(['own:windows-2019:cmd', 'staged:ubuntu-latest:bash', 'top:windows-latest:cmd']);
  });
});

describe('loggingCommands', () => {
  it('reads the command, its properties and the message up to the closing quote or separator', () => {
    const script = 'echo "##vso[task.setVariable variable = out ;isSecret=true;flag;x=a=b]$(v)" && next\necho ##vso[task.prependpath]/opt/bin   \necho ##vso[task.complete result=Failed]done ; exit 1\n';
    expect(loggingCommands(script).map((c) => ({ ...c, props: Object.fromEntries(c.props), message: script.slice(c.valueStart, c.valueEnd) }))).toEqual([
      { command: 'task.setvariable', props: { variable: 'out', issecret: 'true', x: 'a=b' }, start: 6, end: 74, valueStart: 70, valueEnd: 74, message: '$(v)' },
      { command: 'task.prependpath', props: {}, start: 89, end: 120, valueStart: 112, valueEnd: 120, message: '/opt/bin' },
      { command: 'task.complete', props: { result: 'Failed' }, start: 129, end: 167, valueStart: 163, valueEnd: 167, message: 'done' },
    ]);
  });

  it('ends the message at |, || and ;, and needs area.action', () => {
    const msg = (s: string) => loggingCommands(s).map((c) => s.slice(c.valueStart, c.valueEnd));
    expect(msg('echo ##vso[a.b]x | tee\necho ##vso[a.b]y || true\necho ##vso[a.b]z;w\necho ##vso[ab]q\necho ##vso[a.b x\n]r\necho ##vso[a.b]two  words \t')).toEqual(['x', 'y', 'z', 'two  words']);
  });
});

describe('envNamesIn', () => {
  it('reads $X and ${X} in bash, $env:X in PowerShell and %X% in cmd', () => {
    expect(envNamesIn('echo $A ${B_1} $1 $$ "$C"', 'bash')).toEqual([
      { name: 'A', index: 5 },
      { name: 'B_1', index: 8 },
      { name: 'C', index: 22 },
    ]);
    expect(envNamesIn('Write-Host $env:A ${env:B} $C $ENV:d', 'pwsh')).toEqual([
      { name: 'A', index: 11 },
      { name: 'B', index: 18 },
      { name: 'd', index: 30 },
    ]);
    expect(envNamesIn('echo %A% %1% %B_2% $C', 'cmd')).toEqual([
      { name: 'A', index: 5 },
      { name: 'B_2', index: 13 },
    ]);
  });
});
