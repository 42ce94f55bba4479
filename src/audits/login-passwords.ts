/**
 * Passwords written on the command line of login tools (`docker login -p X`, `curl -u user:X`,
 * `sshpass -p X`), shared by every platform's hardcoded-credentials rule. Each caller decides
 * what counts as a placeholder and where the finding goes.
 */

export interface PasswordFlagSpec {
  flags: string[];
  /** Subcommand that must be present (`login`). */
  sub?: string;
  /** The value is `user:password` (curl -u); without a colon the tool prompts. */
  userPass?: boolean;
}

export const LOGIN_PASSWORD_FLAGS: Readonly<Record<string, PasswordFlagSpec>> = {
  docker: { flags: ['-p', '--password'], sub: 'login' },
  podman: { flags: ['-p', '--password'], sub: 'login' },
  buildah: { flags: ['-p', '--password'], sub: 'login' },
  helm: { flags: ['-p', '--password'], sub: 'login' },
  oras: { flags: ['-p', '--password'], sub: 'login' },
  skopeo: { flags: ['-p', '--password'], sub: 'login' },
  curl: { flags: ['-u', '--user'], userPass: true },
  wget: { flags: ['--password', '--http-password', '--ftp-password', '--proxy-password'] },
  sshpass: { flags: ['-p'] },
};

export interface PasswordArg {
  /** The password, unquoted (for curl, the part after `user:`). */
  secret: string;
  spec: PasswordFlagSpec;
}

/**
 * Password values passed to `cmd` in `args`: `-p X`, `--password=X` and, when `glued`, `-pX`.
 * Variables and short values are for the caller to filter.
 */
export function passwordArgs(
  cmd: string,
  args: readonly string[],
  table: Readonly<Record<string, PasswordFlagSpec>> = LOGIN_PASSWORD_FLAGS,
  glued = true,
): PasswordArg[] {
  const spec = table[cmd];
  if (!spec || (spec.sub && !args.includes(spec.sub))) return [];
  const out: PasswordArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let val: string | undefined;
    for (const f of spec.flags) {
      if (a === f) val = args[i + 1];
      else if (a.startsWith(`${f}=`)) val = a.slice(f.length + 1);
      else if (glued && f.length === 2 && a.startsWith(f) && a.length > 2 && !a.startsWith('--')) val = a.slice(2);
    }
    if (val === undefined) continue;
    let secret = val.replace(/^(["'])(.*)\1$/, '$2');
    if (spec.userPass) {
      const colon = secret.indexOf(':');
      if (colon === -1) continue;
      secret = secret.slice(colon + 1);
    }
    out.push({ secret, spec });
  }
  return out;
}

/**
 * Secrets detectors that find the same passwords as this table (src/secrets/detectors/generic.ts).
 * In a script the rules report their hits only where the login-password check did not: its
 * message names the command and flag, and the secret is reported once.
 */
export const COMMAND_LINE_DETECTORS: ReadonlySet<string> = new Set(['curl-user-password', 'wget-password']);

/** A finding held back until the login-password check has run, and the text it covers. */
export interface HeldFinding<F> {
  span: [number, number];
  finding: F;
}

/** Reports the held findings the login-password check did not report (`reported`: its spans). */
export function releaseHeld<F>(held: ReadonlyArray<HeldFinding<F>>, reported: ReadonlyArray<[number, number]>, report: (f: F) => void): void {
  for (const h of held) if (!reported.some(([s, e]) => h.span[0] < e && h.span[1] > s)) report(h.finding);
}
