import { describe, expect, it } from 'vitest';
import { memoryRepo, yaml } from '../../audits/gitlab/testing.js';
import { buildGitlabModel, flatScalars, get, originLocation, str } from './parse.js';
import type { Job } from './model.js';

function build(files: Record<string, string>) {
  const { entries, read } = memoryRepo(files);
  return buildGitlabModel(entries, read);
}

function job(files: Record<string, string>, name: string): Job {
  const { model, problems } = build(files);
  expect(problems).toEqual([]);
  const j = model.pipelines.flatMap((p) => [...p.jobs, ...p.templates]).find((x) => x.name === name);
  if (!j) throw new Error(`no job ${name}`);
  return j;
}

const at = (o: { file: { path: string }; node: unknown }) => {
  const l = originLocation(o as never);
  return `${l.file}:${l.startLine}:${l.startColumn}`;
};

describe('gitlab model', () => {
  it('merges extends like GitLab: maps deep, lists and scalars replaced, later parents win', () => {
    const j = job(
      {
        '.gitlab-ci.yml': yaml`
          .a:
            variables: { A: "1", B: "1" }
            script: [one]
            tags: [x]
          .b:
            extends: .a
            variables: { B: "2" }
            image: alpine:3
          c:
            extends: [.b]
            variables: { C: "3" }
            script: [three]
        `,
      },
      'c',
    );
    expect(j.name).toBe('c');
    expect(j.extendsChain).toEqual(['.b', '.a']);
    expect(j.variables.map((v) => `${v.name}=${String(v.value?.value)}`)).toEqual(['A=1', 'B=2', 'C=3']);
    expect(j.scripts.map((s) => s.value.value)).toEqual(['three']);
    expect(j.tags.map((t) => t.value)).toEqual(['x']);
    expect(j.image && at(j.image.name.at)).toBe('.gitlab-ci.yml:8:10');
  });

  it('a diamond of extends: each ancestor once in the chain, the later parent winning', () => {
    const j = job(
      {
        '.gitlab-ci.yml': yaml`
          .d:
            script: [base]
            variables: { D: "d" }
          .b:
            extends: .d
            variables: { X: "b" }
          .c:
            extends: .d
            variables: { X: "c" }
          a:
            extends: [.b, .c]
        `,
      },
      'a',
    );
    expect(j.extendsChain).toEqual(['.b', '.d', '.c']);
    expect(j.variables.map((v) => `${v.name}=${String(v.value?.value)}`)).toEqual(['D=d', 'X=c']);
    expect(j.scripts.map((s) => s.value.value)).toEqual(['base']);
  });

  it('resolves !reference after extends, flattening nested script lists, keeping each line where it is written', () => {
    const j = job(
      {
        '.gitlab-ci.yml': 'include: ci/t.yml\nb:\n  script:\n    - !reference [.setup, script]\n    - make\n',
        'ci/t.yml': '.base:\n  script: [echo base]\n.setup:\n  extends: .base\n',
      },
      'b',
    );
    expect(j.scripts.map((s) => `${String(s.value.value)}@${at(s.value.at)}`)).toEqual(['echo base@ci/t.yml:2:12', 'make@.gitlab-ci.yml:5:7']);
  });

  it('a missing extends: or !reference target is a problem, unless a project, remote, template or component include may define it', () => {
    const jobText = 'build:\n  extends: .cloud-auth\n  script:\n    - !reference [.cloud-auth, before_script]\n    - make\n';
    const msgs = (files: Record<string, string>) => build(files).problems.map((p) => `${p.location.startLine}:${p.location.startColumn} ${p.message}`);
    expect(msgs({ '.gitlab-ci.yml': jobText })).toEqual([
      '2:12 extends: ".cloud-auth" is not a job or template in this pipeline',
      '4:7 !reference [.cloud-auth, before_script] points at nothing in this pipeline',
    ]);
    const external = 'include:\n  - project: infra/ci-templates\n    ref: 0123456789abcdef0123456789abcdef01234567\n    file: auth.yml\n';
    expect(msgs({ '.gitlab-ci.yml': external + jobText })).toEqual([]);
    const component = 'include:\n  - component: $CI_SERVER_FQDN/infra/auth/gcp@1.2.0\n';
    expect(msgs({ '.gitlab-ci.yml': component + jobText })).toEqual([]);
    // A local include is read, so a name it lacks is still missing.
    expect(msgs({ '.gitlab-ci.yml': 'include: ci/t.yml\n' + jobText, 'ci/t.yml': '.other:\n  script: [x]\n' })).toHaveLength(2);
  });

  it('applies default: and legacy globals unless inherit: default: excludes them', () => {
    const files = {
      '.gitlab-ci.yml': yaml`
        image: ruby:3
        default:
          before_script: [setup]
          tags: [shared]
        a:
          script: [x]
        b:
          inherit:
            default: [tags]
            variables: false
          script: [y]
        variables:
          G: "1"
      `,
    };
    const a = job(files, 'a');
    expect(a.scripts.map((s) => `${s.section}:${String(s.value.value)}:${s.fromDefault}`)).toEqual(['before_script:setup:true', 'script:x:false']);
    expect(a.image?.fromDefault).toBe(true);
    expect(a.variables.map((v) => v.name)).toEqual(['G']);
    const b = job(files, 'b');
    expect(b.scripts.map((s) => s.section)).toEqual(['script']);
    expect(b.tags.map((t) => t.value)).toEqual(['shared']);
    expect(b.image).toBeUndefined();
    expect(b.variables).toEqual([]);
  });

  it('deep-merges included files under the including file, and honours YAML merge keys', () => {
    const j = job(
      {
        '.gitlab-ci.yml': 'include: [ci/a.yml]\n.v: &v\n  X: "1"\nbuild:\n  variables:\n    <<: *v\n    Y: "2"\n  stage: test\n',
        'ci/a.yml': 'build:\n  script: [make]\n  stage: build\n',
      },
      'build',
    );
    expect(str(get(j.config, 'stage'))).toBe('test');
    expect(flatScalars(get(j.config, 'script')).map((s) => s.value)).toEqual(['make']);
    expect(j.variables.map((v) => v.name).sort()).toEqual(['X', 'Y']);
    expect(at(j.keyAt)).toBe('.gitlab-ci.yml:4:1');
  });

  it('reads the spec: header and keeps positions of the second document', () => {
    const { model, problems } = build({
      '.gitlab-ci.yml': '# c\nspec:\n  inputs:\n    env:\n      options: [a, b]\n    n:\n      type: number\n---\nj:\n  script:\n    - echo $[[ inputs.env ]]\n',
    });
    expect(problems).toEqual([]);
    const file = model.pipelines[0]!.entry;
    expect(file.spec?.inputs.map((i) => `${i.name}:${i.type}:${i.options?.join('|') ?? ''}`)).toEqual(['env:string:a|b', 'n:number:']);
    expect(at(model.pipelines[0]!.jobs[0]!.scripts[0]!.value.at)).toBe('.gitlab-ci.yml:11:7');
  });

  it('a file that starts with --- is one document', () => {
    const { model, problems } = build({ '.gitlab-ci.yml': '---\nj:\n  script: [make]\n' });
    expect(problems).toEqual([]);
    expect(model.pipelines[0]!.jobs.map((x) => x.name)).toEqual(['j']);
  });
});
