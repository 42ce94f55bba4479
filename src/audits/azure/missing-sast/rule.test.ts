import { describe, expect, it } from 'vitest';
import { auditFiles, summarize, yaml } from '../testing.js';
import { rule } from './rule.js';

const REQUIRE = { require: true };
const BUILD = yaml`
  trigger: [main]
  pool:
    vmImage: ubuntu-24.04
  steps:
    - script: npm ci && npm test
      displayName: Test
`;

describe('missing-sast (azure)', () => {
  it('reports nothing until the config requires SAST', () => {
    expect(auditFiles(rule, { 'azure-pipelines.yml': BUILD })).toEqual([]);
    expect(auditFiles(rule, { 'azure-pipelines.yml': BUILD }, { require: false })).toEqual([]);
  });

  it('reports a pipeline with no SAST task or command, at the top of the first pipeline', () => {
    expect(summarize(auditFiles(rule, { 'azure-pipelines.yml': BUILD, '.azure-pipelines/release.yml': BUILD }, REQUIRE))).toEqual([
      '.azure-pipelines/release.yml:1:1-6:22 medium/high no pipeline runs static analysis of the code (the AdvancedSecurity-Codeql tasks, SonarQube/SonarCloud analysis, Snyk Code, Semgrep, pipewarden sast, ...) and the config requires it; add a SAST step',
    ]);
  });

  it.each([
    ['the Advanced Security CodeQL tasks', '  - task: AdvancedSecurity-Codeql-Init@1\n    inputs:\n      languages: javascript\n  - task: AdvancedSecurity-Codeql-Analyze@1\n'],
    ['SonarQube analysis', '  - task: SonarQubePrepare@7\n    inputs:\n      SonarQube: sonar\n      scannerMode: cli\n  - task: SonarQubeAnalyze@7\n'],
    ['SonarCloud analysis', '  - task: SonarCloudAnalyze@3\n'],
    ['Microsoft Security DevOps', '  - task: MicrosoftSecurityDevOps@1\n'],
    ['a Snyk Code test', '  - task: SnykSecurityScan@1\n    inputs:\n      serviceConnectionEndpoint: snyk\n      testType: code\n'],
    ['semgrep in a script', '  - bash: semgrep ci\n    displayName: Semgrep\n'],
    ['codeql in an inline PowerShell task', '  - task: PowerShell@2\n    inputs:\n      targetType: inline\n      script: codeql database analyze db --format=sarifv2.1.0 --output=out.sarif\n'],
    ['pipewarden sast', '  - script: npx pipewarden sast . --format sarif -o sast.sarif\n'],
  ])('is satisfied by %s', (_what, extra) => {
    expect(auditFiles(rule, { 'azure-pipelines.yml': `${BUILD}${extra}` }, REQUIRE)).toEqual([]);
  });

  it('a step template that runs the scan counts; a template of another repository named for code scanning counts', () => {
    const local = { 'azure-pipelines.yml': `${BUILD}  - template: ci/scan.yml\n`, 'ci/scan.yml': 'steps:\n  - script: semgrep scan --config auto\n' };
    expect(auditFiles(rule, local, REQUIRE)).toEqual([]);
    const external = yaml`
      resources:
        repositories:
          - repository: security
            type: git
            name: platform/security-templates
            ref: refs/tags/v3.1.0
      steps:
        - script: npm test
        - template: steps/codeql.yml@security
    `;
    expect(auditFiles(rule, { 'azure-pipelines.yml': external }, REQUIRE)).toEqual([]);
  });

  it('Snyk dependency and container tests, decoys and other security tasks do not count; a configured tool does', () => {
    const notSast = `${BUILD}  - task: SnykSecurityScan@1\n    inputs:\n      testType: app\n  - task: CredScan@3\n  - script: echo "run semgrep later"\n`;
    expect(auditFiles(rule, { 'azure-pipelines.yml': notSast }, REQUIRE)).toHaveLength(1);
    const custom = `${BUILD}  - task: acme.security.SecScan@2\n`;
    expect(auditFiles(rule, { 'azure-pipelines.yml': custom }, REQUIRE)).toHaveLength(1);
    expect(auditFiles(rule, { 'azure-pipelines.yml': custom }, { require: true, tools: ['SecScan'] })).toEqual([]);
    expect(summarize(auditFiles(rule, { 'azure-pipelines.yml': BUILD }, { require: true, tools: ['secscan'] }))[0]).toMatch(/add a SAST step \(or one of: secscan\)$/);
  });

  it('rejects unknown options', () => {
    expect(() => auditFiles(rule, { 'azure-pipelines.yml': BUILD }, { require: true, tool: ['x'] })).toThrow('unknown option "tool"');
  });
});
