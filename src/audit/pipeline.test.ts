import { describe, expect, it } from 'vitest';
import { classifyFile, isCiPath, repoPrefixOf, type PendingFile } from './pipeline.js';
import { CLASSIFY_ORDER, PLATFORMS } from './platforms.js';

function pending(repoPath: string, explicit: boolean, abs = `/repo/${repoPath}`): PendingFile {
  return { abs, path: repoPath, repoPath, explicit, repoRoot: '/repo' };
}

/** `platform/kind` of the claim, or `-` when no platform takes the file. */
function owner(p: PendingFile, text = ''): string {
  const c = classifyFile(p, text);
  return c ? `${c.platform.platform}/${c.kind ?? ''}` : '-';
}

const WORKFLOW = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: make }]\n';
const CIRCLE = 'version: 2.1\njobs:\n  a:\n    docker: [{ image: node }]\n    steps: [checkout]\n';
const AZURE_ENTRY = 'trigger: [main]\npool: { vmImage: ubuntu-latest }\nsteps:\n  - script: make\n';
const AZURE_TEMPLATE = 'parameters:\n  - name: x\nsteps:\n  - script: make\n';

describe('audit pipeline: classify', () => {
  it('every platform is registered once, and classification asks GitHub last', () => {
    expect(PLATFORMS.map((p) => p.platform)).toEqual(['github', 'gitlab', 'azure', 'circleci', 'bitbucket']);
    expect(CLASSIFY_ORDER.map((p) => p.platform)).toEqual(['gitlab', 'azure', 'circleci', 'bitbucket', 'github']);
  });

  it('by repository path: each platform its entry files, GitHub with the kind of file', () => {
    expect(owner(pending('.github/workflows/ci.yml', false))).toBe('github/workflow');
    expect(owner(pending('tools/x/action.yaml', false))).toBe('github/action');
    expect(owner(pending('.github/dependabot.yml', false))).toBe('github/dependabot');
    expect(owner(pending('.gitlab-ci.yml', false))).toBe('gitlab/');
    expect(owner(pending('sub/azure-pipelines.yml', false))).toBe('azure/');
    expect(owner(pending('.circleci/config.yml', false))).toBe('circleci/');
    expect(owner(pending('bitbucket-pipelines.yml', false))).toBe('bitbucket/');
  });

  it('a file the walk found at no known path is nobody\'s, whatever its content', () => {
    expect(owner(pending('ci/build.yml', false), WORKFLOW)).toBe('-');
    expect(owner(pending('ci/build.yml', false), CIRCLE)).toBe('-');
  });

  it('a named file outside a repository is still known by its full path', () => {
    expect(owner(pending('release.yml', true, '/tmp/x/.github/workflows/release.yml'))).toBe('github/workflow');
    // Only for files named on the command line.
    expect(owner(pending('release.yml', false, '/tmp/x/.github/workflows/release.yml'))).toBe('-');
  });

  it('a named file at an unusual path: by content, the more specific platforms first', () => {
    expect(owner(pending('wf.yml', true), WORKFLOW)).toBe('github/workflow');
    expect(owner(pending('circle.yml', true), CIRCLE)).toBe('circleci/');
    expect(owner(pending('notes.yml', true), 'title: notes\n')).toBe('-');
  });

  it('a walk candidate (a pipelines folder) is kept only when it is an entry, not a template', () => {
    expect(owner(pending('.azure-pipelines/ci.yml', false), AZURE_ENTRY)).toBe('azure/');
    expect(owner(pending('.azure-pipelines/steps.yml', false), AZURE_TEMPLATE)).toBe('-');
  });

  it('isCiPath: entry paths and candidates are read, other files are not', () => {
    expect(isCiPath('.github/workflows/ci.yml')).toBe(true);
    expect(isCiPath('.azure-pipelines/steps.yml')).toBe(true);
    expect(isCiPath('.circleci/config.yml')).toBe(true);
    expect(isCiPath('docs/ci.yml')).toBe(false);
    expect(isCiPath('.github/workflows/README.md')).toBe(false);
  });
});

describe('audit pipeline: repository roots (Platform.repoRoot)', () => {
  it('each platform places its entry files at the root of their repository', () => {
    expect(repoPrefixOf('a/b/.github/workflows/ci.yml')).toBe('a/b');
    expect(repoPrefixOf('.github/workflows/ci.yml')).toBe('');
    expect(repoPrefixOf('a/.github/dependabot.yml')).toBe('a');
    expect(repoPrefixOf('a/b/.circleci/config.yml')).toBe('a/b');
    expect(repoPrefixOf('a/b/.gitlab-ci.yml')).toBe('a/b');
    expect(repoPrefixOf('.gitlab-ci.yaml')).toBe('');
    expect(repoPrefixOf('svc/azure-pipelines.yml')).toBe('svc');
    expect(repoPrefixOf('x/y/bitbucket-pipelines.yml')).toBe('x/y');
  });

  it('paths that say nothing about their repository: undefined', () => {
    // Actions and templates join the repository above them; only whole folder names count.
    expect(repoPrefixOf('tools/x/action.yml')).toBeUndefined();
    expect(repoPrefixOf('ci/templates/build.yml')).toBeUndefined();
    expect(repoPrefixOf('a/x.github/workflows/ci.yml')).toBeUndefined();
    expect(repoPrefixOf('a/my.gitlab-ci.yml')).toBeUndefined();
    // Azure marks a root only by its conventional name, not a dotted or differently cased one, nor a pipelines folder.
    expect(repoPrefixOf('svc/.azure-pipelines.yml')).toBeUndefined();
    expect(repoPrefixOf('svc/Azure-Pipelines.yml')).toBeUndefined();
    expect(repoPrefixOf('svc/.azure-pipelines/ci.yml')).toBeUndefined();
  });

  it('nested and overlapping claims: the last CI folder in the path, and the outermost root across platforms', () => {
    expect(repoPrefixOf('a/.github/b/.github/workflows/ci.yml')).toBe('a/.github/b');
    expect(repoPrefixOf('a/.github/azure-pipelines.yml')).toBe('a');
    expect(repoPrefixOf('.circleci/.gitlab-ci.yml')).toBe('');
  });

  it('every platform gives a root hook', () => {
    expect(PLATFORMS.filter((p) => p.repoRoot === undefined).map((p) => p.platform)).toEqual([]);
  });
});
