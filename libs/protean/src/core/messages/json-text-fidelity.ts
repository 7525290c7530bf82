import { formatJsonPath, numberLiteralProblem, stringProblem } from './json-fidelity.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote closing the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === BACKSLASH) i++;
    else if (char === QUOTE) return i;
  }
  return text.length;
}

function endOfNumber(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && /[\d.eE+-]/.test(text[end])) end++;
  return end;
}

/**
 * The values of a JSON text that cannot be kept as written (see `json-fidelity.ts`), as
 * `path: reason` lines: strings and keys after unescaping, and numbers as written — which
 * only the text still shows (`JSON.parse` has already rounded `9007199254740993`). Text that
 * is not JSON has no problems here: the parser reports it.
 */
export function unstorableTextProblems(text: string): string[] {
  try {
    JSON.parse(text);
  } catch {
    return [];
  }
  const problems: string[] = [];
  const path: (string | number)[] = [];
  const inArray: boolean[] = [];
  let expectKey = false;
  const report = (at: readonly (string | number)[], problem: string | undefined) => {
    if (problem !== undefined) problems.push(`${formatJsonPath(at)}: ${problem}`);
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      const value = JSON.parse(text.slice(i, end + 1)) as string;
      if (expectKey) {
        path[path.length - 1] = value;
        const problem = stringProblem(value);
        if (problem !== undefined) report(path, `key ${problem}`);
      } else report(path, stringProblem(value));
      i = end;
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const end = endOfNumber(text, i);
      report(path, numberLiteralProblem(text.slice(i, end)));
      i = end - 1;
    } else if (char === '{' || char === '[') {
      inArray.push(char === '[');
      path.push(char === '[' ? 0 : '');
      expectKey = char === '{';
    } else if (char === '}' || char === ']') {
      inArray.pop();
      path.pop();
    } else if (char === ',') {
      if (inArray[inArray.length - 1]) (path[path.length - 1] as number)++;
      else expectKey = true;
    } else if (char === ':') {
      expectKey = false;
    }
  }
  return problems;
}
