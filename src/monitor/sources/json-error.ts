/**
 * Where a JSON text stops being valid: V8's JSON.parse messages give a position for some errors
 * only, so malformed records are located with this small validator (iterative, linear, no
 * values built). Returns the offset of the first character that cannot continue a valid
 * document (the text's length for a premature end), or -1 when the text is valid JSON.
 */
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const DIGIT = /[0-9]/;

export function jsonErrorOffset(s: string): number {
  let i = 0;
  const n = s.length;
  const skip = (): void => {
    while (i < n && WS.has(s.charCodeAt(i))) i++;
  };
  /** Containers open at i: '{' or '['; `expectKey` after '{' or ','. */
  const stack: number[] = [];
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++, i++) if (s[i] !== word[k]) return false;
    return true;
  };
  const string = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
            i += 2;
            while (i < n && /[0-9a-fA-F]/.test(s[i]!)) i++;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    if (s[i] === '-') i++;
    if (s[i] === '0') i++;
    else if (s[i] !== undefined && /[1-9]/.test(s[i]!)) while (i < n && DIGIT.test(s[i]!)) i++;
    else return false;
    if (s[i] === '.') {
      i++;
      if (!DIGIT.test(s[i] ?? '')) return false;
      while (i < n && DIGIT.test(s[i]!)) i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (!DIGIT.test(s[i] ?? '')) return false;
      while (i < n && DIGIT.test(s[i]!)) i++;
    }
    return true;
  };
  // state: 'value' expects a value; 'after' expects ',' or a closer (or the end at depth 0).
  let state: 'value' | 'after' | 'key' | 'firstKey' | 'firstValue' = 'value';
  for (;;) {
    skip();
    if (i >= n) return state === 'after' && stack.length === 0 ? -1 : n;
    const c = s[i]!;
    if (state === 'key' || state === 'firstKey') {
      if (state === 'firstKey' && c === '}') {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"' || !string()) return Math.min(i, n);
      skip();
      if (s[i] !== ':') return Math.min(i, n);
      i++;
      state = 'value';
      continue;
    }
    if (state === 'after') {
      const top = stack[stack.length - 1];
      if (top === undefined) return i; // text after the document
      if (c === ',') {
        i++;
        state = top === 0x7b ? 'key' : 'value';
      } else if ((c === '}' && top === 0x7b) || (c === ']' && top === 0x5b)) {
        stack.pop();
        i++;
      } else return i;
      continue;
    }
    // a value
    if (state === 'firstValue' && c === ']') {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (c === '{') {
      stack.push(0x7b);
      i++;
      state = 'firstKey';
    } else if (c === '[') {
      stack.push(0x5b);
      i++;
      state = 'firstValue';
    } else if (c === '"') {
      if (!string()) return Math.min(i, n);
      state = 'after';
    } else if (c === 't' || c === 'f' || c === 'n') {
      if (!literal(c === 't' ? 'true' : c === 'f' ? 'false' : 'null')) return Math.min(i, n);
      state = 'after';
    } else if (c === '-' || DIGIT.test(c)) {
      if (!number()) return Math.min(i, n);
      state = 'after';
    } else return i;
  }
}
