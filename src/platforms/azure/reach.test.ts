import { describe, expect, it } from 'vitest';
import { buildAzureModel, type AzureReader } from './parse.js';
import { outsiderPrBuilds, prReach, selfRepositoryType } from './reach.js';
import { parameterNode, substituteParameters } from './params.js';

function build(files: Record<string, string>) {
  const read: AzureReader = (p) => (files[p] === undefined ? { error: 'no such file' } : { file: { path: p, repoPath: p, text: files[p]! } });
  const { model, problems } = buildAzureModel([{ path: 'azure-pipelines.yml', repoPath: 'azure-pipelines.yml', text: files['azure-pipelines.yml']! }], read);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return model;
}

describe('azure PR reachability', () => {
  const reach = (head: string) => {
    const p = build({ 'azure-pipelines.yml': `${head}\nsteps:\n  - script: make\n` }).pipelines[0]!;
    return [prReach(p), outsiderPrBuilds(p), selfRepositoryType(p) ?? '-'].join(' ');
  };

  it('tells the trigger shapes apart', () => {
    expect(reach('')).toBe('default true -');
    expect(reach('trigger: [main]')).toBe('default true -');
    expect(reach('trigger: none')).toBe('ci-off-default true -');
    expect(reach('trigger: none\npr: [main]')).toBe('explicit true -');
    expect(reach('pr:\n  branches:\n    include: [main]')).toBe('explicit true -');
    expect(reach('trigger: none\npr: none')).toBe('none false -');
    expect(reach('pr: none')).toBe('none false -');
  });

  it('a self repository declared as Azure Repos (type: git, any case) takes no outsider PRs; other types change nothing', () => {
    const self = (type: string) => `resources:\n  repositories:\n    - repository: Self\n      type: ${type}\n      ref: main`;
    expect(reach(`trigger: none\n${self('git')}`)).toBe('azure-repos false git');
    expect(reach(`pr: [main]\n${self('Git')}`)).toBe('azure-repos false git');
    expect(reach(`pr: none\n${self('git')}`)).toBe('none false git');
    expect(reach(`trigger: none\n${self('github')}`)).toBe('ci-off-default true github');
    expect(reach(`${self('bitbucket')}`)).toBe('default true bitbucket');
    // Another repository of type git is a template or checkout source, not this pipeline's host.
    expect(reach('trigger: none\nresources:\n  repositories:\n    - repository: templates\n      type: git\n      name: Eng/Templates')).toBe('ci-off-default true -');
  });
});

describe('azure template parameters', () => {
  const files = {
    'azure-pipelines.yml': "trigger: none\njobs:\n  - template: job.yml\n    parameters:\n      connection: feeds-read\n      identity:\n        serviceName: esrp\n        nested:\n          key: deep\n      list: [a, b]\n",
    'job.yml':
      "parameters:\n  - name: connection\n    default: ''\n  - name: identity\n    type: object\n    default: {}\n  - name: list\n    type: object\n    default: []\n  - name: unset\n    type: string\n  - name: region\n    default: westus\njobs:\n  - job: j\n    steps:\n      - template: step.yml\n        parameters:\n          sc: ${{ parameters.connection }}\n          who: ${{ parameters.identity }}\n          items: ${{ parameters.list }}\n          text: 'to ${{ parameters.region }}'\n",
    'step.yml': "parameters:\n  - name: sc\n  - name: who\n    type: object\n  - name: items\n    type: object\n  - name: text\n  - name: missing\nsteps:\n  - script: echo\n",
  };

  it('follows arguments through templates, object fields at any depth, and embedded references', () => {
    const step = build(files).pipelines[0]!.stages[0]!.jobs[0]!.steps[0]!;
    const sub = (t: string) => substituteParameters(t, step.ctx);
    expect(sub('${{ parameters.sc }}')).toBe('feeds-read');
    expect(sub("${{ parameters['sc'] }}")).toBe('feeds-read');
    expect(sub('${{ parameters.who.serviceName }}')).toBe('esrp');
    expect(sub('${{ parameters.who.SERVICENAME }}')).toBe('esrp');
    expect(sub('${{ parameters.who.nested.key }}/x')).toBe('deep/x');
    expect(sub('${{ parameters.who.absent }}')).toBe('');
    expect(sub('${{ parameters.text }}!')).toBe('to westus!');
    // Lists and mappings, unknown names and parameters with no value stay as written.
    expect(sub('${{ parameters.items }}')).toBe('${{ parameters.items }}');
    expect(sub('${{ parameters.who }}')).toBe('${{ parameters.who }}');
    expect(sub('${{ parameters.nope }}')).toBe('${{ parameters.nope }}');
    expect(sub('${{ parameters.missing }}')).toBe('${{ parameters.missing }}');
    expect(sub('$(plain) text')).toBe('$(plain) text');
    expect(parameterNode('who.serviceName', step.ctx)?.ctx.repoPath).toBe('azure-pipelines.yml');
    expect(parameterNode('nope', step.ctx)).toBeUndefined();
  });
});
