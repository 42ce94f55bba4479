import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config/types.js';
import { collectAuditFiles, runAudit } from '../../cli/audit.js';
import { isAzureCandidatePath, isAzureEntryPath, isTemplateLikePath, sniffAzureEntry } from '../../platforms/azure/parse.js';

// Every file sets system.debug, so the set of files with a debug-enabled finding is exactly the
// set of files audited as entry pipelines.
const DEBUG = 'variables:\n  system.debug: true\n';

/** A repository tree with Azure pipelines at conventional places, templates, and other CI systems' files. */
const TREE: Record<string, string> = {
  // entries by name
  '.azure-pipelines.yml': `trigger: none\npr: none\n${DEBUG}steps:\n  - script: make\n`,
  'ci/azure-pipelines-windows.yml': `pool:\n  vmImage: windows-latest\n${DEBUG}steps:\n  - pwsh: ./build.ps1\n`,
  'eng/nightly.azure-pipelines.yml': `schedules:\n  - cron: '0 3 * * *'\n    branches:\n      include: [main]\ntrigger: none\npr: none\n${DEBUG}steps:\n  - bash: make nightly\n`,
  // entries in pipelines folders, recognised by content; each includes a template
  '.azure-pipelines/ci.yml': `pr:\n  branches:\n    include: [main]\n${DEBUG}steps:\n  - template: templates/build.yml\n`,
  '.azure-pipelines/templates/build.yml': `parameters:\n  - name: config\n    default: release\nsteps:\n  - script: echo "$(System.PullRequest.SourceBranch)"\n`,
  'build/azure-pipelines/product.yml': `trigger:\n  branches:\n    include: [main]\npr: none\n${DEBUG}extends:\n  template: linux/product-build.yml\n`,
  'build/azure-pipelines/linux/product-build.yml': `jobs:\n  - job: linux\n    steps:\n      - template: steps.yml\n`,
  'build/azure-pipelines/linux/steps.yml': `steps:\n  - bash: curl -sSL https://example.invalid/install.sh | bash\n`,
  // templates found on their own (no trigger, pr, pool, ...): never audited as pipelines
  '.pipelines/templates/pr-steps.yml': `${DEBUG}steps:\n  - script: echo "$(System.PullRequest.SourceBranch)"\n`,
  'pipelines/jobs.yml': `parameters:\n  - name: os\n${DEBUG}jobs:\n  - job: \${{ parameters.os }}\n    steps:\n      - bash: make\n`,
  '.azuredevops/vars.yml': DEBUG,
  // other CI systems and YAML in pipelines folders: never claimed by the Azure sniff
  'pipelines/gitlab-ish.yml': `stages: [deploy]\n${DEBUG}trigger:\n  stage: deploy\n  trigger: group/project\n`,
  'pipelines/circleci.yml': `version: 2.1\n${DEBUG}jobs:\n  build:\n    steps:\n      - checkout\n      - run: make\n`,
  '.pipelines/github-copy.yml': `on: push\npr: none\n${DEBUG}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`,
  '.pipelines/bitbucket.yml': `pipelines:\n  default:\n    - step:\n        script: [make]\n${DEBUG}`,
  '.azuredevops/concourse.yml': `resources:\n  - name: repo\n    type: git\n${DEBUG}jobs:\n  - name: build\n    plan:\n      - task: build\n        file: ci/build.yml\n`,
  'eng/pipelines/tekton.yaml': `apiVersion: tekton.dev/v1\nkind: Pipeline\n${DEBUG}`,
  // bare steps-only pipelines: an entry when nothing includes them and the path does not say template
  '.pipelines/smoke.yml': `${DEBUG}steps:\n  - script: ./smoke.sh\n`,
  '.vsts-ci/ci.yml': `trigger: [main]\n${DEBUG}jobs:\n  - job: build\n    steps:\n      - template: restore.yml\n`,
  '.vsts-ci/restore.yml': `${DEBUG}steps:\n  - script: dotnet restore\n`,
  '.vsts-ci/steps-sign.yml': `${DEBUG}steps:\n  - script: ./sign.ps1\n`,
  '.azure-pipelines/lint.yml': `parameters:\n  - name: fix\n    type: boolean\n    default: false\n${DEBUG}steps:\n  - script: npm run lint\n`,
  // not at a conventional place: not discovered
  'docs/pipelines.yml': `trigger: none\n${DEBUG}steps:\n  - script: make\n`,
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-azdisc-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('azure discovery', () => {
  it('tells entries by name from candidates by folder', () => {
    expect(['azure-pipelines.yml', '.azure-pipelines.yml', 'x/.azure-pipelines.yaml'].map(isAzureEntryPath)).toEqual([true, true, true]);
    expect(['.azure-pipelines/ci.yml', 'ci/azure-pipelines-win.yml', 'pipelines.yml', 'a.azure-pipelines.yml'].map(isAzureEntryPath)).toEqual([false, false, false, false]);
    const candidates = ['.azure-pipelines/ci.yml', 'azure-pipelines/a/b.yaml', 'build/azure-pipelines/x.yml', '.pipelines/x.yml', 'eng/pipelines/t/x.yml', '.azuredevops/x.yml', '.vsts-ci/x.yml', 'a.azure-pipelines.yml', 'ci/azure-pipelines-win.yml', 'azure-pipelines.pr.yaml', 'build/azure-pipeline.stable.yml'];
    expect(candidates.filter(isAzureCandidatePath)).toEqual(candidates);
    const others = ['azure-pipelines.yml', 'docs/pipelines.yml', 'pipelines/readme.md', 'my-pipelines/x.yml', 'azure-pipelinesx.yml', '.github/workflows/ci.yml'];
    expect(others.filter(isAzureCandidatePath)).toEqual([]);
  });

  it('takes a candidate only when it is an Azure pipeline with a key templates cannot have', () => {
    expect(sniffAzureEntry('pool: x\nsteps:\n  - script: make\n')).toBe(true);
    expect(sniffAzureEntry('name: $(Date:yyyyMMdd)\njobs:\n  - job: a\n    steps:\n      - bash: make\n')).toBe(true);
    // Bare steps: a pipeline unless it declares or reads parameters (then a steps template).
    expect(sniffAzureEntry('steps:\n  - script: make\n')).toBe(true);
    expect(sniffAzureEntry('variables:\n  a: b\ncontainer: ubuntu:24.04\nsteps:\n  - bash: make\n')).toBe(true);
    expect(sniffAzureEntry('parameters:\n  - name: a\nsteps:\n  - script: make\n')).toBe(false);
    expect(sniffAzureEntry('steps:\n  - script: make ${{ parameters.target }}\n')).toBe(false);
    expect(sniffAzureEntry('steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build]\n')).toBe(false);
    expect(['a/templates/x.yml', 'a/steps/x.yml', 'a/steps-sign.yml', 'b/build-steps.yml', 'b/x.template.yaml', 'eng/common-templates/x.yml'].filter(isTemplateLikePath)).toHaveLength(6);
    expect(['.pipelines/smoke.yml', '.vsts-ci/restore.yml', 'pipelines/stepsister.yml', 'pipelines/templated-release.yml'].filter(isTemplateLikePath)).toEqual([]);
    expect(sniffAzureEntry('parameters:\n  - name: a\nstages:\n  - stage: s\n    jobs:\n      - job: j\n        steps:\n          - task: Bash@3\n')).toBe(false);
    expect(sniffAzureEntry('trigger:\n  stage: deploy\n  script: make\n')).toBe(false);
    expect(sniffAzureEntry('pr:\n  branches: [main]\n  script: make\n')).toBe(false);
    expect(sniffAzureEntry('trigger: [main]\n')).toBe(true);
  });

  it('audits exactly the entry pipelines of a tree, templates through their includer', async () => {
    const collected = collectAuditFiles([root]);
    // Display paths are relative to the working directory; the test reads them relative to the tree.
    const at = (file: string): string => relative(root, resolve(file));
    const out = await runAudit(collected, DEFAULT_CONFIG, false);
    const audited = [...new Set(out.findings.filter((f) => f.ruleId === 'debug-enabled').map((f) => at(f.location.file)))].sort();
    expect(audited).toEqual([
      '.azure-pipelines.yml',
      '.azure-pipelines/ci.yml',
      '.pipelines/smoke.yml',
      '.vsts-ci/ci.yml',
      'build/azure-pipelines/product.yml',
      'ci/azure-pipelines-windows.yml',
      'eng/nightly.azure-pipelines.yml',
    ]);
    const rest = out.findings.filter((f) => f.ruleId !== 'debug-enabled').map((f) => `${at(f.location.file)}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.severity}/${f.confidence} ${f.message}`);
    // The templates' problems are found through the pipelines that include them (with their triggers):
    // the PR-triggered .azure-pipelines/ci.yml for the injection; the same injection in the unused
    // .pipelines/templates/pr-steps.yml is not reported out of context.
    expect(rest).toEqual([
      '.azure-pipelines/templates/build.yml:5:19 template-injection medium/high "$(System.PullRequest.SourceBranch)" is attacker-controlled (the pull request author names the source branch) and is substituted into the script of step "step 1" before it runs; map it to an env: variable and read "$VAR" instead',
      'build/azure-pipelines/linux/steps.yml:2:11 unverified-script-exec medium/high step "step 1" pipes a script downloaded with curl into bash without verifying it; download it to a file and check a pinned SHA-256 checksum or signature before running it',
    ]);
    expect(out.diagnostics).toEqual([]);
  });

  it('warns about a candidate it cannot read instead of failing the run (it is not known to be CI)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-azdisc-link-'));
    try {
      mkdirSync(join(dir, 'repo/.pipelines'), { recursive: true });
      writeFileSync(join(dir, 'outside.yml'), 'trigger: none\n');
      symlinkSync('../../outside.yml', join(dir, 'repo/.pipelines/linked.yml'));
      writeFileSync(join(dir, 'repo/azure-pipelines.yml'), 'trigger: none\npr: none\nsteps:\n  - script: make\n');
      const out = await runAudit(collectAuditFiles([join(dir, 'repo')]), DEFAULT_CONFIG, false);
      expect(out.findings).toEqual([]);
      expect(out.diagnostics.map((d) => `${d.level} ${relative(join(dir, 'repo'), resolve(d.file ?? ''))} ${d.message.replace(/:.*/, '')}`)).toEqual(['warning .pipelines/linked.yml possible CI file not read']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
