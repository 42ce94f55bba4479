import { describe, it, expect } from 'vitest';
import { sarifSchemaErrors } from '../../test/sarif-schema.js';
import type * as Sarif from 'sarif';
import type { Finding } from '../core/finding.js';
import type { RuleMeta } from '../core/rule.js';
import { cweTag, firstParagraph, pascalCase, renderSarif } from './sarif.js';
import type { ReportContext } from './types.js';

const schemaErrors = sarifSchemaErrors;

const injectionMeta: RuleMeta = {
  id: 'template-injection',
  title: 'Template injection in run steps',
  platform: 'github',
  severity: 'high',
  confidence: 'high',
  owasp: ['CICD-SEC-4'],
  cwe: ['CWE-94'],
  fixable: true,
  online: false,
  docs: new URL('file:///x/README.md'),
};

const README = '# template-injection\n\nFinds `${{ }}` expansions of\nattacker-controlled data in `run:`.\n\n## Fix\n\nUse env.\n';

function ctx(over: Partial<ReportContext> = {}): ReportContext {
  return {
    rules: [injectionMeta, { ...injectionMeta, id: 'artipacked', title: 'Credentials persisted', severity: 'medium', confidence: 'low', cwe: [], owasp: [] }],
    docsFor: (id) => (id === 'template-injection' ? README : undefined),
    sourceOf: () => undefined,
    toolVersion: '0.1.0',
    color: false,
    diagnostics: [],
    root: '/repo dir',
    suppressedCount: 0,
    ...over,
  };
}

const injection: Finding = {
  ruleId: 'template-injection',
  severity: 'high',
  confidence: 'high',
  message: 'github.event.issue.title is expanded into a shell script',
  location: { file: '.github/workflows/ci.yml', startLine: 5, startColumn: 20, endLine: 5, endColumn: 52 },
  related: [{ file: '.github/workflows/ci.yml', startLine: 1, startColumn: 5, endLine: 1, endColumn: 11, message: 'attacker-controlled trigger' }],
  owasp: ['CICD-SEC-4'],
  cwe: ['CWE-94'],
  fingerprint: '0123abcd',
  properties: { severity: 'spoofed', route: 'jobs.greet.steps[0].run' },
};

const secret: Finding = {
  ruleId: 'secrets/aws-access-key',
  severity: 'critical',
  confidence: 'medium',
  message: 'AWS access key AKIA**** \x1b',
  location: { file: 'docs\\my notes#1?%.txt', startLine: 3, startColumn: 1, endLine: 3, endColumn: 21 },
  related: [],
  owasp: ['CICD-SEC-6'],
  cwe: ['798'],
  fingerprint: 'feed',
  fix: { description: 'remove it', safety: 'unsafe', edits: [{ file: 'docs\\my notes#1?%.txt', start: 10, end: 30, replacement: '' }] },
};

function render(findings: Finding[], over: Partial<ReportContext> = {}): Sarif.Log {
  return JSON.parse(renderSarif(findings, ctx(over))) as Sarif.Log;
}

