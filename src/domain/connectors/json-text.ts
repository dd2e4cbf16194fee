/**
 * JSON from an untrusted provider, parsed with every number kept as its
 * source text (a string). OpenAI's Costs API sends `amount.value` as a JSON
 * number; JSON.parse would turn "0.1234567890123456789" into the nearest
 * double, and a bill must be read to the digit. Validators then read the
 * strings: integers with their bounds, money as exact decimals.
 */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(quoteNumbers(text));
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** `text` with each number literal outside strings wrapped in quotes; strings are copied untouched (escapes included). */
export function quoteNumbers(text: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: a quote ends it unless escaped by an odd run of backslashes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return text; // not JSON: let JSON.parse report it
      out += text.slice(from, i) + '"' + m[0] + '"';
      i += m[0].length;
      from = i;
      continue;
    }
    i++;
  }
  return out + text.slice(from);
}
