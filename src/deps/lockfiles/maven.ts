import { LockfileError, type Package } from '../model.js';
import { LineIndex, stripBom } from './text.js';
import { child, childText, parseXml, type XmlElement } from './xml.js';

/**
 * pom.xml: the versions the POM itself declares for dependencies and managed dependencies, with
 * `${property}` references resolved against `<properties>` and the project/parent versions. A
 * version set by a parent POM or BOM that is not in this file, or a range, is not reported (it
 * cannot be known from this file). The location is where the version is written: the dependency's
 * `<version>`, or the property that defines it.
 */
export function parsePom(input: string): Package[] {
  const text = stripBom(input);
  const lines = new LineIndex(text);
  const project = parseXml(text, lines);
  if (project.name !== 'project') throw new LockfileError(`root element is <${project.name}>, expected <project>`, lines.line(project.offset));
  const props = new Map<string, { value: string; offset: number }>();
  for (const p of child(project, 'properties')?.children ?? []) props.set(p.name, { value: p.text.trim(), offset: p.offset });
  const parent = child(project, 'parent');
  const projectVersion = childText(project, 'version') ?? childText(parent, 'version');
  if (projectVersion) props.set('project.version', { value: projectVersion, offset: (child(project, 'version') ?? child(parent, 'version'))!.offset });
  const parentVersion = childText(parent, 'version');
  if (parentVersion) props.set('project.parent.version', { value: parentVersion, offset: child(parent, 'version')!.offset });
  const groupId = childText(project, 'groupId') ?? childText(parent, 'groupId');
  if (groupId) props.set('project.groupId', { value: groupId, offset: 0 });

  const resolve = (raw: string, fallback: number): { value: string; offset: number } | undefined => {
    let offset = fallback;
    let value = raw;
    for (let depth = 0; depth < 10 && value.includes('${'); depth++) {
      const m = /^\$\{([^}]+)\}$/.exec(value);
      const key = m?.[1];
      const prop = key === undefined ? undefined : props.get(key.startsWith('pom.') ? `project.${key.slice(4)}` : key);
      if (!prop) return undefined;
      value = prop.value;
      offset = prop.offset;
    }
    return value.includes('${') ? undefined : { value, offset };
  };

  const out: Package[] = [];
  const seen = new Set<string>();
  const collect = (deps: XmlElement | undefined): void => {
    for (const d of deps?.children ?? []) {
      if (d.name !== 'dependency') continue;
      const g = childText(d, 'groupId');
      const a = childText(d, 'artifactId');
      const v = child(d, 'version');
      if (!g || !a) throw lines.error('<dependency> needs <groupId> and <artifactId>', d.offset);
      if (!v) continue;
      const group = resolve(g, d.offset)?.value;
      const resolved = resolve(v.text.trim(), v.offset);
      if (!group || !resolved || /^[[(]/.test(resolved.value) || resolved.value === '') continue;
      const name = `${group}:${resolve(a, d.offset)?.value ?? a}`;
      const id = `${name}@${resolved.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const scope = childText(d, 'scope');
      out.push({ ecosystem: 'Maven', name, version: resolved.value, ...lines.position(resolved.offset), ...(scope === 'test' && { dev: true }) });
    }
  };
  const sections = (el: XmlElement | undefined): void => {
    collect(child(el, 'dependencies'));
    collect(child(child(el, 'dependencyManagement'), 'dependencies'));
  };
  sections(project);
  for (const profile of child(project, 'profiles')?.children ?? []) sections(profile);
  return out;
}

/**
 * gradle.lockfile (and the older per-configuration `*.lockfile`): `group:artifact:version=configurations`
 * lines, `empty=...`, comments.
 */
export function parseGradleLock(input: string): Package[] {
  const out: Package[] = [];
  stripBom(input)
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '').trim();
      if (line === '' || line.startsWith('#') || line.startsWith('empty=')) return;
      const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)(?:=([^\s]*))?$/.exec(line);
      if (!m) throw new LockfileError('expected "group:artifact:version=configurations"', i + 1);
      const configurations = (m[4] ?? '').split(',').filter(Boolean);
      const dev = configurations.length > 0 && configurations.every((c) => /test/i.test(c));
      out.push({ ecosystem: 'Maven', name: `${m[1]}:${m[2]}`, version: m[3]!, line: i + 1, column: 1, ...(dev && { dev: true }) });
    });
  return out;
}
