import type { GenaiMatch } from './genai-prices.js';

/*
 * The package's model match rules (equals / starts_with / ends_with /
 * contains / regex, combined with or / and), evaluated safely. String rules
 * compare case-insensitively, as the package does; regex rules are the
 * package's own patterns, case-sensitive as it runs them. A pattern that
 * could backtrack catastrophically (a quantified group that itself holds a
 * quantifier or an alternation, a backreference) or that is too long is
 * refused at compile time and its rule never matches; names longer than
 * MAX_NAME_LENGTH are never tested against a regex. So a rule costs at most
 * linear time in a bounded name.
 */

/** Longest model name a regex rule is run on (characters); event model names are bounded below this. */
export const MAX_NAME_LENGTH = 256;
const MAX_PATTERN_LENGTH = 200;

/** A compiled rule: `test(name)` with the name already trimmed and lower-cased by the caller for string rules. */
export interface CompiledMatch {
  test(name: string): boolean;
  /** Regex patterns refused as unsafe (their branches never match). */
  refused: string[];
}

/** Why a regex pattern is refused, or null when it is safe to run on a bounded name. */
export function unsafePattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreference';
  // Scan groups: a group closed and then quantified must hold neither a quantifier nor an alternation.
  const stack: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ risky: false });
    else if (c === ')') {
      const g = stack.pop();
      if (g === undefined) return 'unbalanced parentheses';
      const next = pattern[i + 1];
      if (g.risky && (next === '*' || next === '+' || next === '{' || next === '?')) return 'quantified group holding a quantifier or alternation';
      if (g.risky && stack.length > 0) stack[stack.length - 1].risky = true;
    } else if ((c === '*' || c === '+' || c === '{' || c === '|') && stack.length > 0) {
      stack[stack.length - 1].risky = true;
    }
  }
  if (stack.length > 0) return 'unbalanced parentheses';
  try {
    new RegExp(pattern);
  } catch {
    return 'not a valid regular expression';
  }
  return null;
}

/** Compiles a package match rule once; evaluation allocates nothing. */
export function compileMatch(rule: GenaiMatch): CompiledMatch {
  const refused: string[] = [];
  const build = (r: GenaiMatch): ((name: string) => boolean) => {
    if ('or' in r) {
      const parts = r.or.map(build);
      return (n) => parts.some((p) => p(n));
    }
    if ('and' in r) {
      const parts = r.and.map(build);
      return (n) => parts.length > 0 && parts.every((p) => p(n));
    }
    if ('equals' in r) {
      const v = r.equals.toLowerCase();
      return (n) => n.toLowerCase() === v;
    }
    if ('starts_with' in r) {
      const v = r.starts_with.toLowerCase();
      return (n) => n.toLowerCase().startsWith(v);
    }
    if ('ends_with' in r) {
      const v = r.ends_with.toLowerCase();
      return (n) => n.toLowerCase().endsWith(v);
    }
    if ('contains' in r) {
      const v = r.contains.toLowerCase();
      return (n) => n.toLowerCase().includes(v);
    }
    if ('regex' in r) {
      const why = unsafePattern(r.regex);
      if (why !== null) {
        refused.push(`${r.regex} (${why})`);
        return () => false;
      }
      const re = new RegExp(r.regex);
      return (n) => n.length <= MAX_NAME_LENGTH && re.test(n);
    }
    return () => false;
  };
  return { test: build(rule), refused };
}

/** Names a rule accepts by `equals`, through `or` only (an `equals` under `and` is not a name on its own), lower-cased. */
export function equalsNames(rule: GenaiMatch): string[] {
  if ('equals' in rule) return [rule.equals.trim().toLowerCase()];
  if ('or' in rule) return [...new Set(rule.or.flatMap(equalsNames))];
  return [];
}
