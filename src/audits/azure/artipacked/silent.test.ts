import { describe, expect, it } from 'vitest';
import { auditFiles, yaml } from '../testing.js';
import { rule } from './rule.js';

describe('artipacked (azure): silent', () => {
  it('reports nothing for checkouts that do not persist the token, whatever is published', () => {
    const text = yaml`
      steps:
        - checkout: self
        - script: make dist
        - task: PublishPipelineArtifact@1
          inputs:
            targetPath: $(Build.SourcesDirectory)
            artifact: src
    `;
    expect(auditFiles(rule, { 'azure-pipelines.yml': text })).toEqual([]);
  });
});