describe('renderSarif', () => {
  it('produces the expected document for a finding of a known rule', () => {
    const text = renderSarif([injection], ctx());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'pipewarden',
              version: '0.1.0',
              informationUri: 'https://github.com/pipewarden/pipewarden',
              rules: [
                {
                  id: 'artipacked',
                  name: 'Artipacked',
                  shortDescription: { text: 'Credentials persisted' },
                  fullDescription: { text: 'Credentials persisted' },
                  helpUri: 'https://github.com/pipewarden/pipewarden/blob/main/docs/rules/artipacked.md',
                  help: { text: 'Credentials persisted. Run `pipewarden rules artipacked` for details.' },
                  defaultConfiguration: { level: 'warning' },
                  properties: { tags: ['security'], 'security-severity': '5.5', precision: 'low' },
                },
                {
                  id: 'template-injection',
                  name: 'TemplateInjection',
                  shortDescription: { text: 'Template injection in run steps' },
                  fullDescription: { text: 'Finds `${{ }}` expansions of attacker-controlled data in `run:`.' },
                  helpUri: 'https://github.com/pipewarden/pipewarden/blob/main/docs/rules/template-injection.md',
                  help: { text: README, markdown: README },
                  defaultConfiguration: { level: 'error' },
                  properties: { tags: ['security', 'CICD-SEC-4', 'external/cwe/cwe-94'], 'security-severity': '8.0', precision: 'high' },
                },
              ],
            },
          },
          invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
          originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///repo%20dir/' } },
          results: [
            {
              ruleId: 'template-injection',
              ruleIndex: 1,
              level: 'error',
              message: { text: 'github.event.issue.title is expanded into a shell script' },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
                    region: { startLine: 5, startColumn: 20, endLine: 5, endColumn: 52 },
                  },
                },
              ],
              relatedLocations: [
                {
                  id: 1,
                  physicalLocation: {
                    artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
                    region: { startLine: 1, startColumn: 5, endLine: 1, endColumn: 11 },
                  },
                  message: { text: 'attacker-controlled trigger' },
                },
              ],
              partialFingerprints: { 'pipewarden/v1': '0123abcd' },
              // A scanner property cannot override the finding's own severity.
              properties: { severity: 'high', confidence: 'high', route: 'jobs.greet.steps[0].run' },
            },
          ],
          columnKind: 'utf16CodeUnits',
        },
      ],
    });
  });

  it('adds a descriptor for a rule missing from ctx.rules, encodes paths and carries fixes', () => {
    const run = render([injection, secret]).runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(['artipacked', 'template-injection', 'secrets/aws-access-key']);
    expect(rules[2]).toEqual({
      id: 'secrets/aws-access-key',
      name: 'SecretsAwsAccessKey',
      shortDescription: { text: 'secrets/aws-access-key' },
      fullDescription: { text: 'secrets/aws-access-key' },
      help: { text: 'secrets/aws-access-key. Run `pipewarden rules secrets/aws-access-key` for details.' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'CICD-SEC-6', 'external/cwe/cwe-798'], 'security-severity': '9.5', precision: 'medium' },
    });
    const result = run.results![1]!;
    expect(result.ruleIndex).toBe(2);
    expect(result.message.text).toBe('AWS access key AKIA**** \x1b');
    expect(result.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'docs/my%20notes%231%3F%25.txt', uriBaseId: '%SRCROOT%' });
    expect(result.fixes).toEqual([
      {
        description: { text: 'remove it' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'docs/my%20notes%231%3F%25.txt', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: 10, charLength: 20 }, insertedContent: { text: '' } }],
          },
        ],
      },
    ]);
    expect(result.relatedLocations).toBeUndefined();
  });

  it('describes an unknown rule by the worst of its findings', () => {
    const low = { ...secret, severity: 'low', confidence: 'low', owasp: [], cwe: [] } as Finding;
    const rules = render([low, secret]).runs[0]!.tool.driver.rules!;
    expect(rules[2]!.defaultConfiguration).toEqual({ level: 'error' });
    expect(rules[2]!.properties).toEqual({ tags: ['security', 'CICD-SEC-6', 'external/cwe/cwe-798'], 'security-severity': '9.5', precision: 'medium' });
  });

  it('maps severities to levels', () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const results = render(severities.map((severity) => ({ ...injection, severity }))).runs[0]!.results!;
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'warning', 'note', 'note']);
  });

  it('puts diagnostics into the invocation', () => {
    const inv = render([], {
      diagnostics: [
        { level: 'warning', file: 'a b.yml', line: 2, column: 3, message: 'unreadable' },
        { level: 'error', file: 'c.yml', message: 'too large' },
        { level: 'note', message: 'no workflows found' },
      ],
    }).runs[0]!.invocations![0]!;
    expect(inv).toEqual({
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'warning',
          message: { text: 'unreadable' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'a%20b.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 3 } } }],
        },
        { level: 'error', message: { text: 'too large' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'c.yml', uriBaseId: '%SRCROOT%' } } }] },
        { level: 'note', message: { text: 'no workflows found' } },
      ],
    });
  });

  it('is deterministic whatever the order of ctx.rules', () => {
    const a = renderSarif([injection, secret], ctx());
    const b = renderSarif([injection, secret], ctx({ rules: [...ctx().rules].reverse() }));
    expect(a).toBe(b);
  });
});

describe('SARIF schema validation', () => {
  it('accepts a full report', () => {
    const doc = render([injection, secret], { diagnostics: [{ level: 'warning', file: 'x y.yml', line: 1, message: 'm' }] });
    expect(schemaErrors(doc)).toEqual([]);
  });

  it('accepts an empty report and one with no rules at all', () => {
    expect(schemaErrors(render([]))).toEqual([]);
    expect(schemaErrors(render([secret], { rules: [] }))).toEqual([]);
  });

  it('rejects broken documents', () => {
    const good = render([injection]);
    const broken = (mutate: (log: Sarif.Log) => void): unknown => {
      const copy = structuredClone(good);
      mutate(copy);
      return copy;
    };
    expect(schemaErrors(good)).toEqual([]);
    expect(schemaErrors(broken((l) => delete (l.runs[0]!.tool.driver as Partial<Sarif.ToolComponent>).name))).toContain(
      "/runs/0/tool/driver must have required property 'name'",
    );
    expect(schemaErrors(broken((l) => ((l.runs[0]!.results![0]! as { level: string }).level = 'critical')))).toContain(
      '/runs/0/results/0/level must be equal to one of the allowed values',
    );
    expect(schemaErrors(broken((l) => (l.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'a b.yml')))).toContain(
      '/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri must match format "uri-reference"',
    );
    expect(schemaErrors(broken((l) => (l.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0)))).toContain(
      '/runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1',
    );
    expect(schemaErrors(broken((l) => ((l as { version: string }).version = '2.0.0')))).not.toEqual([]);
    expect(schemaErrors(broken((l) => ((l.runs[0] as unknown as Record<string, unknown>).bogus = 1)))).toContain(
      '/runs/0 must NOT have additional properties',
    );
  });
});

describe('helpers', () => {
  it('pascalCase, cweTag and firstParagraph', () => {
    expect(pascalCase('template-injection')).toBe('TemplateInjection');
    expect(pascalCase('secrets/aws_key.v2')).toBe('SecretsAwsKeyV2');
    expect(cweTag('CWE-94')).toBe('external/cwe/cwe-94');
    expect(cweTag('1395')).toBe('external/cwe/cwe-1395');
    expect(firstParagraph('# t\n\n## s\n\nhello\nworld\n\nmore')).toBe('hello world');
    expect(firstParagraph('# only a title\n')).toBeUndefined();
  });
});
