import { describe, it, expect } from 'vitest';
import { escapeControls, escapeControlsKeepNewlines } from './escape.js';

describe('escapeControls', () => {
  it('makes C0, DEL, C1 and ESC visible but keeps tab', () => {
    expect(escapeControls('a\x1b[31mb\x00c\x7fd\x9be\tf')).toBe('a\\x1b[31mb\\x00c\\x7fd\\x9be\tf');
  });

  it('escapes CR and LF so a message cannot fake another line', () => {
    expect(escapeControls('one\r\ntwo')).toBe('one\\x0d\\x0atwo');
  });

  it('escapes bidi overrides (Trojan Source) and leaves other unicode alone', () => {
    expect(escapeControls('é\u202eabc\u2066ü')).toBe('é\\u{202e}abc\\u{2066}ü');
  });

  it('keeps CR and LF when asked', () => {
    expect(escapeControlsKeepNewlines('a\r\n\x1bb')).toBe('a\r\n\\x1bb');
  });
});
